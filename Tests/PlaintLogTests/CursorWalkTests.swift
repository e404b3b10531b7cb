import CLMDB
import PlaintTestSupport
import Testing

@testable import PlaintLog

/// `Transaction.walk` runs its cursor one entry ahead in a read-only transaction and not in a
/// write one: either way it must pass every entry once, in key order, and stop when told.
@Suite("Walking a database in key order")
struct CursorWalkTests {
    let directory = TemporaryDirectory()
    var factory = EventFactory()

    /// Records of very different sizes, the longest on overflow pages of their own.
    mutating func store(events: Int) throws -> EventLog {
        let log = try EventLog(path: directory.child("store"), access: .write)
        _ = try log.append(
            (1...events).map {
                factory.event(
                    id: "e\($0)", caseID: "case-\($0 % 7)",
                    data: "{\"text\":\"\(String(repeating: "x", count: $0 * 97 % 5_000))\"}")
            })
        return log
    }

    /// The positions `walk` passes, stopping after `limit`, in a read-only or a write transaction.
    func walkedPositions(_ log: EventLog, readOnly: Bool, limit: Int = .max) throws -> [UInt64] {
        var positions: [UInt64] = []
        let walk = { (transaction: Transaction) in
            try transaction.walk(log.databases.events, from: { try $0.get(MDB_FIRST) }) { entry in
                positions.append(RecordLayout.readPosition(entry.key))
                return positions.count < limit
            }
        }
        if readOnly { try log.environment.read(walk) } else { try log.environment.write(walk) }
        return positions
    }

    @Test(arguments: [true, false])
    mutating func everyEntryOnceInKeyOrder(readOnly: Bool) throws {
        let log = try store(events: 120)
        #expect(try walkedPositions(log, readOnly: readOnly) == Array(1...120))
    }

    @Test(arguments: [true, false])
    mutating func stopsWhereTheBodySays(readOnly: Bool) throws {
        let log = try store(events: 40)
        #expect(try walkedPositions(log, readOnly: readOnly, limit: 1) == [1])
        #expect(try walkedPositions(log, readOnly: readOnly, limit: 39) == Array(1...39))
        #expect(try walkedPositions(log, readOnly: readOnly, limit: 40) == Array(1...40))
    }

    /// In a write transaction `body` may change the entries after the one it has: the walk
    /// passes them as they are once `body` is done, not as they were before it ran.
    @Test mutating func aWriteWalkPassesEntriesAsTheBodyLeftThem() throws {
        let log = try store(events: 30)
        var lengths: [UInt64: Int] = [:]
        try log.environment.write { transaction in
            try transaction.walk(log.databases.events, from: { try $0.get(MDB_FIRST) }) { entry in
                let position = RecordLayout.readPosition(entry.key)
                lengths[position] = entry.value.count
                // A shorter value moves the next record within its page.
                if position < 30 {
                    try transaction.put(
                        log.databases.events, key: RecordLayout.positionKey(position + 1),
                        value: [UInt8](repeating: UInt8(position), count: 7))
                }
                return true
            }
        }
        #expect(lengths.count == 30)
        #expect(lengths.filter { $0.key > 1 && $0.value != 7 }.isEmpty)
    }

    /// The entry passed to `body` is whole while the cursor already stands on the next one.
    @Test mutating func aReadOnlyWalkPassesEachRecordWhole() throws {
        let log = try store(events: 60)
        var expected: [[UInt8]] = []
        try log.environment.read { transaction in
            for position in UInt64(1)...60 {
                let record = try transaction.get(log.databases.events, key: RecordLayout.positionKey(position))
                expected.append(Array(try #require(record)))
            }
        }
        var walked: [[UInt8]] = []
        try log.environment.read { transaction in
            try transaction.walk(log.databases.events, from: { try $0.get(MDB_FIRST) }) {
                walked.append(Array($0.value))
                return true
            }
        }
        #expect(walked.count == expected.count)
        // The positions whose bytes differ, rather than every byte of every record.
        let differing = zip(walked, expected).enumerated().filter { $0.element.0 != $0.element.1 }.map { $0.offset + 1 }
        #expect(differing.isEmpty)
    }
}
