import PlaintTestSupport
import Testing

@testable import PlaintLog

/// `keyOrder` must give exactly the order of a stable sort by `compareBytes`, which is LMDB's:
/// the index and view writes rely on it to walk each table once.
@Suite("Key order by windows")
struct KeyOrderTests {
    /// Keys built to make windows tie: a long shared prefix, runs of equal keys, keys that differ
    /// past 24 and 48 bytes, and keys that differ from each other only by trailing zero bytes.
    static func keys(seed: UInt64, count: Int) -> [[UInt8]] {
        var random = SeededRandom(seed: seed)
        let prefixes: [[UInt8]] = [
            Array("case:slowbutsure:000".utf8), Array("case:dmfirst:0".utf8), Array("c".utf8), [],
            Array(repeating: 0x61, count: 40),
        ]
        return (0..<count).map { _ in
            var key = prefixes[Int.random(in: 0..<prefixes.count, using: &random)]
            let tailLength = Int.random(in: 0...60, using: &random)
            for _ in 0..<tailLength {
                // Few distinct bytes, zero among them, so that keys tie often and deep.
                key.append([0, 1, 0x30, 0x31, 0xFF][Int.random(in: 0..<5, using: &random)])
            }
            return key
        }
    }

    static func expected(_ keys: [[UInt8]]) -> [Int] {
        keys.indices.sorted { first, second in
            let order = keys[first].withUnsafeBytes { left in
                keys[second].withUnsafeBytes { right in compareBytes(left, right) }
            }
            return order != 0 ? order < 0 : first < second
        }
    }

    /// Where two orders first part, if they do (a short message on failure).
    static func firstDifference(_ keys: [[UInt8]]) -> Int? {
        let order = keyOrder(keys)
        let expected = expected(keys)
        guard order.count == expected.count else { return min(order.count, expected.count) }
        return order.indices.first { order[$0] != expected[$0] }
    }

    @Test("equals a stable sort by compareBytes", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func equalsAStableSort(seed: UInt64) {
        #expect(Self.firstDifference(Self.keys(seed: seed, count: 3_000)) == nil)
    }

    @Test("every key sharing one long prefix, and many repeated")
    func sharedPrefixAndRepeats() {
        let shared = Array("gen:1000".utf8) + Array(repeating: 0x30, count: 30)
        let keys = (0..<2_000).map { shared + Array(String(($0 * 7_919) % 500).utf8) }
        #expect(Self.firstDifference(keys) == nil)
    }

    @Test("keys equal but for trailing zeros: the shorter first")
    func trailingZeros() {
        let keys: [[UInt8]] = [[0x61, 0, 0], [0x61], [0x61, 0], [0x61], [0x61, 0, 1], []]
        #expect(keyOrder(count: keys.count) { keys[$0] } == [5, 1, 3, 2, 0, 4])
        #expect(Self.expected(keys) == [5, 1, 3, 2, 0, 4])
    }

    @Test("no keys, one key")
    func smallCounts() {
        #expect(keyOrder(count: 0) { _ in [UInt8]() }.isEmpty)
        #expect(keyOrder(count: 1) { _ in [UInt8](repeating: 7, count: 100) } == [0])
    }
}
