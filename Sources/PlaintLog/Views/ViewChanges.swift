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

    private(set) var rows: [ViewTable: [Row]] = [:]

    public init() {}

    public mutating func put(_ table: ViewTable, key: [UInt8], value: [UInt8]) {
        rows[table, default: []].append(Row(key: key, value: value))
    }

    public mutating func delete(_ table: ViewTable, key: [UInt8]) {
        rows[table, default: []].append(Row(key: key, value: nil))
    }
}

extension ViewWriter {
    /// Writes `changes`: each table's rows in key order (a key's changes in the order they were
    /// made), through one cursor, so consecutive rows mostly land on the page the cursor is on.
    public func apply(_ changes: ViewChanges) throws {
        for (table, rows) in changes.rows {
            let ordered = keyOrder(count: rows.count) { rows[$0].key }
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
