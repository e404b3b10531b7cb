import CLMDB
import Crypto
import PlaintEvents

/// A named LMDB database that holds a projection's stored view, in the log's environment so that
/// views change in the same write transaction as the log.
public struct ViewTable: Hashable, Sendable {
    public let name: String

    public init(_ name: String) { self.name = name }
}

/// Keys made of several identifiers, ordered by their first component so that all of one
/// brand's rows (say) form one key range.
///
/// Each component is its length (one byte) and its bytes; a component longer than 120 bytes is
/// 0xFF and its SHA-256 instead, so three components always fit LMDB's
/// 511-byte key limit.
public enum ViewKey {
    public static func make(_ components: [UInt8]...) -> [UInt8] {
        var key: [UInt8] = []
        for component in components { append(component, to: &key) }
        return key
    }

    /// The key prefix shared by every key whose first component is `component`.
    public static func prefix(_ component: [UInt8]) -> [UInt8] { make(component) }

    /// The range of the encoded component (marker byte included) that starts at `offset` of
    /// `key`; nil when the bytes there are not one.
    public static func component(in key: Span<UInt8>, at offset: Int) -> Range<Int>? {
        guard offset < key.count else { return nil }
        let marker = Int(key[offset])
        let length = marker == 0xFF ? 32 : marker
        guard marker == 0xFF || marker <= 120, offset + 1 + length <= key.count else { return nil }
        return offset..<offset + 1 + length
    }

    public static func append(_ component: [UInt8], to key: inout [UInt8]) {
        if component.count <= 120 {
            key.append(UInt8(component.count))
            key.append(contentsOf: component)
        } else {
            key.append(0xFF)
            key.append(contentsOf: SHA256.hash(data: component))
        }
    }
}

/// Lookups by key in one view table, inside a transaction.
public struct ViewLookups {
    let transaction: Transaction
    let database: Database

    /// Whether a lookup by `key` finds a row: what a walk in key order cannot tell.
    public func finds(_ key: [UInt8]) throws -> Bool {
        try transaction.get(database, key: key) != nil
    }
}

/// Read access to the view tables inside a transaction (read or write).
public struct ViewReader {
    let transaction: Transaction
    let tables: [ViewTable: Database]

    func database(_ table: ViewTable) throws -> Database {
        guard let database = tables[table] else { throw StoreError.viewsMissing }
        return database
    }

    /// Calls `body` with the value under `key` (valid only inside `body`), or nil.
    public func withValue<Result>(_ table: ViewTable, key: [UInt8], _ body: (Span<UInt8>?) throws -> Result)
        throws -> Result
    {
        guard let value = try transaction.get(database(table), key: key) else { return try body(nil) }
        return try value.withMemoryRebound(to: UInt8.self) { try body($0.span) }
    }

    /// Lookups by key in `table`, its database found once: a comparison looks up every row it
    /// walks, and finding the table by its name would hash the name for each row.
    public func lookups(in table: ViewTable) throws -> ViewLookups {
        ViewLookups(transaction: transaction, database: try database(table))
    }

    public func value(_ table: ViewTable, key: [UInt8]) throws -> [UInt8]? {
        try transaction.get(database(table), key: key).map { Array($0) }
    }

    /// Calls `body` with each (key, value) whose key starts with `prefix`, in key order, until it
    /// returns false. Keys and values are valid only inside `body`.
    public func forEach(
        _ table: ViewTable, prefix: [UInt8] = [],
        _ body: (_ key: Span<UInt8>, _ value: Span<UInt8>) throws -> Bool
    ) throws {
        try transaction.walk(
            try database(table), from: { try prefix.isEmpty ? $0.get(MDB_FIRST) : $0.get(MDB_SET_RANGE, key: prefix) }
        ) { entry in
            guard entry.key.starts(with: prefix) else { return false }
            return try entry.key.withMemoryRebound(to: UInt8.self) { key in
                try entry.value.withMemoryRebound(to: UInt8.self) { value in try body(key.span, value.span) }
            }
        }
    }

