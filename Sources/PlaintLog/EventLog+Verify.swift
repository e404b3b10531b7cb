import CLMDB
import Dispatch
import PlaintEvents
import Synchronization

/// The outcome of `EventLog.verify`.
public struct VerificationReport: Equatable, Sendable {
    /// Records checked, all of them when `problem` is nil.
    public var verifiedThrough: UInt64
    /// The head as stored (position and hash of the last record).
    public var head: LogHead
    /// The first failure found, at the lowest position that fails.
    public var problem: Problem?

    public struct Problem: Equatable, Sendable {
        public var position: UInt64
        public var reason: String

        public init(position: UInt64, reason: String) {
            self.position = position
            self.reason = reason
        }
    }

    public init(verifiedThrough: UInt64, head: LogHead, problem: Problem?) {
        self.verifiedThrough = verifiedThrough
        self.head = head
        self.problem = problem
    }

    public var isIntact: Bool { problem == nil }
}

extension EventLog {
    /// Recomputes the whole hash chain from position 1 and checks every index against the log,
    /// in one snapshot (appends may continue meanwhile; they are not part of the check).
    ///
    /// Each record must sit at the next position and be found by a lookup of that position, its
    /// hash must equal the recomputed one, its body must still be a valid event in canonical form,
    /// its version must equal its rank in its case, and each index must hold exactly the entries
    /// the events imply.
    /// - Parameter progress: called now and then with the positions checked so far.
    /// Then it checks what LMDB itself relies on without checksums: that its two meta pages
    /// agree (a damaged one can silently roll the store back to an older snapshot), and that
    /// every page of every database can be walked, as LMDB's own compacting copy walks them
    /// (damage that only key lookups or a backup would meet).
    public func verify(progress: (UInt64, UInt64) -> Void = { _, _ in }) throws(StoreError) -> VerificationReport {
        var report: VerificationReport
        do {
            report = try environment.read { transaction in
                try verifySnapshot(transaction, progress: progress)
            }
        } catch {
            throw mapped(error)
        }
        guard report.isIntact else { return report }
        if let problem = StorePages.metaProblem(dataFile: dataFilePath, pageSize: environment.pageSize) {
            report.problem = .init(position: report.head.position, reason: problem)
        } else {
            do {
                if let problem = try StorePages.walkProblem(environment) {
                    report.problem = .init(position: report.head.position, reason: problem)
                }
            } catch {
                throw mapped(error)
            }
        }
        return report
    }

