import PlaintEvents
import PlaintLog
import PlaintTestSupport
import Testing

/// `ViewChanges` keeps rows as bytes in shared chunks: what it writes must be exactly the rows
/// put, in key order, with a key's later change winning, whatever the chunks they fell in.
@Suite("view changes")
struct ViewChangesTests {
    /// A maintainer that only declares two tables, for changes made by hand.
    struct TwoTables: ViewMaintainer {
        static let first = ViewTable("test_first")
        static let second = ViewTable("test_second")
        var tables: [ViewTable] { [Self.first, Self.second] }
        func changes(folding events: [StoredEvent], after previousHead: UInt64, in views: ViewReader) throws
            -> ViewChanges
        { ViewChanges() }
    }

    /// Every row of `table`, in key order.
    static func rows(_ table: ViewTable, of log: EventLog) throws -> [[UInt8]: [UInt8]] {
        try log.read { reader in
            var rows: [[UInt8]: [UInt8]] = [:]
            try reader.views.forEach(table, prefix: []) { key, value in
                rows[key.withUnsafeBufferPointer { Array($0) }] = value.withUnsafeBufferPointer { Array($0) }
                return true
            }
            return rows
        }
    }

    @Test func rowsAcrossManyChunksAreWrittenAsPut() throws {
        let directory = TemporaryDirectory()
        let log = try EventLog(path: directory.child("store"), access: .write, options: .init(views: TwoTables()))
        // Seeded, so that a failure replays exactly.
        var generator = SeededRandom(seed: 25)
        var expected: [[UInt8]: [UInt8]] = [:]
        var changes = ViewChanges()
        // About 20 MB of rows in random key order: many chunks, with rows that fill a chunk's
        // room and rows larger than a whole chunk.
        for index in 0..<20_000 {
            let key = (0..<Int.random(in: 1...40, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            let size =
                index % 997 == 0
                ? Int.random(in: 20_000...1_500_000, using: &generator) : Int.random(in: 0...300, using: &generator)
            let value = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
            if index % 2 == 0 {
                changes.put(TwoTables.first, key: key, value: value)
            } else {
                changes.put(
                    TwoTables.first, key: { $0.append(contentsOf: key) }, value: { $0.append(contentsOf: value) })
            }
            expected[key] = value
        }
        try log.rewriteViews { _, writer in try writer.apply(changes) }
        let stored = try Self.rows(TwoTables.first, of: log)
        #expect(stored.count == expected.count)
        // Counted, not compared whole: a failure prints a number, not megabytes of rows.
        let differing = expected.filter { stored[$0.key] != $0.value }.count
        #expect(differing == 0)
        #expect(try Self.rows(TwoTables.second, of: log).isEmpty)
    }

    @Test func aKeysChangesApplyInTheOrderTheyWereMade() throws {
        let directory = TemporaryDirectory()
        let log = try EventLog(path: directory.child("store"), access: .write, options: .init(views: TwoTables()))
        var seed = ViewChanges()
        seed.put(TwoTables.first, key: [1], value: [10])
        seed.put(TwoTables.first, key: [2], value: [20])
        seed.put(TwoTables.second, key: [1], value: [99])
        try log.rewriteViews { _, writer in try writer.apply(seed) }

        var changes = ViewChanges()
        changes.delete(TwoTables.first, key: [1])
        changes.put(TwoTables.first, key: [3], value: [30])
        changes.put(TwoTables.first, key: [1], value: [11])
        changes.put(TwoTables.first, key: [2], value: [21])
        changes.delete(TwoTables.first, key: [2])
        changes.delete(TwoTables.first, key: [4])
        changes.put(TwoTables.second, key: [1], value: [])
        try log.rewriteViews { _, writer in try writer.apply(changes) }

        #expect(try Self.rows(TwoTables.first, of: log) == [[1]: [11], [3]: [30]])
        #expect(try Self.rows(TwoTables.second, of: log) == [[1]: []])
    }
}
