import CLMDB
import PlaintEvents

extension EventLog {
    /// Appends checked batches in one transaction: the records in position order, then each
    /// scattered index (ids, cases, customers) in its key order (`KeyOrderedEntries`), so that an
    /// input in time order or shuffled writes its index pages about as a grouped one does.
    ///
    /// Every event must be new and its id unique in the input (`InputChecker` found them so, under
    /// the writer lock): an id found stored after all throws `UnexpectedlyStored`, and the caller
    /// redoes the batches with the full checks. A case's versions count on from what the case
    /// index holds, looked up once per case.
    func appendInKeyOrder(_ batches: [(events: [PreparedEvent], links: ChainLinks)], in transaction: Transaction)
        throws -> [[AppendResult]]
    {
        let reader = LogReader(transaction: transaction, databases: databases)
        let last = try reader.head()
        let first = last.position + 1
        let count = batches.reduce(0) { $0 + $1.events.count }
        let lastRecordedAt =
            try last.position == 0 ? Int64.min : reader.record(at: last.position).recordedAtMicroseconds
        let recordedAt = max(Self.now(), lastRecordedAt)

        var cases = KeyOrderedEntries(capacity: count)
        var position = last.position
        for batch in batches {
            for event in batch.events {
                position += 1
                if let caseID = event.caseID { IndexKey.withKey(caseID) { cases.add(key: $0, position: position) } }
            }
        }
        cases.sort()
        let versions = try caseVersions(cases, first: first, count: count, in: transaction)

        var ids = KeyOrderedEntries(capacity: count)
        var customers = KeyOrderedEntries(capacity: count)
        var previousHash = last.hash[...]
        position = last.position
        let results = try batches.map { batch in
            let links = batch.links
            let linked =
                links.count == batch.events.count && links.firstPosition == position + 1
                && links.previous.elementsEqual(previousHash)
            var results: [AppendResult] = []
            results.reserveCapacity(batch.events.count)
            for index in batch.events.indices {
                let stored = position + 1
                let event = batch.events[index]
                let version = event.caseID == nil ? 0 : versions[Int(stored - first)]
                if let expected = event.expectVersion, expected &+ 1 != version {
                    throw StoreError.versionConflict(
                        index: index, caseID: Self.text(event.caseID ?? []), expected: expected, actual: version &- 1)
                }
                let hash =
                    linked
                    ? links.hash(at: index)
                    : previousHash.withUnsafeBytes { previous in
                        event.canonical.withUnsafeBytes {
                            HashChain.link(previous: previous, position: stored, canonical: $0)[...]
                        }
                    }
                try withUnsafeBytes(of: stored.bigEndian) { key in
                    try putRecord(
                        event, key: key, recordedAt: recordedAt, version: version, hash: hash, in: transaction)
                    try putIntoSmallIndexes(event, position: key, stored: stored, in: transaction)
                }
                IndexKey.withKey(event.id) { ids.add(key: $0, position: stored) }
                try databases.customerKeys.withKey(event.customer, position: stored) {
                    customers.add(key: $0, position: stored)
                }
                position = stored
                previousHash = hash
                results.append(.appended(position: stored, version: event.caseID == nil ? nil : version))
            }
            return results
        }
        ids.sort()
        customers.sort()
        try transaction.withCursor(databases.ids) { cursor in
            try ids.forEach { id, stored, _ in
                let isNew = try withUnsafeBytes(of: stored.bigEndian) {
                    try cursor.put(key: id, value: $0, flags: MDB_NOOVERWRITE)
                }
                guard isNew else { throw UnexpectedlyStored() }
            }
        }
        try putLast(cases, into: databases.byCase, named: "case", in: transaction)
        try putLast(customers, into: databases.byCustomer, named: "customer", in: transaction)
        return results
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
