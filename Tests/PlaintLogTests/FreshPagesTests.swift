import Foundation
import PlaintTestSupport
import Synchronization
import Testing

@testable import PlaintEvents
@testable import PlaintLog

/// The map's address is found in the kernel's list of mappings (LMDB reports it only for a fixed
/// map); a wrong address would leave every fresh page to fault on the writer's thread, silently.
@Suite("Mapping in the pages a transaction takes next")
struct FreshPagesTests {
    let directory = TemporaryDirectory()
    var factory = EventFactory()

    /// The mappings of `path` in this process, from the kernel: start address and resident bytes.
    static func mappings(of path: String) throws -> [(start: UInt, resident: Int)] {
        var found: [(start: UInt, resident: Int)] = []
        var current: UInt?
        // Read to the end: the file reports no size, and a read sized by it stops early.
        let smaps = try #require(FileHandle(forReadingAtPath: "/proc/self/smaps")).readToEnd() ?? Data()
        for line in String(decoding: smaps, as: UTF8.self).split(separator: "\n") {
            // "start-end perms offset device inode   path", the path possibly holding spaces.
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            if let range = fields.first, range.contains("-"), fields.count == 6 {
                let file = fields[5].drop { $0 == " " }
                current = file == path ? UInt(range.split(separator: "-")[0], radix: 16) : nil
            } else if let start = current, fields.first == "Rss:", let kilobytes = Int(fields[1]) {
                found.append((start, kilobytes * 1024))
                current = nil
            }
        }
        return found
    }

    /// Whether the running kernel has MADV_POPULATE_WRITE (Linux 5.14 and later).
    static var kernelPopulates: Bool {
        var names = utsname()
        uname(&names)
        let release = withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let version = release.split(separator: ".").prefix(2).compactMap { Int($0.prefix { $0.isNumber }) }
        return version.count == 2 && (version[0], version[1]) >= (5, 14)
    }

    @Test mutating func theMapIsFoundWhereTheKernelMappedItAndItsFreshPagesAreMappedIn() throws {
        let log = try EventLog(path: directory.child("store"), access: .write, options: .init(initialMapSize: 64 << 20))
        _ = try log.append((0..<200).map { factory.event(id: "e\($0)", caseID: "case-\($0 % 7)") })
        let path = log.dataFilePath
        let address = try log.read { reader in log.environment.mapAddress(in: reader.transaction) }
        let mapped = try Self.mappings(of: path)
        let start = try #require(address.map { UInt(bitPattern: $0) })
        #expect(mapped.map(\.start).contains(start), "the kernel maps \(path) at \(mapped.map(\.start))")

        let before = try #require(try Self.mappings(of: path).first { $0.start == start }).resident
        let bytes = 4 << 20
        try log.read { reader in log.environment.prefaultFreshPages(bytes: bytes, in: reader.transaction) }
        let after = try #require(try Self.mappings(of: path).first { $0.start == start }).resident
        // Before Linux 5.14 (no MADV_POPULATE_WRITE) the pages are left to fault in as written.
        if Self.kernelPopulates {
            #expect(after - before >= bytes, "resident bytes of the map went from \(before) to \(after)")
        }

        // A long scan lets the map's pages go: found by the file's name in the same list.
        log.environment.releaseMappedPages(dataFile: path)
        let released = try #require(try Self.mappings(of: path).first { $0.start == start }).resident
        #expect(released < bytes, "resident bytes of the map after letting them go: \(released)")
    }

    /// Each transaction maps in as many fresh bytes per event as the checked commit before it
    /// took; a transaction that fails teaches nothing.
    @Test mutating func theFreshPagesPerEventAreMeasuredAtEachCheckedCommit() throws {
        let log = try EventLog(path: directory.child("store"), access: .write, options: .init(initialMapSize: 64 << 20))
        #expect(log.freshBytesPerEvent.withLock { $0 } == nil)
        let events = (0..<500).map { factory.event(id: "e\($0)", caseID: "case-\($0 % 40)") }
        let before = log.environment.usedBytes
        _ = try appendChecked([events], to: log)
        let taken = log.environment.usedBytes - before
        #expect(taken > 0)
        #expect(log.freshBytesPerEvent.withLock { $0 } == taken / events.count)

        let conflicting = [factory.event(id: "late", caseID: "case-1", expectVersion: 1)]
        #expect(throws: StoreError.self) { _ = try appendChecked([conflicting], to: log) }
        #expect(log.freshBytesPerEvent.withLock { $0 } == taken / events.count)
    }
}
