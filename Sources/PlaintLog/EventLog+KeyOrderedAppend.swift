import CLMDB
import PlaintEvents
import PlaintSystem
import Synchronization

extension EventLog {
    /// Appends checked batches in one transaction: the records in position order, then each
    /// scattered index (ids, cases, customers) in its key order (`KeyOrderedEntries`), so that an
    /// input in time order or shuffled writes its index pages about as a grouped one does, then
    /// the views' changes, each table's rows in key order.
    ///
    /// Every event must be new and its id unique in the input (`InputChecker` found them so, under
    /// the writer lock), so each is stored at the position after the one before, and the views'
    /// changes, which need only the events and the snapshot the transaction began with, are
    /// worked out on a second thread while this one writes the records and indexes; a third maps
    /// in the fresh pages the transaction is likely to take. An id found stored after all throws
    /// `UnexpectedlyStored`, and the caller redoes the batches with the full checks.
    func appendInKeyOrder(_ batches: [(events: [PreparedEvent], links: ChainLinks)], in transaction: Transaction)
        throws -> [[AppendResult]]
    {
        let reader = LogReader(transaction: transaction, databases: databases)
        let previousHead = try reader.head().position
        let filling = fillingFreshPages(count: batches.reduce(0) { $0 + $1.events.count })
        let ahead = workingAhead(batches, after: previousHead)
        // The threads are waited for whatever happens, so that no read of the map outlives the
        // transaction.
        let written = Result { try writeRecordsAndIndexes(batches, in: transaction) }
        let worked = Result { try ahead?.value() }
        // Best effort: a transaction that could not map its pages in writes them all the same.
        _ = try? filling?.value()
        let results = try written.get()
        let viewChanges =
            try worked.get()
            ?? views.map {
                try $0.changes(
                    folding: Self.storedEvents(batches, after: previousHead), after: previousHead, in: reader.views)
            }
        if let viewChanges { try ViewWriter(reader: reader.views).apply(viewChanges) }
        return results
    }

    private func writeRecordsAndIndexes(
        _ batches: [(events: [PreparedEvent], links: ChainLinks)], in transaction: Transaction
    ) throws -> [[AppendResult]] {
        var (results, entries) = try writeRecords(batches, in: transaction)
        entries.ids.sort()
        entries.customers.sort()
        try transaction.withCursor(databases.ids) { cursor in
            try entries.ids.forEach { id, stored, _ in
                let isNew = try withUnsafeBytes(of: stored.bigEndian) {
                    try cursor.put(key: id, value: $0, flags: MDB_NOOVERWRITE)
                }
                guard isNew else { throw UnexpectedlyStored() }
            }
        }
        try putLast(entries.cases, into: databases.byCase, named: "case", in: transaction)
        try putLast(entries.customers, into: databases.byCustomer, named: "customer", in: transaction)
        return results
    }

    /// The views' changes for `batches` on another thread, in a read snapshot that must end at
    /// `previousHead` (else the value is nil). Nil when the store keeps no views.
    ///
    /// The events it folds are made here, before the thread starts: made there, from the events
    /// this thread is writing, the two threads' reference counting on the same objects costs
    /// more than the thread saves on a shuffled input.
    private func workingAhead(
        _ batches: [(events: [PreparedEvent], links: ChainLinks)], after previousHead: UInt64
    ) -> Concurrent<ViewChanges?>? {
        guard let views else { return nil }
        let environment = environment
        let databases = databases
        let stored = Self.storedEvents(batches, after: previousHead)
        return Concurrent("append-views") {
            try environment.read { transaction in
                let reader = LogReader(transaction: transaction, databases: databases)
                guard try reader.head().position == previousHead else { return nil }
                return try views.changes(folding: stored, after: previousHead, in: reader.views)
            }
        }
    }

    /// Maps in, on a thread of its own, the fresh pages a transaction of `count` events is
    /// likely to take (`Environment.prefaultFreshPages`): as many per event as the transaction
    /// before took, since how many an event takes depends on the input's order (a live feed or a
    /// shuffled export copies more index and view pages per event than events grouped by case).
    /// At most four times the first guess per event, and `largestPrefault` in all: page cache a
    /// transaction does not use is written out at its commit all the same. Nil when there is
    /// nothing to map in.
    private func fillingFreshPages(count: Int) -> Concurrent<Void>? {
        let perEvent = min(
            freshBytesPerEvent.withLock { $0 } ?? Self.firstGuessOfFreshBytes, 4 * Self.firstGuessOfFreshBytes)
        guard perEvent > 0, count > 0 else { return nil }
        let bytes = min(count, Self.largestPrefault / perEvent) * perEvent
        let environment = environment
        return Concurrent("append-pages") {
            try environment.read { transaction in environment.prefaultFreshPages(bytes: bytes, in: transaction) }
        }
    }

    /// Runs `write`, a transaction of `events` events, and keeps the bytes of fresh pages per
    /// event it took, for the next transaction's `fillingFreshPages`.
    func measuringFreshPages<Result>(events: Int, _ write: () throws -> Result) rethrows -> Result {
        let before = environment.usedBytes
        let result = try write()
        if events > 0 {
            let taken = max(0, environment.usedBytes - before)
            freshBytesPerEvent.withLock { $0 = taken / events }
        }
        return result
    }

    /// The most a transaction maps in ahead.
    static let largestPrefault = 256 << 20

