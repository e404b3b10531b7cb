import CLMDB

extension Transaction {
    /// Calls `body` with each entry of `database` in key order, from the one `first` moves the
    /// cursor to, until `body` returns false.
    ///
    /// In a read-only transaction the cursor runs one entry ahead, and the processor is asked to
    /// fetch the start of that entry's value while `body` reads the current one: a scan of the log
    /// otherwise waits on memory at each record it steps to. An entry stays where it is for a
    /// read-only transaction's life, wherever the cursor goes (lmdb.h, mdb_get). A step ahead that
    /// fails (a damaged page) is reported only once `body` has had the entry before it and asked
    /// for more, as a walk that steps after `body` reports it. In a write transaction `body` may
    /// change the database, which may move the entries after it, so the cursor moves only once
    /// `body` is done.
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
                let ahead = Result { try cursor.get(MDB_NEXT) }
                if case .success(let next?) = ahead, let start = next.value.baseAddress {
                    plaint_prefetch(start, min(next.value.count, Self.prefetchedBytes))
                }
                guard try body(current) else { return }
                entry = try ahead.get()
            }
        }
    }

    /// How much of the next entry's value a read-only walk asks the processor for: all of a
    /// usual stored event, a few hundred bytes. A longer value's first lines set off the
    /// processor's own prefetching; asking for all of a value up to a megabyte would push out the
    /// one being read.
    static let prefetchedBytes = 1024
}
