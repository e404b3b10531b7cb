import CLMDB
import Glibc
import PlaintTestSupport
import Testing

@testable import PlaintEvents
@testable import PlaintLog

@Suite("Opening, verifying and copying the log")
struct EventLogIntegrityTests {
    let directory = TemporaryDirectory()
    var factory = EventFactory()

    @Test func readingAMissingStoreFailsAndCreatesNothing() {
        let path = directory.child("absent")
        #expect(throws: StoreError.missingStore(path: path)) { try EventLog(path: path, access: .read) }
        #expect(access(path, F_OK) != 0)
    }

    @Test func aDirectoryWithOtherFilesIsNotAStore() throws {
        let path = directory.child("project")
        mkdir(path, 0o755)
        fclose(fopen(path + "/notes.txt", "w"))
        #expect(throws: StoreError.notAStore(path: path, reason: "it holds no data.mdb")) {
            try EventLog(path: path, access: .read)
        }
        #expect {
            try EventLog(path: path, access: .write)
        } throws: { error in
            if case .notAStore = error as? StoreError { true } else { false }
        }
    }

    @Test func aFileThatIsNotLMDBIsNotAStore() throws {
        let path = directory.child("fake")
        mkdir(path, 0o755)
        let file = fopen(path + "/data.mdb", "w")!
        fputs(String(repeating: "not an lmdb file\n", count: 1000), file)
        fclose(file)
        #expect {
            try EventLog(path: path, access: .read)
        } throws: { error in
            if case .notAStore = error as? StoreError { true } else { false }
        }
    }

    @Test func aNewerFormatIsRefused() throws {
        let path = directory.child("store")
        do {
            let log = try EventLog(path: path, access: .write)
            try log.environment.write { transaction in
                _ = try transaction.put(
                    log.databases.meta, key: Array("format".utf8), value: Array("\(EventLog.formatVersion + 1)".utf8))
            }
        }
        #expect(
            throws: StoreError.newerFormat(
                path: path, found: EventLog.formatVersion + 1, supported: EventLog.formatVersion)
        ) {
            try EventLog(path: path, access: .read)
        }
    }

    @Test mutating func verifyPassesOnAnIntactLog() throws {
        let log = try EventLog(path: directory.child("store"), access: .write)
        _ = try log.append((1...50).map { factory.event(id: "e\($0)", caseID: "k\($0 % 7)") })
        let report = try log.verify()
        #expect(report.isIntact)
        #expect(report.verifiedThrough == 50)
        #expect(report.head == (try log.head()))
    }

    @Test mutating func verifyNamesTheRecordWhoseBytesChanged() throws {
        let path = directory.child("store")
        do {
            let log = try EventLog(path: path, access: .write)
            _ = try log.append(
                (1...30).map { factory.event(id: "e\($0)", data: "{\"text\":\"marker-\($0 + 1000)\"}") })
        }
        #expect(patchFile(path + "/data.mdb", replacing: "marker-1017", with: "marker-1917") >= 1)
        let report = try EventLog(path: path, access: .read).verify()
        #expect(report.problem?.position == 17)
        #expect(report.problem?.reason.hasPrefix("hash mismatch") == true)
        #expect(report.verifiedThrough == 16)
    }

    @Test mutating func theChainCheckPassesAndNamesTheRecordWhoseBytesChanged() throws {
        let path = directory.child("store")
        do {
            let log = try EventLog(path: path, access: .write)
            _ = try log.append(
                (1...30).map { factory.event(id: "e\($0)", data: "{\"text\":\"marker-\($0 + 1000)\"}") })
            let report = try log.read { try $0.verifyChain() }
            #expect(report.isIntact)
            #expect(report.verifiedThrough == 30)
            #expect(report.head == (try log.head()))
        }
        #expect(patchFile(path + "/data.mdb", replacing: "marker-1023", with: "marker-1923") >= 1)
        let report = try EventLog(path: path, access: .read).read { try $0.verifyChain() }
        #expect(report.problem?.position == 23)
        #expect(report.problem?.reason.hasPrefix("hash mismatch") == true)
        #expect(report.verifiedThrough == 22)
    }

    @Test mutating func verifyFindsAnIndexThatDisagreesWithTheLog() throws {
        let path = directory.child("store")
        let log = try EventLog(path: path, access: .write)
        _ = try log.append((1...10).map { factory.event(id: "e\($0)", customer: "cust-\($0)") })
        // Point customer "cust-4"'s posting at the wrong position, as a damaged index would.
        let customerKeys = log.databases.customerKeys
        try log.environment.write { transaction in
            try transaction.withCursor(log.databases.byCustomer) { cursor in
                _ = try cursor.get(MDB_SET, key: customerKeys.key(Array("cust-4".utf8), position: 4))
                try check(mdb_cursor_del(cursor.handle, 0))
            }
            try transaction.put(
                log.databases.byCustomer, key: customerKeys.key(Array("cust-4".utf8), position: 9),
                value: RecordLayout.positionKey(9))
        }
        let report = try log.verify()
        #expect(report.problem?.position == 4)
        #expect(report.problem?.reason == "missing from the customer index")
    }

    /// Appends put each position last among its key's (MDB_APPENDDUP); a damaged index holding a
    /// later position makes the append fail, naming the index, and writes nothing.
    @Test mutating func anIndexHoldingALaterPositionStopsTheAppend() throws {
        let log = try EventLog(path: directory.child("store"), access: .write)
        _ = try log.append([factory.event(id: "a", brand: "acme"), factory.event(id: "b", brand: "acme")])
        _ = try log.environment.write { transaction in
            try transaction.put(log.databases.byBrand, key: Array("acme".utf8), value: RecordLayout.positionKey(99))
        }
        let head = try log.head()
        #expect(
            throws: StoreError.corrupt(
                position: 3, reason: "the brand index already holds this position or a later one")
        ) {
            try log.append([factory.event(id: "c", brand: "acme")])
        }
        #expect(try log.head() == head)
        #expect(try log.verify().problem?.reason.contains("brand index") == true)
    }

    @Test mutating func backupIsAConsistentVerifiableCopy() throws {
        let log = try EventLog(path: directory.child("store"), access: .write)
        _ = try log.append((1...100).map { factory.event(id: "e\($0)") })
        let copyHead = try log.backup(to: directory.child("copy"))
        #expect(copyHead == (try log.head()))
        let copy = try EventLog(path: directory.child("copy"), access: .read)
        #expect(try copy.verify().isIntact)
        #expect(throws: StoreError.self) { try log.backup(to: directory.child("copy")) }
    }

    @Test mutating func aStoreReopensWithItsEvents() throws {
        let path = directory.child("store")
        do {
            let log = try EventLog(path: path, access: .write)
            _ = try log.append([factory.event(id: "a"), factory.event(id: "b")])
        }
        let reopened = try EventLog(path: path, access: .read)
        #expect(try reopened.head().position == 2)
        let stats = try reopened.statistics()
        #expect(stats.events == 2)
        #expect(stats.cases == 1)
        #expect(stats.eventsByType == ["complaint.filed": 2])
    }
}
