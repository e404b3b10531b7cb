import NIOCore
import PlaintEvents
import PlaintLog
import PostgresNIO

extension PostgresLog {
    /// Recomputes the hash chain from position 1 in one snapshot (a repeatable-read
    /// transaction, so appends may continue): each row must sit at the next position, its hash
    /// must equal the recomputed one, its canonical bytes must still be a valid event in
    /// canonical form with the row's id, and the head row must name the last row.
    public func verify(progress: @escaping @Sendable (UInt64, UInt64) -> Void = { _, _ in }) async throws
        -> VerificationReport
    {
        try await withConnection { connection in
            try await requireLog(connection)
            try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: Self.logger)
            // The read-only transaction ends when the connection is closed.
            let head = try await Self.head(connection)
            var previous = HashChain.genesis
            var checked: UInt64 = 0
            var preparer = EventPreparer()
            func failed(_ position: UInt64, _ reason: String) -> VerificationReport {
                VerificationReport(
                    verifiedThrough: checked, head: head, problem: .init(position: position, reason: reason))
            }
            while true {
                let rows = try await connection.query(
                    """
                    SELECT position, id, canonical, hash FROM plaint.events
                    WHERE position > \(Int64(checked)) ORDER BY position LIMIT 10000
                    """, logger: Self.logger)
                var any = false
                for try await (position, id, canonical, hash) in rows.decode(
                    (Int64, String, ByteBuffer, ByteBuffer).self)
                {
                    any = true
                    Watchdog.beat()
                    let position = UInt64(position)
                    guard position == checked + 1 else { return failed(checked + 1, "no event at this position") }
                    let bytes = Array(canonical.readableBytesView)
                    let link = HashChain.link(previous: previous, position: position, canonical: bytes)
                    guard hash.readableBytesView.elementsEqual(link) else {
                        return failed(position, "the stored hash differs from the recomputed one")
                    }
                    guard let event = try? preparer.prepare(bytes), event.canonical == bytes else {
                        return failed(position, "the stored event is not a valid event in canonical form")
                    }
                    guard event.id.elementsEqual(id.utf8) else {
                        return failed(position, "the id column differs from the event's id")
                    }
                    previous = link
                    checked = position
                }
                progress(checked, head.position)
                if !any { break }
            }
            guard checked == head.position, previous == head.hash else {
                return failed(checked + 1, "the head row names position \(head.position), the log ends at \(checked)")
            }
            return VerificationReport(verifiedThrough: checked, head: head, problem: nil)
        }
    }
}
