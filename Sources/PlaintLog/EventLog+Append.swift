import CLMDB
import PlaintEvents

/// What appending one event did.
public enum AppendResult: Equatable, Sendable {
    /// Stored at `position`; `version` in its case, nil for an event without a case.
    case appended(position: UInt64, version: UInt64?)
    /// An identical event was already stored at `position`; nothing was written.
    case duplicate(of: UInt64)
}

extension EventLog {
    /// Appends `events` in one write transaction: either all of them are stored (duplicates
    /// skipped) or, on a conflict or failure, none.
    ///
    /// Positions are assigned inside the transaction, so the global sequence has no gaps however
    /// many processes append at once. `recorded_at` never decreases along the log.
    /// - Throws: `StoreError.idConflict` or `.versionConflict` naming the event's index in
    ///   `events`; `.diskFull`, `.io` for storage failures.
    /// - Parameters:
    ///   - checked: the caller holds the writer lock and has already found every event new
    ///     (`LogReader.identity`); the id lookup is then folded into the id index's put. Should an
    ///     id turn out to exist after all, the batch is redone with the full checks.
    ///   - links: with `checked`, the events' chain hashes computed ahead; used only if they
    ///     follow the head as it is.
    public func append(_ events: [PreparedEvent], checked: Bool = false, links: ChainLinks? = nil)
        throws(StoreError) -> [AppendResult]
    {
        do {
            do {
                return try environment.write { transaction in
                    try appendEvents(events, checked: checked, links: checked ? links : nil, in: transaction)
                }
            } catch is UnexpectedlyStored {
                return try environment.write { transaction in
                    try appendEvents(events, checked: false, links: nil, in: transaction)
                }
            }
        } catch {
            throw mapped(error)
        }
    }

    /// Appends checked batches, each with its chain hashes computed ahead, in one write
    /// transaction: a checked append groups the batches it reads back from its spool, so that
    /// one transaction's events share the index and view pages they change.
    public func appendChecked(_ batches: [(events: [PreparedEvent], links: ChainLinks)]) throws(StoreError)
        -> [[AppendResult]]
    {
        do {
            do {
                return try measuringFreshPages(events: batches.reduce(0) { $0 + $1.events.count }) {
                    try environment.write { transaction in
                        try appendBatches(batches, checked: true, in: transaction)
                    }
                }
            } catch is UnexpectedlyStored {
                return try environment.write { transaction in
                    try appendBatches(batches, checked: false, in: transaction)
                }
            }
        } catch {
            throw mapped(error)
        }
    }

    /// An event of another log (a PostgreSQL store) to copy at its own position.
    public struct ReplicatedEvent: Sendable {
        public var position: UInt64
        public var event: PreparedEvent
        public var recordedAt: Int64
        /// The other log's hash at `position`: the copy must reach the same.
        public var hash: [UInt8]

        public init(position: UInt64, event: PreparedEvent, recordedAt: Int64, hash: [UInt8]) {
            self.position = position
            self.event = event
            self.recordedAt = recordedAt
            self.hash = hash
        }
    }

    /// Copies another log's events into this one at the same positions, with their
    /// `recorded_at`, in one write transaction with the views they change, so a crash never
    /// copies an event twice or skips one. Events at or below the head (copied meanwhile by
    /// another process) are skipped. Returns the new head.
    /// - Throws: `StoreError.corrupt` when the copy does not follow the head, or when its hash
    ///   differs from the other log's: this log mirrors another history.
    public func appendReplicated(_ events: [ReplicatedEvent]) throws(StoreError) -> LogHead {
        do {
            return try environment.write { transaction in
                let reader = LogReader(transaction: transaction, databases: databases)
                let head = try reader.head()
                let fresh = events.drop { $0.position <= head.position }
                guard let first = fresh.first else { return head }
                guard first.position == head.position + 1 else {
                    throw StoreError.corrupt(
                        position: first.position, reason: "the copy does not follow the head at \(head.position)")
                }
                // One group per recorded_at: each append of the other log kept one time.
                var start = fresh.startIndex
                while start < fresh.endIndex {
                    let time = fresh[start].recordedAt
                    let end = fresh[start...].firstIndex { $0.recordedAt != time } ?? fresh.endIndex
                    let group = fresh[start..<end]
                    let results = try appendEvents(
                        group.map(\.event), checked: false, links: nil, recordedAt: time, in: transaction)
                    for (item, result) in zip(group, results) {
                        guard case .appended(let position, _) = result, position == item.position else {
                            throw StoreError.corrupt(
                                position: item.position, reason: "the copy is not stored at its own position")
                        }
                    }
                    let reached = try reader.head()
                    guard reached.hash == group.last!.hash else {
                        throw StoreError.corrupt(
                            position: reached.position, reason: "the copy's hash differs from the other log's")
                    }
                    start = end
                }
                return try reader.head()
            }
        } catch {
            throw mapped(error)
        }
    }