    private func verifySnapshot(_ transaction: Transaction, progress: (UInt64, UInt64) -> Void) throws
        -> VerificationReport
    {
        let reader = LogReader(transaction: transaction, databases: databases)
        let head = try reader.head()
        var report = VerificationReport(verifiedThrough: 0, head: head, problem: nil)
        func fail(_ position: UInt64, _ reason: String) -> VerificationReport {
            report.problem = .init(position: position, reason: reason)
            return report
        }
        var preparer = EventPreparer()
        preparer.acceptsAnyStoredSource = true
        var previousHash = HashChain.genesis
        var expected: UInt64 = 1
        var caseVersions: [[UInt8]: UInt64] = [:]
        var entriesWithCase = 0
        var previousRecordedAt: Int64 = 0
        var firstProblem: VerificationReport.Problem?

        try reader.forEachRecord { record in
            guard record.position == expected else {
                firstProblem = .init(
                    position: expected, reason: "record missing (next stored position is \(record.position))")
                return false
            }
            let hash = HashChain.link(previous: previousHash, position: record.position, canonical: record.canonical)
            guard record.hash.elementsEqual(hash) else {
                firstProblem = .init(
                    position: record.position,
                    reason: "hash mismatch: stored \(HashChain.hex(record.hash)), recomputed \(HashChain.hex(hash))")
                return false
            }
            // The walk in order never compares keys; every query by index looks positions up by
            // key, through the keys of the branch pages, which this checks.
            guard try transaction.get(databases.events, key: RecordLayout.positionKey(record.position)) != nil else {
                firstProblem = .init(position: record.position, reason: "a lookup of this position finds no record")
                return false
            }
            // recorded_at is outside the hash chain (the same input gives the same chain in every
            // store); appends write it never earlier than the record before, so order and range
            // are what a change to it breaks.
            guard record.recordedAtIsPlausible, record.recordedAtMicroseconds >= previousRecordedAt else {
                firstProblem = .init(
                    position: record.position,
                    reason: "recorded_at \(record.recordedAtMicroseconds) µs is "
                        + (record.recordedAtIsPlausible ? "earlier than the record before it" : "outside 1970-2999"))
                return false
            }
            previousRecordedAt = record.recordedAtMicroseconds
            let event: PreparedEvent
            do {
                event = try preparer.prepare(record.canonical.assumingMemoryBound(to: UInt8.self).span)
            } catch {
                firstProblem = .init(position: record.position, reason: "stored event is not a valid event: \(error)")
                return false
            }
            guard event.canonical.elementsEqual(record.canonical) else {
                firstProblem = .init(position: record.position, reason: "stored event is not in canonical form")
                return false
            }
            if let problem = try checkIndexes(of: event, at: record, reader: reader, caseVersions: &caseVersions) {
                firstProblem = .init(position: record.position, reason: problem)
                return false
            }
            if event.caseID != nil { entriesWithCase += 1 }
            previousHash = hash
            report.verifiedThrough = record.position
            expected += 1
            if record.position % 65_536 == 0 {
                progress(record.position, head.position)
                releaseMemory()
            }
            return true
        }
        if let firstProblem {
            report.problem = firstProblem
            return report
        }
        let count = Int(report.verifiedThrough)
        let expectedEntries: [(String, Database, Int)] = [
            ("id", databases.ids, count), ("case", databases.byCase, entriesWithCase),
            ("customer", databases.byCustomer, count), ("brand", databases.byBrand, count),
            ("type", databases.byType, count),
        ]
        for (name, database, wanted) in expectedEntries {
            let stored = Int(try transaction.statistics(database).ms_entries)
            if stored != wanted {
                let position = try firstStrayEntry(
                    in: database, beyond: report.verifiedThrough, transaction: transaction)
                return fail(position, "the \(name) index holds \(stored) entries, the log implies \(wanted)")
            }
        }
        progress(report.verifiedThrough, head.position)
        return report
    }

    /// Checks the id, case, customer, brand and type index entries and the version of one event.
    private func checkIndexes(
        of event: PreparedEvent, at record: borrowing RecordView, reader: LogReader,
        caseVersions: inout [[UInt8]: UInt64]
    ) throws -> String? {
        let transaction = reader.transaction
        guard try reader.position(ofID: event.id) == record.position else {
            return "the id index does not point to this record"
        }
        if let caseID = event.caseID {
            let key = IndexKey.make(caseID)
            let version = (caseVersions[key] ?? 0) + 1
            caseVersions[key] = version
            guard record.version == version else {
                return "stored version \(record.version), its rank in the case is \(version)"
            }
            guard try LogReader.contains(transaction, databases.byCase, key: key, position: record.position) else {
                return "missing from the case index"
            }
        } else if record.version != 0 {
            return "stored version \(record.version) for an event without a case"
        }
        let entries: [(String, Database, [UInt8])] = [
            ("customer", databases.byCustomer, databases.customerKeys.key(event.customer, position: record.position)),
            ("brand", databases.byBrand, IndexKey.make(event.brand)),
            ("type", databases.byType, Array(event.type.rawValue.utf8)),
        ]
        for (name, database, key) in entries
        where try !LogReader.contains(transaction, database, key: key, position: record.position) {
            return "missing from the \(name) index"
        }
        return nil
    }

