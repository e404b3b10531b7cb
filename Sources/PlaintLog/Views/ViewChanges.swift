import CLMDB

/// The rows a group of events changes in the stored views, worked out from a snapshot and
/// written afterwards.
///
/// Working them out only reads the views, so an append does it on a second thread, in a read
/// snapshot taken as its write transaction begins, while its own thread writes the records and
/// indexes; the views' tables are left alone until the changes are written, each table's rows
/// in key order through one cursor.
public struct ViewChanges: Sendable {
    struct Row: Sendable {
        var key: [UInt8]
        /// nil deletes the row.
        var value: [UInt8]?
    }

    /// Each table changed, with its rows in the order they were changed. A handful of tables,
    /// found by a look along the list: cheaper than hashing a table's name for every row.
    private(set) var tables: [(table: ViewTable, rows: [Row])] = []

    public init() {}

    public mutating func put(_ table: ViewTable, key: [UInt8], value: [UInt8]) {
        tables[slot(of: table)].rows.append(Row(key: key, value: value))
    }

    public mutating func delete(_ table: ViewTable, key: [UInt8]) {
        tables[slot(of: table)].rows.append(Row(key: key, value: nil))
    }

    private mutating func slot(of table: ViewTable) -> Int {
        if let slot = tables.firstIndex(where: { $0.table == table }) { return slot }
        tables.append((table, []))
        return tables.count - 1
    }
}

extension ViewWriter {
    /// Writes `changes`: each table's rows in key order (a key's changes in the order they were
    /// made), through one cursor, so consecutive rows mostly land on the page the cursor is on.
    public func apply(_ changes: ViewChanges) throws {
        for (table, rows) in changes.tables {
            let ordered = rows.withUnsafeBufferPointer { rows in keyOrder(count: rows.count) { rows[$0].key } }
            try transaction.withCursor(reader.database(table)) { cursor in
                for index in ordered {
                    let row = rows[index]
                    try row.key.withUnsafeBytes { key in
                        if let value = row.value {
                            try value.withUnsafeBytes { _ = try cursor.put(key: key, value: $0) }
                        } else if try cursor.get(MDB_SET, key: key) != nil {
                            try cursor.deleteCurrent()
                        }
                    }
                }
            }
        }
    }
}
