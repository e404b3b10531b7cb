import CLMDB
import HeapModule
import PlaintEvents

/// What the store already knows of an event's id.
public enum StoredIdentity: Equatable, Sendable {
    case new
    /// The same id with the same canonical bytes: appending it again is a no-op.
    case duplicate(position: UInt64)
    /// The same id with other content.
    case conflict(position: UInt64)
}

/// A consistent read-only snapshot of the log, lent to a closure by `EventLog.read`.
///
/// What it lends (records, keys, values) points into the memory map: it is lent to closures as
/// spans or as a noncopyable `RecordView`, valid only inside them.
public struct LogReader {
    let transaction: Transaction
    let databases: EventLog.Databases

    /// The projections' stored views, in the same snapshot as the log.
    public var views: ViewReader { ViewReader(transaction: transaction, tables: databases.views) }

    public func head() throws -> LogHead {
        try transaction.withCursor(databases.events) { cursor in
            guard let last = try cursor.get(MDB_LAST) else { return LogHead(position: 0, hash: HashChain.genesis) }
            let record = try RecordView(position: RecordLayout.readPosition(last.key), raw: last.value)
            return LogHead(position: record.position, hash: Array(record.hash))
        }
    }

    /// The record at `position`, which the caller knows is stored (an index, a ledger or the
    /// head names it): a keyed lookup that misses means damage a walk in order does not meet.
    @usableFromInline
    func record(at position: UInt64) throws -> RecordView {
        guard let raw = try transaction.get(databases.events, key: RecordLayout.positionKey(position)) else {
            throw StoreError.corrupt(
                position: position, reason: "a lookup of this position finds no record, though the store names it")
        }
        return try RecordView(position: position, raw: raw)
    }

    /// Lends the record at `position`, which the store names (an index, a ledger or the head),
    /// to `body`; throws `StoreError.corrupt` when a lookup does not find it.
    @inlinable
    public func withRecord<Result>(at position: UInt64, _ body: (borrowing RecordView) throws -> Result) throws
        -> Result
    {
        try body(try record(at: position))
    }

    /// A record's `recorded_at`, in microseconds; nil for position 0 (an empty log's head).
    public func recordedAt(_ position: UInt64) throws -> Int64? {
        position == 0 ? nil : try withRecord(at: position) { $0.recordedAtMicroseconds }
    }

    /// Calls `body` for each record from `position` on, in order, until it returns false.
    public func forEachRecord(from position: UInt64 = 1, _ body: (borrowing RecordView) throws -> Bool) throws {
        try transaction.walk(
            databases.events, from: { try $0.get(MDB_SET_RANGE, key: RecordLayout.positionKey(position)) }
        ) {
            try body(try RecordView(position: RecordLayout.readPosition($0.key), raw: $0.value))
        }
    }

    /// Calls `body` with the positions, ascending from `position`, of the events whose `index`
    /// value is `key`, until it returns false.
    public func forEachPosition(
        in index: LogIndex, key: [UInt8], from position: UInt64 = 1, _ body: (UInt64) throws -> Bool
    ) throws {
        // Stored identifiers are never empty, and LMDB refuses empty keys (MDB_BAD_VALSIZE).
        guard !key.isEmpty else { return }
        let start = RecordLayout.positionKey(position)
        try transaction.withCursor(databases.index(index)) { cursor in
            for indexKey in try keys(in: index, for: key, from: position) {
                var entry = try indexKey.withUnsafeBytes { keyBuffer in
                    try start.withUnsafeBytes { valueBuffer in
                        try cursor.get(MDB_GET_BOTH_RANGE, key: keyBuffer, value: valueBuffer)
                    }
                }
                while let current = entry {
                    guard try body(RecordLayout.readPosition(current.value)) else { return }
                    entry = try cursor.get(MDB_NEXT_DUP)
                }
            }
        }
    }

    /// The keys under which `index` may hold postings of `value` at `position` or later: one,
    /// except in the customer index of a format 2 store, which has one per epoch.
    private func keys(in index: LogIndex, for value: [UInt8], from position: UInt64) throws -> [[UInt8]] {
        guard index == .customer else { return [IndexKey.make(value)] }
        let customerKeys = databases.customerKeys
        guard customerKeys.hasEpochs else { return [customerKeys.key(value, epoch: 0)] }
        return customerKeys.epochs(from: position, through: try head().position).map {
            customerKeys.key(value, epoch: $0)
        }
    }

