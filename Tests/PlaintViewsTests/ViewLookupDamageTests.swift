import CLMDB
import Glibc
import PlaintTestSupport
import Testing

@testable import PlaintLog
@testable import PlaintViews

/// A damaged branch page of a view table sends lookups astray while a walk in key order still
/// passes every row, since the walk follows page numbers and never compares a branch's keys.
/// Replay's comparison looks every row it walks up as well: rows a lookup misses differ.
@Suite struct ViewLookupDamageTests {
    var factory = EventFactory()
    let directory = TemporaryDirectory()

    @Test(arguments: [JourneyViews.journeys, JourneyViews.caseKeys])
    mutating func rowsALookupCannotFindDiffer(table: ViewTable) throws {
        let path = directory.child("store")
        let root = try storeOfManyJourneys(at: path, rootOf: table)
        try damageSecondSeparator(ofBranchPage: root, in: path + "/data.mdb")
        let log = try EventLog(path: path, access: .write, options: .init(views: JourneyViews()))
        // The walk still passes every row: only lookups go astray.
        var walked = 0
        try log.read { reader in
            try reader.views.forEach(table) { _, _ in
                walked += 1
                return true
            }
        }
        #expect(walked == 3_000)
        let checked = try Replay.check(log)
        #expect(checked.position == 3_000)
        #expect(checked.differingRows > 0)
    }

    /// A store of 3,000 one-event cases whose views match the log; returns the root page of
    /// `table`, `MDB_db.md_root` (offset 40) of its entry in the main database.
    mutating func storeOfManyJourneys(at path: String, rootOf table: ViewTable) throws -> Int {
        let log = try EventLog(path: path, access: .write, options: .init(views: JourneyViews()))
        _ = try log.append((1...3_000).map { factory.event(id: "e\($0)", caseID: "case-\($0)") })
        #expect(try Replay.check(log).differingRows == 0)
        return try log.environment.read { transaction in
            try transaction.withCursor(Database.main) { cursor in
                let entry = try #require(try cursor.get(MDB_SET, key: Array(table.name.utf8)))
                return Int(entry.value.loadUnaligned(fromByteOffset: 40, as: UInt64.self))
            }
        }
    }

    /// Makes the second key of a branch page (its first is always empty) sort after every key,
    /// keeping its length and the page number beside it (mdb.c: a page header of 16 bytes with
    /// the flags at 10 and the end of the node offsets at 12; a node's key size at 6 and its key
    /// at 8).
    func damageSecondSeparator(ofBranchPage page: Int, in file: String) throws {
        let pageSize = try #require(LMDBMeta.read(file)).pageSize
        let descriptor = open(file, O_RDWR)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: pageSize)
        let offset = off_t(page * pageSize)
        try #require(bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, pageSize, offset) } == pageSize)
        func integer(_ at: Int) -> Int {
            Int(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt16.self) })
        }
        try #require(integer(10) & 0x01 != 0, "the root is a branch page")
        try #require((integer(12) - 16) / 2 >= 2, "the branch has a second key")
        let node = integer(16 + 2)
        let keySize = integer(node + 6)
        for index in node + 8..<node + 8 + keySize { bytes[index] = 0xFF }
        try #require(bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, pageSize, offset) } == pageSize)
    }
}
