import CLMDB

extension Transaction {
    /// Calls `body` with each entry of `database` in key order, from the one `first` moves the
    /// cursor to, until `body` returns false.
    ///
    /// In a read-only transaction the cursor runs one entry ahead, and the processor is asked to
    /// fetch that entry's value while `body` reads the current one: a scan of the log or of a
    /// view otherwise waits on memory at each record it steps to. An entry stays where it is for
    /// a read-only transaction's life, wherever the cursor goes (lmdb.h, mdb_get). In a write
    /// transaction `body` may change the database, which may move the entries after it, so the
    /// cursor moves only once `body` is done.
    func walk(
        _ database: Database, from first: (inout Cursor) throws -> Cursor.Entry?,
        _ body: (Cursor.Entry) throws -> Bool
    ) throws {
        try withCursor(database) { cursor in
            var entry = try first(&cursor)
            while let current = entry {
                guard isReadOnly else {
                    guard try body(current) else { return }
                    entry = try cursor.get(MDB_NEXT)
                    continue
                }
                entry = try cursor.get(MDB_NEXT)
                if let next = entry?.value, let start = next.baseAddress { plaint_prefetch(start, next.count) }
                guard try body(current) else { return }
            }
        }
    }
}