    /// How many events carry `key` in `index` (for a case: its current version).
    public func count(in index: LogIndex, key: [UInt8]) throws -> Int {
        guard !key.isEmpty else { return 0 }
        return try transaction.withCursor(databases.index(index)) { cursor in
            var total = 0
            for indexKey in try keys(in: index, for: key, from: 1)
            where try cursor.get(MDB_SET, key: indexKey) != nil {
                total += try cursor.duplicateCount()
            }
            return total
        }
    }

    /// Whether the event at `position` carries `key` in `index`.
    public func contains(_ index: LogIndex, key: [UInt8], position: UInt64) throws -> Bool {
        guard !key.isEmpty else { return false }
        let indexKey =
            index == .customer ? databases.customerKeys.key(key, position: position) : IndexKey.make(key)
        return try Self.contains(transaction, databases.index(index), key: indexKey, position: position)
    }

    static func contains(_ transaction: Transaction, _ database: Database, key: [UInt8], position: UInt64) throws
        -> Bool
    {
        try transaction.withCursor(database) { cursor in
            try key.withUnsafeBytes { keyBuffer in
                try RecordLayout.positionKey(position).withUnsafeBytes { valueBuffer in
                    try cursor.get(MDB_GET_BOTH, key: keyBuffer, value: valueBuffer) != nil
                }
            }
        }
    }

    public func position(ofID id: [UInt8]) throws -> UInt64? {
        try id.withUnsafeBytes { try position(ofID: $0) }
    }

    /// `position(ofID:)` of borrowed bytes: an id short enough to be its own key (nearly all)
    /// is looked up without a copy.
    public func position(ofID id: Span<UInt8>) throws -> UInt64? {
        try id.withUnsafeBytes { try position(ofID: $0) }
    }

    func position(ofID id: UnsafeRawBufferPointer) throws -> UInt64? {
        let found =
            id.count > IndexKey.directLimit
            ? try transaction.get(databases.ids, key: IndexKey.make(Array(id)))
            : try transaction.get(databases.ids, key: id)
        return found.map(RecordLayout.readPosition)
    }

    /// Whether the event with this id is new, a duplicate of a stored event, or conflicts with
    /// one: `isSameContent` gets the stored event's canonical bytes (lent), so a caller makes
    /// its own only when the id is stored.
    public func identity(id: Span<UInt8>, isSameContent: (Span<UInt8>) throws -> Bool) throws -> StoredIdentity {
        guard let position = try position(ofID: id) else { return .new }
        let same = try withRecord(at: position) { try $0.withCanonical(isSameContent) }
        return same ? .duplicate(position: position) : .conflict(position: position)
    }

    /// Calls `body` with every (key, position) posting of `index` in key order (positions
    /// ascending within a key), from the first key at or after `start` (nil: the first), until
    /// it returns false. A walk of the whole index in storage order: replay groups each case's
    /// events this way instead of looking every event's case up. Keys are `IndexKey`s: an
    /// identifier longer than `IndexKey.directLimit` bytes is keyed by a prefix and a hash. In
    /// the customer index of a format 2 store, each key starts with its epoch (`CustomerKeys`).
    public func forEachPosting(
        in index: LogIndex, startingAt start: [UInt8]? = nil,
        _ body: (_ key: Span<UInt8>, _ position: UInt64) throws -> Bool
    ) throws {
        try transaction.withCursor(databases.index(index)) { cursor in
            var entry =
                if let start, !start.isEmpty { try cursor.get(MDB_SET_RANGE, key: start) } else {
                    try cursor.get(MDB_FIRST)
                }
            while let current = entry {
                let more = try current.key.withMemoryRebound(to: UInt8.self) { key in
                    try body(key.span, RecordLayout.readPosition(current.value))
                }
                guard more else { return }
                entry = try cursor.get(MDB_NEXT)
            }
        }
    }