    /// A `checked` batch met an id that is already stored: redo it with the full checks.
    struct UnexpectedlyStored: Error {}

    /// Appends `batches` one after another in `transaction`, then folds all their stored events
    /// into the views at once: a case or relationship that several batches touch is read and
    /// written once per transaction, not once per batch. Checked batches are written in key
    /// order (`appendInKeyOrder`).
    private func appendBatches(
        _ batches: [(events: [PreparedEvent], links: ChainLinks)], checked: Bool, in transaction: Transaction
    ) throws -> [[AppendResult]] {
        if checked { return try appendInKeyOrder(batches, in: transaction) }
        let previousHead = try LogReader(transaction: transaction, databases: databases).head().position
        var stored: [StoredEvent] = []
        let results = try batches.map { batch in
            let results = try appendEvents(
                batch.events, checked: false, links: nil, foldingViews: false, in: transaction)
            stored.append(contentsOf: Self.storedEvents(batch.events, results))
            return results
        }
        try maintainViews(stored, after: previousHead, in: transaction)
        return results
    }

    /// Folds `stored`, just stored after position `previousHead`, into the views.
    private func maintainViews(_ stored: [StoredEvent], after previousHead: UInt64, in transaction: Transaction)
        throws
    {
        guard let views, !stored.isEmpty else { return }
        let reader = LogReader(transaction: transaction, databases: databases)
        try ViewWriter(reader: reader.views).apply(
            views.changes(folding: stored, after: previousHead, in: reader.views))
    }

    /// - Parameters:
    ///   - recordedAt: the events' `recorded_at` when copied from another log; else now.
    ///   - foldingViews: false when the caller folds the stored events into the views itself.
    private func appendEvents(
        _ events: [PreparedEvent], checked: Bool, links: ChainLinks?, recordedAt copiedTime: Int64? = nil,
        foldingViews: Bool = true, in transaction: Transaction
    ) throws -> [AppendResult] {
        var results: [AppendResult] = []
        results.reserveCapacity(events.count)
        let reader = LogReader(transaction: transaction, databases: databases)
        let last = try reader.head()
        var position = last.position
        var previousHash = last.hash[...]
        let lastRecordedAt =
            try last.position == 0 ? Int64.min : reader.record(at: last.position).recordedAtMicroseconds
        let recordedAt = max(copiedTime ?? Self.now(), lastRecordedAt)
        let links = links.flatMap {
            $0.count == events.count && $0.firstPosition == last.position + 1 && $0.previous == last.hash ? $0 : nil
        }

        try RecordCursors.with(databases, in: transaction) { cursors in
            try transaction.withCursor(databases.byCase) { caseCursor in
                for index in events.indices {
                    // The event is borrowed from the batch, not copied: no reference counting per field.
                    let result = try appendEvent(
                        events[index], index: index, checked: checked, link: links?.hash(at: index),
                        position: &position, previousHash: &previousHash, recordedAt: recordedAt, reader: reader,
                        cursors: cursors, caseCursor: &caseCursor)
                    results.append(result)
                }
            }
        }
        if foldingViews { try maintainViews(Self.storedEvents(events, results), after: last.position, in: transaction) }
        return results
    }

