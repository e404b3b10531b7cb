import PlaintEvents
import PlaintLog

/// The local LMDB store that a PostgreSQL log's views live in: a copy of the log, position for
/// position and hash for hash, whose views are maintained as in any LMDB store. Before each
/// query it catches up with the cluster; each copied batch goes in with its views in one LMDB
/// transaction, so the position the views have applied is always the copy's head: a crash never
/// applies an event twice or skips one. Every query command then runs on it unchanged.
public enum ViewMirror {
    /// Events copied per LMDB transaction.
    static let batch = 10_000

    /// Copies the cluster's events after the mirror's head. First checks that the mirror's head
    /// hash is the cluster's at that position (else the mirror belongs to another log).
    /// - Parameter progress: sees the positions copied so far and the cluster's head.
    /// - Returns: how many events were copied.
    @discardableResult
    public static func catchUp(
        _ mirror: EventLog, from log: PostgresLog, progress: @Sendable (UInt64, UInt64) -> Void = { _, _ in }
    ) async throws -> UInt64 {
        var head = try mirror.read { try $0.head() }
        let target = try await log.head()
        if head.position > 0 {
            let theirs = try await log.hash(at: head.position)
            guard theirs == head.hash else {
                throw PostgresStoreError.mirrorDiverged(directory: mirror.path, position: head.position)
            }
        }
        let start = head.position
        var preparer = EventPreparer()
        while head.position < target.position {
            let rows = try await log.rows(after: head.position, limit: batch)
            guard !rows.isEmpty else { break }
            var events: [EventLog.ReplicatedEvent] = []
            events.reserveCapacity(rows.count)
            for row in rows {
                let event: PreparedEvent
                do {
                    event = try preparer.prepare(row.canonical)
                } catch {
                    throw StoreError.corrupt(
                        position: row.position, reason: "the cluster's event does not parse: \(error)")
                }
                events.append(.init(position: row.position, event: event, recordedAt: row.recordedAt, hash: row.hash))
            }
            do {
                head = try mirror.appendReplicated(events)
            } catch StoreError.corrupt(let position, _) {
                throw PostgresStoreError.mirrorDiverged(directory: mirror.path, position: position)
            }
            progress(head.position, target.position)
        }
        return head.position - start
    }
}