    /// Lends `body` the rows whose keys start with `prefix`, in key order, to visit as often and
    /// in whatever order it likes without copying them: for a query that numbers a key range's
    /// rows in one pass and reads them again grouped another way. They stay where the memory map
    /// holds them, which a read-only transaction never changes (lmdb.h, mdb_get: values "are
    /// valid only until a subsequent update operation, or the end of the transaction").
    public func withRows<Result>(_ table: ViewTable, prefix: [UInt8], _ body: (borrowing ViewRows) throws -> Result)
        throws -> Result
    {
        precondition(transaction.isReadOnly, "rows kept in a write transaction would be invalidated by its updates")
        var values: [UnsafeRawBufferPointer] = []
        try transaction.withCursor(try database(table)) { cursor in
            var entry = try prefix.isEmpty ? cursor.get(MDB_FIRST) : cursor.get(MDB_SET_RANGE, key: prefix)
            while let current = entry, current.key.starts(with: prefix) {
                values.append(current.value)
                entry = try cursor.get(MDB_NEXT)
            }
        }
        return try body(ViewRows(values: values))
    }

    /// The number of rows in `table`.
    public func count(_ table: ViewTable) throws -> Int {
        Int(try transaction.statistics(database(table)).ms_entries)
    }
}

/// A key range's rows, lent by `ViewReader.withRows` and valid only inside its closure (it is
/// noncopyable and lent `borrowing`, so it cannot be kept).
public struct ViewRows: ~Copyable {
    @usableFromInline let values: [UnsafeRawBufferPointer]

    public var count: Int { values.count }

    /// Lends the row at `index` (0 is the first in key order) to `body`.
    @inlinable
    public func withRow<Result>(_ index: Int, _ body: (Span<UInt8>) throws -> Result) rethrows -> Result {
        try values[index].withMemoryRebound(to: UInt8.self) { try body($0.span) }
    }
}

/// Write access to the view tables inside the append's (or replay's) write transaction.
public struct ViewWriter {
    public let reader: ViewReader

    var transaction: Transaction { reader.transaction }

    public func put(_ table: ViewTable, key: [UInt8], value: [UInt8]) throws {
        try transaction.put(reader.database(table), key: key, value: value)
    }

    /// Puts a row whose key sorts after every key in the table (bulk loads in key order).
    public func putLast(_ table: ViewTable, key: [UInt8], value: [UInt8]) throws {
        try transaction.put(reader.database(table), key: key, value: value, flags: MDB_APPEND)
    }

    public func delete(_ table: ViewTable, key: [UInt8]) throws {
        try key.withUnsafeBytes { keyBuffer in
            var keyValue = MDB_val(
                mv_size: keyBuffer.count, mv_data: UnsafeMutableRawPointer(mutating: keyBuffer.baseAddress))
            let code = mdb_del(transaction.handle, try reader.database(table).handle, &keyValue, nil)
            if code != MDB_NOTFOUND { try check(code) }
        }
    }

    /// Deletes every row of `table`.
    public func clear(_ table: ViewTable) throws {
        try check(mdb_drop(transaction.handle, reader.database(table).handle, 0))
    }
}

/// Keeps stored views in step with the log: what it works out is written in each append's write
/// transaction, so a view is never ahead of or behind the log it was built from.
public protocol ViewMaintainer: Sendable {
    /// The tables the views live in; the log opens (and creates) them with its own databases.
    var tables: [ViewTable] { get }

    /// What folding `events`, stored (or about to be) right after position `previousHead`,
    /// changes in the views as `views` holds them. It only reads, and only the views' tables, so
    /// it may run on another thread in a snapshot of the log before the events.
    func changes(folding events: [StoredEvent], after previousHead: UInt64, in views: ViewReader) throws
        -> ViewChanges
}
