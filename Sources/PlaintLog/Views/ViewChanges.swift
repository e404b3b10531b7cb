import CLMDB

/// The rows a group of events changes in the stored views, worked out from a snapshot and
/// written afterwards.
///
/// Working them out only reads the views, so an append does it on a second thread, in a read
/// snapshot taken as its write transaction begins, while its own thread writes the records and
/// indexes; the views' tables are left alone until the changes are written, each table's rows
/// in key order through one cursor.
///
/// Rows are kept as bytes in a few large chunks, not as two arrays each: a transaction of
/// scattered events changes about one row per event, and an array's header and allocation
/// round-up cost about as much as a key's bytes. The memory a transaction holds is what sizes it
/// (the append's limiter), and larger transactions rewrite fewer view pages per event.
public struct ViewChanges: Sendable {
    /// A row: its key, then its value, in chunk `chunk` from `start`.
    struct Row: Sendable {
        var chunk: Int32
        var start: Int32
        var keyCount: Int32
        /// -1 deletes the row.
        var valueCount: Int32
    }

    /// Each table changed, with its rows in the order they were changed. A handful of tables,
    /// found by a look along the list: cheaper than hashing a table's name for every row.
    private(set) var tables: [(table: ViewTable, rows: [Row])] = []
    private var chunks: [[UInt8]] = []

    /// A chunk's planned size; a row that does not fit in the room left starts a new chunk.
    static let chunkSize = 1 << 20
    /// The room a chunk must have left to take another row without growing (a journey of more
    /// than about 800 events may still make it grow once).
    static let rowRoom = 16 << 10

    public init() {}

    public mutating func put(_ table: ViewTable, key: [UInt8], value: [UInt8]) {
        put(table, key: { $0.append(contentsOf: key) }, value: { $0.append(contentsOf: value) })
    }

    /// Puts a row whose key and value `key` and `value` append to the bytes they are given:
    /// written in place, with no array of their own.
    public mutating func put(
        _ table: ViewTable, key: (inout [UInt8]) -> Void, value: (inout [UInt8]) -> Void
    ) {
        let slot = slot(of: table)
        let chunk = chunkWithRoom()
        let start = chunks[chunk].count
        key(&chunks[chunk])
        let keyEnd = chunks[chunk].count
        value(&chunks[chunk])
        tables[slot].rows.append(
            Row(
                chunk: Int32(chunk), start: Int32(start), keyCount: Int32(keyEnd - start),
                valueCount: Int32(chunks[chunk].count - keyEnd)))
    }

    public mutating func delete(_ table: ViewTable, key: [UInt8]) {
        let slot = slot(of: table)
        let chunk = chunkWithRoom()
        let start = chunks[chunk].count
        chunks[chunk].append(contentsOf: key)
        tables[slot].rows.append(
            Row(chunk: Int32(chunk), start: Int32(start), keyCount: Int32(key.count), valueCount: -1))
    }

    private mutating func slot(of table: ViewTable) -> Int {
        if let slot = tables.firstIndex(where: { $0.table == table }) { return slot }
        tables.append((table, []))
        return tables.count - 1
    }

    /// The chunk the next row goes into: the last, unless it lacks `rowRoom`.
    private mutating func chunkWithRoom() -> Int {
        if let last = chunks.indices.last, chunks[last].capacity - chunks[last].count >= Self.rowRoom {
            return last
        }
        var chunk: [UInt8] = []
        chunk.reserveCapacity(Self.chunkSize)
        chunks.append(chunk)
        return chunks.count - 1
    }

    /// The key of `row`.
    func key(_ row: Row) -> ArraySlice<UInt8> {
        chunks[Int(row.chunk)][Int(row.start)..<Int(row.start + row.keyCount)]
    }

    /// Calls `body` with the key of `row` and its value (nil when the row is deleted).
    func withRow<Result>(
        _ row: Row, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer?) throws -> Result
    ) rethrows -> Result {
        try chunks[Int(row.chunk)].withUnsafeBytes { bytes in
            let keyEnd = Int(row.start + row.keyCount)
            let key = UnsafeRawBufferPointer(rebasing: bytes[Int(row.start)..<keyEnd])
            guard row.valueCount >= 0 else { return try body(key, nil) }
            return try body(key, UnsafeRawBufferPointer(rebasing: bytes[keyEnd..<keyEnd + Int(row.valueCount)]))
        }
    }
}

extension ViewWriter {
    /// Writes `changes`: each table's rows in key order (a key's changes in the order they were
    /// made), through one cursor, so consecutive rows mostly land on the page the cursor is on.
    public func apply(_ changes: ViewChanges) throws {
        for (table, rows) in changes.tables {
            let ordered = keyOrder(count: rows.count) { changes.key(rows[$0]) }
            try transaction.withCursor(reader.database(table)) { cursor in
                for index in ordered {
                    try changes.withRow(rows[index]) { key, value in
                        if let value {
                            _ = try cursor.put(key: key, value: value)
                        } else if try cursor.get(MDB_SET, key: key) != nil {
                            try cursor.deleteCurrent()
                        }
                    }
                }
            }
        }
    }
}
