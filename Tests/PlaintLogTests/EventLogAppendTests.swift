import PlaintTestSupport
import Testing

@testable import PlaintEvents
@testable import PlaintLog

@Suite("Appending to the log")
struct EventLogAppendTests {
    let directory = TemporaryDirectory()
    var factory = EventFactory()

    @Test mutating func assignsGaplessPositionsAndPerCaseVersions() throws {
        let log = try EventLog(path: directory.child("store"), access: .write)
        let first = try log.append([
            factory.event(id: "a"), factory.event(id: "b", caseID: "case-2"),
            factory.event(id: "c", type: "customer.followed_up"),
        ])
        let second = try log.append([
            factory.event(id: "d", type: "customer.churned", caseID: nil, data: "{}"),
            factory.event(id: "e", type: "customer.followed_up", caseID: "case-2"),
        ])
        #expect(
            first == [
                .appended(position: 1, version: 1), .appended(position: 2, version: 1),
                .appended(position: 3, version: 2),
            ])
        #expect(second == [.appended(position: 4, version: nil), .appended(position: 5, version: 2)])
        #expect(try log.head().position == 5)
    }

    @Test mutating func identicalEventIsADuplicateAndAnotherContentIsAConflict() throws {
        let log = try EventLog(path: directory.child("store"), access: .write)
        _ = try log.append([factory.event(id: "a", data: #"{"text":"slow"}"#)])
        #expect(try log.append([factory.event(id: "a", data: #"{"text":"slow"}"#)]) == [.duplicate(of: 1)])
        let headBefore = try log.head()
        #expect(throws: StoreError.idConflict(index: 1, id: "a", storedAt: 1)) {
            try log.append([factory.event(id: "new"), factory.event(id: "a", data: #"{"text":"fast"}"#)])
        }
        #expect(try log.head() == headBefore, "a rejected batch writes nothing")
        #expect(try log.read { try $0.position(ofID: Array("new".utf8)) } == nil)
    }

    @Test mutating func duplicatesWithinOneBatchAreFoundToo() throws {
        let log = try EventLog(path: directory.child("store"), access: .write)
        let results = try log.append([factory.event(id: "a"), factory.event(id: "a")])
        #expect(results == [.appended(position: 1, version: 1), .duplicate(of: 1)])
    }

    @Test mutating func expectVersionGuardsTheCase() throws {
        let log = try EventLog(path: directory.child("store"), access: .write)
        _ = try log.append([factory.event(id: "a", expectVersion: 0)])
        _ = try log.append([factory.event(id: "b", type: "customer.followed_up", expectVersion: 1)])
        #expect(throws: StoreError.versionConflict(index: 0, caseID: "case-1", expected: 1, actual: 2)) {
            try log.append([factory.event(id: "c", type: "customer.followed_up", expectVersion: 1)])
        }
        #expect(try log.head().position == 2)
    }

    @Test mutating func hashesChainFromZeroBytes() throws {
        let log = try EventLog(path: directory.child("store"), access: .write)
        let events = (1...5).map { factory.event(id: "e\($0)") }
        _ = try log.append(events)
        var previous = HashChain.genesis
        try log.read { reader in
            for (offset, event) in events.enumerated() {
                let expected = HashChain.link(
                    previous: previous, position: UInt64(offset + 1), canonical: event.canonical)
                let stored = try reader.withRecord(at: UInt64(offset + 1)) { (Array($0.hash), $0.canonicalBytes) }
                #expect(stored.0 == expected)
                #expect(stored.1 == event.canonical)
                previous = expected
            }
        }
        #expect(try log.head().hash == previous)
    }

    /// Links computed ahead are copied in only while they follow the head as it is: links made
    /// after another head, for another batch size, or for a batch that holds a duplicate are set
    /// aside, and the chain stays the one the log computes itself.
    @Test mutating func linksComputedAheadAreUsedOnlyWhenTheyFollowTheHead() throws {
        let log = try EventLog(path: directory.child("store"), access: .write)
        let reference = try EventLog(path: directory.child("reference"), access: .write)
        let batches = (0..<5).map { batch in (0..<3).map { factory.event(id: "e\(batch)-\($0)") } }
        func links(_ events: [PreparedEvent], after head: LogHead) -> ChainLinks {
            var links = ChainLinks(after: head)
            for event in events { links.link(canonical: event.canonical) }
            return links
        }
        // Fresh links; links after a stale head; links for fewer events; links after the
        // genesis hash at the right position; and a batch whose first event is already stored.
        let stale = try log.head()
        _ = try log.append(batches[0], checked: true, links: links(batches[0], after: stale))
        _ = try log.append(batches[1], checked: true, links: links(batches[1], after: stale))
        let head = try log.head()
        _ = try log.append(batches[2], checked: true, links: links(Array(batches[2].prefix(2)), after: head))
        let forged = LogHead(position: try log.head().position, hash: HashChain.genesis)
        _ = try log.append(batches[3], checked: true, links: links(batches[3], after: forged))
        let repeated = [batches[3][2]] + batches[4]
        _ = try log.append(repeated, checked: true, links: links(repeated, after: try log.head()))
        for batch in batches { _ = try reference.append(batch) }
        #expect(try log.head() == reference.head())
        #expect(try log.head().position == 15)
        try log.read { reader in
            try reference.read { expected in
                for position in 1...UInt64(15) {
                    let stored = try reader.withRecord(at: position) { Array($0.hash) }
                    let computed = try expected.withRecord(at: position) { Array($0.hash) }
                    #expect(stored == computed)
                }
            }
        }
    }

    @Test mutating func recordedAtNeverDecreases() throws {
        let log = try EventLog(path: directory.child("store"), access: .write)
        for index in 0..<5 { _ = try log.append([factory.event(id: "e\(index)")]) }
        let times = try log.read { reader in try (1...5).map { try reader.record(at: $0).recordedAtMicroseconds } }
        #expect(times == times.sorted())
    }

    @Test mutating func indexesFindEventsByCaseCustomerBrandAndType() throws {
        let log = try EventLog(path: directory.child("store"), access: .write)
        _ = try log.append([
            factory.event(id: "a", caseID: "k1", customer: "u1", brand: "b1"),
            factory.event(id: "b", caseID: "k2", customer: "u2", brand: "b1"),
            factory.event(id: "c", type: "customer.followed_up", caseID: "k1", customer: "u1", brand: "b1"),
            factory.event(id: "d", caseID: "k3", customer: "u1", brand: "b2"),
        ])
        func lookup(_ index: LogIndex, _ key: String, from: UInt64 = 1) throws -> [UInt64] {
            try log.read { reader in
                var found: [UInt64] = []
                try reader.forEachPosition(in: index, key: Array(key.utf8), from: from) {
                    found.append($0)
                    return true
                }
                return found
            }
        }
        #expect(try lookup(.case, "k1") == [1, 3])
        #expect(try lookup(.customer, "u1") == [1, 3, 4])
        #expect(try lookup(.customer, "u1", from: 2) == [3, 4])
        #expect(try lookup(.brand, "b1") == [1, 2, 3])
        #expect(try lookup(.type, "customer.followed_up") == [3])
        #expect(try lookup(.case, "nope") == [])
    }

    @Test mutating func longIdentifiersGetSafeIndexKeys() throws {
        let log = try EventLog(path: directory.child("store"), access: .write)
        let long = String(repeating: "😀", count: 256)  // 1024 bytes, over LMDB's 511-byte key limit
        let other = String(repeating: "😀", count: 255) + "x"
        _ = try log.append([factory.event(id: "a", customer: long), factory.event(id: "b", customer: other)])
        #expect(try log.read { try $0.count(in: .customer, key: Array(long.utf8)) } == 1)
        #expect(try log.verify().isIntact)
    }

    @Test mutating func growsAFullMapAndRetries() throws {
        let log = try EventLog(
            path: directory.child("store"), access: .write, options: .init(initialMapSize: 128 * 1024))
        let before = try log.statistics().mapBytes
        let text = String(repeating: "x", count: 200)
        for batch in 0..<20 {
            _ = try log.append((0..<500).map { factory.event(id: "e\(batch)-\($0)", data: "{\"text\":\"\(text)\"}") })
        }
        let stats = try log.statistics()
        #expect(stats.events == 10_000)
        #expect(stats.mapBytes > before)
        #expect(try log.verify().isIntact)
    }
}

@Suite("Resident memory")
struct ResidentMemoryTests {
    /// `releaseMemory(above:)` decides from this figure; it must follow what the process touches.
    @Test func residentBytesGrowsWithTouchedMemory() throws {
        let before = try #require(Environment.residentBytes())
        let size = 64 << 20
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 4096)
        defer { block.deallocate() }
        for offset in stride(from: 0, to: size, by: 4096) { block[offset] = 1 }
        let after = try #require(Environment.residentBytes())
        #expect(after - before >= size / 2, "touched \(size) bytes; resident went from \(before) to \(after)")
    }
}
