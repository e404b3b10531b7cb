import PlaintSystem
import PlaintTestSupport
import Testing

@testable import PlaintIngest

/// The check's in-memory id table: every offset stored under a hash comes back as a candidate
/// for it, through growth and after emptying.
@Suite("id offset table")
struct IDOffsetTableTests {
    @Test func everyOffsetUnderAHashIsACandidateForIt() {
        var random = SeededRandom(seed: 9)
        var table = IDOffsetTable()
        var model: [UInt64: [Int64]] = [:]
        // 20,000 entries (the table grows several times), a tenth under hashes met before.
        var hashes: [UInt64] = []
        for offset in 0..<Int64(20_000) {
            let hash =
                offset % 10 == 0 && !hashes.isEmpty ? hashes[Int(random.next() % UInt64(hashes.count))] : random.next()
            hashes.append(hash)
            table.insert(hash, offset: offset * 300)
            model[hash >> 40, default: []].append(offset * 300)
        }
        #expect(table.count == 20_000)
        for hash in hashes.prefix(2_000) {
            var found: [Int64] = []
            table.forEachCandidate(hash) {
                found.append($0)
                return true
            }
            #expect(found.sorted() == model[hash >> 40]!.sorted())
        }
        var first: [Int64] = []
        table.forEachCandidate(hashes[0]) {
            first.append($0)
            return false
        }
        #expect(first.count == 1)
        table.insert(1, offset: IDOffsetTable.maximumOffset)
        table.forEachCandidate(1) {
            first.append($0)
            return true
        }
        #expect(first.last == IDOffsetTable.maximumOffset)
        table.removeAll()
        #expect(table.count == 0)
        table.forEachCandidate(hashes[0]) { _ in
            Issue.record("an emptied table still has candidates")
            return true
        }
    }
}
