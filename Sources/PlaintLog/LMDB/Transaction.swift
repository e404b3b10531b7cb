import CLMDB

/// A named database's handle; opened once at start-up and valid as long as the environment.
struct Database: Sendable {
    let handle: MDB_dbi

    /// The unnamed database that lists the named ones (handle 1 in every environment, mdb.c's
    /// MAIN_DBI; lmdb.h does not name it).
    static let main = Database(handle: 1)
}

/// A transaction handle lent to a closure by `Environment.read` or `Environment.write`.
///
/// Bytes it returns point into the memory map: they are valid only until the transaction ends
/// (lmdb.h, MDB_val), so callers copy what they keep.
struct Transaction {
    let handle: OpaquePointer
    /// Begun with MDB_RDONLY: it makes no updates, so values it returns stay valid until it ends.
    let isReadOnly: Bool

    /// The value stored under `key`, or nil.
    func get(_ database: Database, key: UnsafeRawBufferPointer) throws(LMDBError) -> UnsafeRawBufferPointer? {
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var value = MDB_val()
        let code = mdb_get(handle, database.handle, &keyValue, &value)
        if code == MDB_NOTFOUND { return nil }
        try check(code)
        return UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size)
    }

    func get(_ database: Database, key: [UInt8]) throws -> UnsafeRawBufferPointer? {
        try key.withUnsafeBytes { try get(database, key: $0) }
    }

    /// Stores `value` under `key`; returns false if `flags` held MDB_NOOVERWRITE or
    /// MDB_NODUPDATA and the key (or pair) was already there, or MDB_APPENDDUP and `value` does
    /// not sort after the key's values.
    @discardableResult
    func put(_ database: Database, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, flags: Int32 = 0)
        throws(LMDBError) -> Bool
    {
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataValue = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        let code = mdb_put(handle, database.handle, &keyValue, &dataValue, UInt32(bitPattern: flags))
        if code == MDB_KEYEXIST { return false }
        try check(code)
        return true
    }

    @discardableResult
    func put(_ database: Database, key: [UInt8], value: [UInt8], flags: Int32 = 0) throws -> Bool {
        try key.withUnsafeBytes { keyBuffer in
            try value.withUnsafeBytes { valueBuffer in
                try put(database, key: keyBuffer, value: valueBuffer, flags: flags)
            }
        }
    }

    func statistics(_ database: Database) throws(LMDBError) -> MDB_stat {
        var stat = MDB_stat()
        try check(mdb_stat(handle, database.handle, &stat))
        return stat
    }

    /// Runs `body` with a cursor on `database`, closed afterwards.
    func withCursor<Result>(_ database: Database, _ body: (inout Cursor) throws -> Result) throws -> Result {
        var cursor = try openCursor(database)
        defer { cursor.close() }
        return try body(&cursor)
    }

    /// A cursor on `database` that the caller closes (`Cursor.close`) before the transaction
    /// ends; `withCursor` where one cursor at a time will do.
    func openCursor(_ database: Database) throws(LMDBError) -> Cursor {
        var pointer: OpaquePointer?
        try check(mdb_cursor_open(handle, database.handle, &pointer))
        return Cursor(handle: pointer!)
    }
}

/// A position in a database. Keys and values it returns live as long as the transaction.
struct Cursor {
    let handle: OpaquePointer

    struct Entry {
        var key: UnsafeRawBufferPointer
        var value: UnsafeRawBufferPointer
    }

    /// Moves by `operation` (MDB_FIRST, MDB_NEXT, MDB_SET_RANGE...); nil when there is no entry.
    mutating func get(
        _ operation: MDB_cursor_op, key: UnsafeRawBufferPointer? = nil, value: UnsafeRawBufferPointer? = nil
    )
        throws(LMDBError) -> Entry?
    {
        var keyValue = MDB_val(
            mv_size: key?.count ?? 0, mv_data: UnsafeMutableRawPointer(mutating: key?.baseAddress))
        var dataValue = MDB_val(
            mv_size: value?.count ?? 0, mv_data: UnsafeMutableRawPointer(mutating: value?.baseAddress))
        let code = mdb_cursor_get(handle, &keyValue, &dataValue, operation)
        if code == MDB_NOTFOUND { return nil }
        try check(code)
        return Entry(
            key: UnsafeRawBufferPointer(start: keyValue.mv_data, count: keyValue.mv_size),
            value: UnsafeRawBufferPointer(start: dataValue.mv_data, count: dataValue.mv_size))
    }

    func get(_ operation: MDB_cursor_op, key: [UInt8]) throws -> Entry? {
        var copy = self
        return try key.withUnsafeBytes { try copy.get(operation, key: $0) }
    }

    /// Stores `value` under `key` through this cursor. Right after a lookup of the same key,
    /// LMDB finds the place on the cursor's current page without searching the tree again.
    /// Returns false if `flags` held MDB_NOOVERWRITE, MDB_NODUPDATA or MDB_APPENDDUP and LMDB
    /// refused (MDB_KEYEXIST).
    @discardableResult
    func put(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, flags: Int32 = 0) throws(LMDBError) -> Bool {
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataValue = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        let code = mdb_cursor_put(handle, &keyValue, &dataValue, UInt32(bitPattern: flags))
        if code == MDB_KEYEXIST { return false }
        try check(code)
        return true
    }

    /// Reserves `count` bytes under `key` through this cursor and lets `fill` write them in
    /// place (MDB_RESERVE).
    func putReserving(
        key: UnsafeRawBufferPointer, count: Int, flags: Int32, fill: (UnsafeMutableRawBufferPointer) -> Void
    ) throws(LMDBError) {
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataValue = MDB_val(mv_size: count, mv_data: nil)
        try check(mdb_cursor_put(handle, &keyValue, &dataValue, UInt32(bitPattern: flags | MDB_RESERVE)))
        fill(UnsafeMutableRawBufferPointer(start: dataValue.mv_data, count: count))
    }

    /// Deletes the entry the cursor is on.
    func deleteCurrent() throws(LMDBError) {
        try check(mdb_cursor_del(handle, 0))
    }

    func close() { mdb_cursor_close(handle) }

    /// Number of duplicates at the current key of a MDB_DUPSORT database.
    ///
    /// LMDB reads the count from the page as stored; on a damaged page it can be any 64-bit
    /// value, which would overflow the sums callers make. No map can hold more than 2^48
    /// entries, so a larger count is reported as a damaged page.
    func duplicateCount() throws(LMDBError) -> Int {
        var count = 0
        try check(mdb_cursor_count(handle, &count))
        guard count >= 0, count < Self.countLimit else { throw .corrupted }
        return count
    }

    private static let countLimit = 1 << 48
}
