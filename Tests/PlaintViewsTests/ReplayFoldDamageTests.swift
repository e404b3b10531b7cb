import CLMDB
import PlaintTestSupport
import Testing

@testable import PlaintLog
@testable import PlaintViews

/// Replay gathers each case's events through the log's case index: a damaged index must be
/// reported, never folded into the wrong journeys.
@Suite struct ReplayFoldDamageTests {
    var factory = EventFactory()
    let directory = TemporaryDirectory()

    /// A store of 12 events over cases "case-a" and "case-b", and a replay that splits it.
    mutating func store() throws -> EventLog {
        let log = try EventLog(path: directory.child("store"), access: .write, options: .init(views: JourneyViews()))
        _ = try log.append(
            (1...12).map { factory.event(id: "e\($0)", caseID: $0 % 2 == 0 ? "case-a" : "case-b") })
        return log
    }

    func fold(_ log: EventLog) throws -> UInt64 {
        try ParallelFold.fold(log, upto: nil, minimumForTwoThreads: 1).1
    }

    @Test mutating func anIntactIndexFolds() throws {
        let log = try store()
        #expect(try fold(log) == 12)
    }

    @Test mutating func aPostingUnderTheWrongCaseIsNamed() throws {
        let log = try store()
        // Move position 4 (a "case-a" event) under "case-b".
        try log.environment.write { transaction in
            try transaction.withCursor(log.databases.byCase) { cursor in
                try Array("case-a".utf8).withUnsafeBytes { key in
                    try RecordLayout.positionKey(4).withUnsafeBytes { value in
                        _ = try cursor.get(MDB_GET_BOTH, key: key, value: value)
                    }
                }
                try check(mdb_cursor_del(cursor.handle, 0))
            }
            try transaction.put(log.databases.byCase, key: Array("case-b".utf8), value: RecordLayout.positionKey(4))
        }
        #expect(
            throws: StoreError.corrupt(
                position: 4, reason: "the case index files this event under a case it does not name")
        ) {
            try fold(log)
        }
    }

    @Test mutating func aMissingPostingIsCounted() throws {
        let log = try store()
        try log.environment.write { transaction in
            try transaction.withCursor(log.databases.byCase) { cursor in
                _ = try cursor.get(MDB_SET, key: Array("case-b".utf8))
                try check(mdb_cursor_del(cursor.handle, 0))
            }
        }
        #expect(
            throws: StoreError.corrupt(
                position: 12, reason: "the case index lists 11 events up to here, the log holds 12 with a case")
        ) {
            try fold(log)
        }
    }
}
