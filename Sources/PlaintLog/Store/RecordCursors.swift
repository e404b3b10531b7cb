import CLMDB
import PlaintEvents

/// Cursors on the records and on the brand and type indexes, open for the appends of one write
/// transaction.
///
/// A put through the transaction opens and sets up a cursor of its own for every record and
/// index entry. These cursors are set up once and stay where the last put left them: LMDB finds
/// a brand or type key on the page the cursor already holds (each index has a few keys, met
/// again and again) without searching the tree for it, so only the key's positions are searched
/// for their end. A record still goes through a walk to the last page (MDB_APPEND), which
/// compares no keys on the way.
struct RecordCursors {
    private let records: Cursor
    private let brands: Cursor
    private let types: Cursor

    /// Runs `body` with the cursors, closed before the transaction ends.
    static func with<Result>(
        _ databases: EventLog.Databases, in transaction: Transaction, _ body: (RecordCursors) throws -> Result
    ) throws -> Result {
        let records = try transaction.openCursor(databases.events)
        defer { records.close() }
        let brands = try transaction.openCursor(databases.byBrand)
        defer { brands.close() }
        let types = try transaction.openCursor(databases.byType)
        defer { types.close() }
        return try body(RecordCursors(records: records, brands: brands, types: types))
    }

    /// Stores `event`'s record under `key` (its position, which follows every stored one).
    func putRecord(
        _ event: PreparedEvent, key: UnsafeRawBufferPointer, recordedAt: Int64, version: UInt64,
        hash: ArraySlice<UInt8>
    ) throws {
        // Positions only grow, so MDB_APPEND skips the search for the insertion point.
        try records.putReserving(key: key, count: RecordLayout.headerSize + event.canonical.count, flags: MDB_APPEND) {
            buffer in
            RecordLayout.writeHeader(into: buffer, recordedAt: recordedAt, version: version, hash: hash)
            event.canonical.withUnsafeBytes { body in
                UnsafeMutableRawBufferPointer(rebasing: buffer[RecordLayout.headerSize...]).copyMemory(from: body)
            }
        }
    }

    /// Puts `event` into the brand and type indexes. Each index keeps a key's positions in
    /// order, and this one is past every stored position, so it goes last (MDB_APPENDDUP: LMDB
    /// skips the search among them).
    func putIntoSmallIndexes(_ event: PreparedEvent, position key: UnsafeRawBufferPointer, stored: UInt64) throws {
        try IndexKey.withKey(event.brand) {
            try EventLog.putLast(key: $0, position: key, in: "brand", at: stored) {
                try brands.put(key: $0, value: $1, flags: MDB_APPENDDUP)
            }
        }
        try Self.typeKeys[event.type]!.withUnsafeBytes {
            try EventLog.putLast(key: $0, position: key, in: "type", at: stored) {
                try types.put(key: $0, value: $1, flags: MDB_APPENDDUP)
            }
        }
    }

    /// The `by_type` keys: made once, not per event.
    private static let typeKeys = Dictionary(
        uniqueKeysWithValues: EventType.allCases.map { ($0, Array($0.rawValue.utf8)) })
}
