import Foundation
import PlaintSystem
import PlaintTestSupport
import Testing

@testable import PlaintIngest

/// The on-disk multimap the append check spills to: whatever the batches and merges, a lookup
/// finds exactly the values added under its key.
@Suite("spilled table")
struct SpilledTableTests {
    @Test(arguments: [1, 2, 3])
    func lookupsFindEveryValueAddedUnderTheKey(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let directory = FileManager.default.temporaryDirectory.path
        var table = SpilledTable(directory: directory)
        var model: [Int: [UInt64]] = [:]
        // Few keys, many values: key 0 alone fills several blocks, so its run of equal keys
        // crosses block boundaries; key 7 is never added.
        let keys = (0..<7).map { SpilledTable.Key(high: $0 == 0 ? 0 : random.next(), low: UInt64($0)) }
        var value: UInt64 = 0
        for _ in 0..<9 {
            var batch: [SpilledTable.Entry] = []
            for _ in 0..<Int(random.next() % 700) {
                let index = random.next() % 3 == 0 ? 0 : Int(random.next() % 7)
                value += 1
                batch.append(.init(key: keys[index], value: value))
                model[index, default: []].append(value)
            }
            try table.add(&batch)
        }
        #expect(table.count == model.values.reduce(0) { $0 + $1.count })
        // Merged as a binary counter carries: never more runs than bits in the count.
        #expect(table.runCount <= 1 + Int.bitWidth - table.count.leadingZeroBitCount)
        #expect(model[0]!.count > 2 * SpilledTable.entriesPerBlock)
        for (index, key) in keys.enumerated() {
            #expect(try table.values(for: key).sorted() == (model[index] ?? []))
        }
        #expect(try table.values(for: .init(high: .max, low: 7)).isEmpty)
        #expect(try table.values(for: .init(high: 0, low: 7)).isEmpty)
    }

    @Test func digestsTellStringsApart() {
        let keys = ["case-1", "case-2", "", String(repeating: "é", count: 128)].map { text in
            Array(text.utf8).withUnsafeBytes { SpilledTable.Key(digesting: $0) }
        }
        #expect(Set(keys.map { "\($0.high)-\($0.low)" }).count == keys.count)
        #expect(Array("case-1".utf8).withUnsafeBytes { SpilledTable.Key(digesting: $0) } == keys[0])
    }
}