    /// Appends one event of a batch after `position` and `previousHash`, advancing both when it is
    /// stored. `link` is its chain hash computed ahead, if any.
    private func appendEvent(
        _ event: PreparedEvent, index: Int, checked: Bool, link: ArraySlice<UInt8>?, position: inout UInt64,
        previousHash: inout ArraySlice<UInt8>, recordedAt: Int64, reader: LogReader, cursors: RecordCursors,
        caseCursor: inout Cursor
    ) throws -> AppendResult {
        let transaction = reader.transaction
        if !checked,
            let existing = try IndexKey.withKey(event.id, { try transaction.get(databases.ids, key: $0) })
                .map(RecordLayout.readPosition)
        {
            let stored = try reader.record(at: existing)
            guard stored.canonical.elementsEqual(event.canonical) else {
                throw StoreError.idConflict(index: index, id: Self.text(event.id), storedAt: existing)
            }
            return .duplicate(of: existing)
        }
        var version: UInt64 = 0
        if let caseID = event.caseID {
            let found = try IndexKey.withKey(caseID) { try caseCursor.get(MDB_SET, key: $0) } != nil
            version = UInt64(found ? try caseCursor.duplicateCount() : 0) + 1
        }
        try Self.checkExpectedVersion(event, version: version, index: index)
        let stored = position + 1
        let hash = link ?? Self.chainHash(event, at: stored, after: previousHash)
        try withUnsafeBytes(of: stored.bigEndian) { key in
            try cursors.putRecord(event, key: key, recordedAt: recordedAt, version: version, hash: hash)
            let isNew = try IndexKey.withKey(event.id) { id in
                try transaction.put(databases.ids, key: id, value: key, flags: MDB_NOOVERWRITE)
            }
            // Unreachable unless something appended without the writer lock: start over checked.
            guard isNew else { throw UnexpectedlyStored() }
            if let caseID = event.caseID {
                try IndexKey.withKey(caseID) {
                    try Self.putLast(key: $0, position: key, in: "case", at: stored) {
                        try caseCursor.put(key: $0, value: $1, flags: MDB_APPENDDUP)
                    }
                }
            }
            try databases.customerKeys.withKey(event.customer, position: stored) {
                try Self.putLast(key: $0, position: key, in: "customer", at: stored) {
                    try transaction.put(databases.byCustomer, key: $0, value: $1, flags: MDB_APPENDDUP)
                }
            }
            try cursors.putIntoSmallIndexes(event, position: key, stored: stored)
        }
        position = stored
        previousHash = hash
        return .appended(position: stored, version: event.caseID == nil ? nil : version)
    }

    /// Throws `.versionConflict` when `event` expects its case at another version than the one
    /// before `version` (the version it is about to take).
    static func checkExpectedVersion(_ event: PreparedEvent, version: UInt64, index: Int) throws(StoreError) {
        if let expected = event.expectVersion, expected &+ 1 != version {
            throw StoreError.versionConflict(
                index: index, caseID: text(event.caseID ?? []), expected: expected, actual: version &- 1)
        }
    }

    /// The chain hash of `event` stored at `position` after a record whose hash is `previousHash`.
    static func chainHash(_ event: PreparedEvent, at position: UInt64, after previousHash: ArraySlice<UInt8>)
        -> ArraySlice<UInt8>
    {
        previousHash.withUnsafeBytes { previous in
            event.canonical.withUnsafeBytes {
                HashChain.link(previous: previous, position: position, canonical: $0)[...]
            }
        }
    }

    /// Puts `position` last among `key`'s positions with `put`, which returns false (MDB_KEYEXIST)
    /// when the index already holds this position or a later one: only a damaged index can.
    static func putLast(
        key: UnsafeRawBufferPointer, position: UnsafeRawBufferPointer, in index: String, at stored: UInt64,
        _ put: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        guard try put(key, position) else {
            throw StoreError.corrupt(
                position: stored, reason: "the \(index) index already holds this position or a later one")
        }
    }

    /// The events of a batch that were stored (not duplicates), with their positions.
    private static func storedEvents(_ events: [PreparedEvent], _ results: [AppendResult]) -> [StoredEvent] {
        zip(events, results).compactMap { event, result in
            guard case .appended(let position, _) = result else { return nil }
            return StoredEvent(position: position, envelope: event.envelope)
        }
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Runs `body` holding the store's writer lock, so no other plaint process appends meanwhile.
    public func exclusively<Result>(_ body: () throws -> Result) throws -> Result {
        try writerLock.withLock(body)
    }

    /// Grows the map, and the disk space reserved for it, so that about `bytes` more can be
    /// written: a large append makes its room once, before its first transaction, instead of
    /// growing the map (and redoing a transaction) several times on the way, and a disk that
    /// cannot hold that much is a `.diskFull` before anything is written.
    public func makeRoom(forBytes bytes: Int) throws(StoreError) {
        do { try environment.makeRoom(forBytes: bytes) } catch { throw mapped(error) }
    }

    /// With `false`, commits skip fsync (bulk loads); call `sync()` when done.
    public func setSyncOnCommit(_ enabled: Bool) throws(StoreError) {
        do { try environment.setSyncOnCommit(enabled) } catch { throw mapped(error) }
    }

    /// Forces everything committed so far to disk.
    public func sync() throws(StoreError) {
        do { try environment.sync() } catch { throw mapped(error) }
    }
}