    /// The events of `batches` as stored one after another after `previousHead`.
    private static func storedEvents(
        _ batches: [(events: [PreparedEvent], links: ChainLinks)], after previousHead: UInt64
    ) -> [StoredEvent] {
        var stored: [StoredEvent] = []
        stored.reserveCapacity(batches.reduce(0) { $0 + $1.events.count })
        for batch in batches {
            for event in batch.events {
                stored.append(StoredEvent(position: previousHead + UInt64(stored.count) + 1, envelope: event.envelope))
            }
        }
        return stored
    }

    /// About the new pages an appended event takes in a new store (its record, index entries and
    /// share of the views, as copies of pages are made): what the first transaction maps in
    /// ahead, before one has measured it.
    static let firstGuessOfFreshBytes = 1024

    /// Writes the records of `batches` after the head, with the brand and type entries; returns
    /// the results and the other indexes' entries (the cases' sorted).
    private func writeRecords(_ batches: [(events: [PreparedEvent], links: ChainLinks)], in transaction: Transaction)
        throws -> (results: [[AppendResult]], entries: ScatteredEntries)
    {
        let reader = LogReader(transaction: transaction, databases: databases)
        let last = try reader.head()
        let first = last.position + 1
        let count = batches.reduce(0) { $0 + $1.events.count }
        let lastRecordedAt =
            try last.position == 0 ? Int64.min : reader.record(at: last.position).recordedAtMicroseconds
        var cases = KeyOrderedEntries(capacity: count)
        var position = last.position
        for batch in batches {
            for index in batch.events.indices {
                position += 1
                if let caseID = batch.events[index].caseID {
                    IndexKey.withKey(caseID) { cases.add(key: $0, position: position) }
                }
            }
        }
        cases.sort()
        var ids = KeyOrderedEntries(capacity: count)
        var customers = KeyOrderedEntries(capacity: count)
        var record = RecordWriter(
            versions: try caseVersions(cases, first: first, count: count, in: transaction), first: first,
            position: last.position, previousHash: last.hash[...], recordedAt: max(Self.now(), lastRecordedAt))
        let results = try RecordCursors.with(databases, in: transaction) { cursors in
            try batches.map { batch in
                let links = batch.links
                let linked =
                    links.count == batch.events.count && links.firstPosition == record.position + 1
                    && links.previous.elementsEqual(record.previousHash)
                var results: [AppendResult] = []
                results.reserveCapacity(batch.events.count)
                for index in batch.events.indices {
                    // The event is borrowed from the batch, not copied: no reference counting per field.
                    results.append(
                        try record.write(
                            batch.events[index], index: index, link: linked ? links.hash(at: index) : nil,
                            through: cursors))
                    IndexKey.withKey(batch.events[index].id) { ids.add(key: $0, position: record.position) }
                    try databases.customerKeys.withKey(batch.events[index].customer, position: record.position) {
                        customers.add(key: $0, position: record.position)
                    }
                }
                return results
            }
        }
        return (results, ScatteredEntries(ids: ids, cases: cases, customers: customers))
    }

    /// The version each cased event of the transaction gets, by its offset from `first`: its
    /// case's stored events plus its rank among the case's events here.
    private func caseVersions(_ cases: KeyOrderedEntries, first: UInt64, count: Int, in transaction: Transaction)
        throws -> [UInt64]
    {
        var versions = [UInt64](repeating: 0, count: count)
        try transaction.withCursor(databases.byCase) { cursor in
            var version: UInt64 = 0
            try cases.forEach { caseKey, stored, isFirstOfKey in
                if isFirstOfKey {
                    version = try cursor.get(MDB_SET, key: caseKey) == nil ? 0 : UInt64(try cursor.duplicateCount())
                }
                version += 1
                versions[Int(stored - first)] = version
            }
        }
        return versions
    }

    /// Puts `entries`, sorted, each last among its key's positions (MDB_APPENDDUP).
    private func putLast(
        _ entries: KeyOrderedEntries, into index: Database, named name: String, in transaction: Transaction
    ) throws {
        try transaction.withCursor(index) { cursor in
            try entries.forEach { key, stored, _ in
                try withUnsafeBytes(of: stored.bigEndian) { position in
                    try Self.putLast(key: key, position: position, in: name, at: stored) {
                        try cursor.put(key: $0, value: $1, flags: MDB_APPENDDUP)
                    }
                }
            }
        }
    }
}

/// Writes a checked transaction's records one after another, continuing the hash chain.
private struct RecordWriter {
    /// Each event's version by its offset from `first` (0 for an event without a case).
    let versions: [UInt64]
    let first: UInt64
    /// The last position written, and its hash.
    var position: UInt64
    var previousHash: ArraySlice<UInt8>
    let recordedAt: Int64

    /// Stores `event` (the batch's `index`th) after `position`; `link` is its chain hash
    /// computed ahead, if any.
    mutating func write(
        _ event: PreparedEvent, index: Int, link: ArraySlice<UInt8>?, through cursors: RecordCursors
    ) throws -> AppendResult {
        let stored = position + 1
        let version = event.caseID == nil ? 0 : versions[Int(stored - first)]
        try EventLog.checkExpectedVersion(event, version: version, index: index)
        let hash = link ?? EventLog.chainHash(event, at: stored, after: previousHash)
        try withUnsafeBytes(of: stored.bigEndian) { key in
            try cursors.putRecord(event, key: key, recordedAt: recordedAt, version: version, hash: hash)
            try cursors.putIntoSmallIndexes(event, position: key, stored: stored)
        }
        position = stored
        previousHash = hash
        return .appended(position: stored, version: event.caseID == nil ? nil : version)
    }
}

/// A transaction's entries for the indexes whose keys an input scatters, to be put in key order.
private struct ScatteredEntries {
    var ids: KeyOrderedEntries
    var cases: KeyOrderedEntries
    var customers: KeyOrderedEntries
}