    /// The lowest position an index entry names that the log does not back (for the report).
    private func firstStrayEntry(in database: Database, beyond last: UInt64, transaction: Transaction) throws -> UInt64
    {
        try transaction.withCursor(database) { cursor in
            var lowest = UInt64.max
            var entry = try cursor.get(MDB_FIRST)
            while let current = entry {
                let position = RecordLayout.readPosition(current.value)
                if position > last || position == 0 { lowest = min(lowest, position) }
                entry = try cursor.get(MDB_NEXT)
            }
            return lowest == .max ? last : lowest
        }
    }
}

extension LogReader {
    /// Recomputes the hash chain from position 1 to the snapshot's head and checks that the
    /// positions are gapless: the check `plaint audit` reports, fast enough to run on every audit.
    /// `EventLog.verify` does this and more (event validity, canonical form, versions, indexes).
    public func verifyChain() throws -> VerificationReport {
        try verifyChain(through: head())
    }

    /// The chain check of positions 1 to `head.position`, which must end at `head.hash`.
    ///
    /// Each record's stored hash must be the link of the stored hash before it, its position and
    /// its bytes; by induction from the genesis, the whole chain is then the one `head` names.
    /// - Parameter progress: called every 65,536 records, with the last position checked.
    func verifyChain(through head: LogHead, progress: (UInt64) -> Void = { _ in }) throws -> VerificationReport {
        var report = VerificationReport(verifiedThrough: 0, head: head, problem: nil)
        guard head.position > 0 else { return report }
        var previous = UnsafeRawBufferPointer(start: nil, count: 0)
        try HashChain.genesis.withUnsafeBytes { genesis in
            previous = genesis
            try forEachRecord { record in
                let expected = report.verifiedThrough + 1
                guard record.position == expected else {
                    report.problem = .init(
                        position: expected, reason: "record missing (next stored position is \(record.position))")
                    return false
                }
                guard
                    HashChain.confirms(
                        record.hash, previous: previous, position: record.position, canonical: record.canonical)
                else {
                    let hash = HashChain.link(
                        previous: previous, position: record.position, canonical: record.canonical)
                    report.problem = .init(
                        position: record.position,
                        reason: "hash mismatch: stored \(HashChain.hex(record.hash)), recomputed \(HashChain.hex(hash))"
                    )
                    return false
                }
                // The stored hash is now known to be the recomputed one; it points into the map,
                // which stays valid for the whole transaction.
                previous = record.hash
                report.verifiedThrough = record.position
                if record.position % 65_536 == 0 { progress(record.position) }
                return record.position < head.position
            }
        }
        if report.problem == nil {
            if report.verifiedThrough < head.position {
                report.problem = .init(position: report.verifiedThrough + 1, reason: "record missing")
            } else if !previous.elementsEqual(head.hash) {
                report.problem = .init(position: head.position, reason: "the head's hash changed during the check")
            }
        }
        return report
    }
}

extension EventLog {
    /// Starts the chain check of positions 1 to `head.position` on another thread, in a read
    /// transaction of its own, so that it runs beside the caller's work (`plaint audit` computes
    /// its figures meanwhile). The records up to `head` are the same bytes in every snapshot
    /// that holds them: the log only grows.
    public func startChainCheck(through head: LogHead) -> ChainCheck {
        let check = ChainCheck()
        check.running.enter()
        // A queue of its own always gets a thread; the global pool may make blocked work wait.
        DispatchQueue(label: "plaint.chain-check").async { [self] in
            // Pages read once are let go as the check moves on, so that the resident set stays small.
            let outcome = Result { try read { try $0.verifyChain(through: head) { _ in releaseMemory() } } }
            check.outcome.withLock { $0 = outcome }
            check.running.leave()
        }
        return check
    }
}

/// A chain check running on another thread (`EventLog.startChainCheck`).
public final class ChainCheck: Sendable {
    fileprivate let running = DispatchGroup()
    fileprivate let outcome = Mutex<Result<VerificationReport, any Error>?>(nil)

    /// Waits for the check and returns its report, or throws what stopped it.
    public func wait() throws -> VerificationReport {
        running.wait()
        return try outcome.withLock { $0! }.get()
    }
}