    /// Distinct values in `index`, in key order, each with its number of events (walks the keys,
    /// not the postings).
    public func forEachKey(in index: LogIndex, _ body: (Span<UInt8>, Int) throws -> Void) throws {
        try forEachKey(in: index) { key, count in try key.withMemoryRebound(to: UInt8.self) { try body($0.span, count) }
        }
    }

    func forEachKey(in index: LogIndex, _ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        if index == .customer, databases.customerKeys.hasEpochs {
            return try forEachCustomer(body)
        }
        try transaction.withCursor(databases.index(index)) { cursor in
            var entry = try cursor.get(MDB_FIRST)
            while let current = entry {
                try body(current.key, try cursor.duplicateCount())
                entry = try cursor.get(MDB_NEXT_NODUP)
            }
        }
    }

    /// `forEachKey` for a customer index keyed by epoch: merges the epochs' sorted customers, with
    /// a cursor in each epoch and a heap that keeps the cursors in customer order.
    private func forEachCustomer(_ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        let customerKeys = databases.customerKeys
        var cursors: [Cursor] = []
        defer { for cursor in cursors { cursor.close() } }
        var next = Heap<EpochCursor>()
        /// Queues cursor `index`'s current customer, unless it has left its epoch.
        func enqueue(_ entry: Cursor.Entry?, cursor index: Int, epoch: UInt32) throws {
            guard let entry, customerKeys.epoch(ofKey: entry.key) == epoch else { return }
            next.insert(
                EpochCursor(
                    customer: customerKeys.customerPart(of: entry.key), cursor: index, epoch: epoch,
                    count: try cursors[index].duplicateCount()))
        }
        for epoch in customerKeys.epochs(from: 1, through: try head().position) {
            cursors.append(try transaction.openCursor(databases.byCustomer))
            let start = withUnsafeBytes(of: epoch.bigEndian) { Array($0) }
            try enqueue(
                try cursors[cursors.count - 1].get(MDB_SET_RANGE, key: start), cursor: cursors.count - 1, epoch: epoch)
        }
        while let smallest = next.popMin() {
            var count = smallest.count
            try enqueue(
                try cursors[smallest.cursor].get(MDB_NEXT_NODUP), cursor: smallest.cursor, epoch: smallest.epoch)
            while let same = next.min, same.customer.elementsEqual(smallest.customer) {
                _ = next.popMin()
                count += same.count
                try enqueue(try cursors[same.cursor].get(MDB_NEXT_NODUP), cursor: same.cursor, epoch: same.epoch)
            }
            try body(smallest.customer, count)
        }
    }
}

/// One epoch's cursor in `forEachCustomer`'s merge, ordered by the customer it is at.
private struct EpochCursor: Comparable {
    /// Points into the memory map: valid while the read transaction lasts.
    let customer: UnsafeRawBufferPointer
    let cursor: Int
    let epoch: UInt32
    let count: Int

    static func < (lhs: Self, rhs: Self) -> Bool {
        if lhs.customer.elementsEqual(rhs.customer) { return lhs.epoch < rhs.epoch }
        return lhs.customer.lexicographicallyPrecedes(rhs.customer)
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.epoch == rhs.epoch && lhs.customer.elementsEqual(rhs.customer)
    }
}

extension EventLog {
    /// Runs `body` on a consistent snapshot of the log. LMDB failures surface as `StoreError`;
    /// errors `body` throws itself pass through unchanged.
    public func read<Result>(_ body: (LogReader) throws -> Result) throws -> Result {
        do {
            return try environment.read { transaction in
                try body(LogReader(transaction: transaction, databases: databases))
            }
        } catch let error as LMDBError {
            throw mapped(error)
        }
    }

    public func head() throws -> LogHead {
        try read { try $0.head() }
    }

    /// Lets go of the store's pages this process has touched (they stay in the page cache), so
    /// that long reads and loads keep a small resident set. Safe at any time.
    public func releaseMemory() {
        environment.releaseMappedPages(dataFile: dataFilePath)
    }

    /// This process's anonymous resident memory in bytes: what it holds beyond the page cache.
    public static func anonymousBytes() -> Int? { Environment.anonymousBytes() }
}
