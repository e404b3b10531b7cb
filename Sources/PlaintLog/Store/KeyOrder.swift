/// Byte order, as LMDB sorts keys: memcmp on the common prefix, then the shorter first.
package func compareBytes(_ lhs: [UInt8], _ rhs: Span<UInt8>) -> Int {
    lhs.withUnsafeBytes { left in rhs.withUnsafeBytes { right in compareBytes(left, right) } }
}

func compareBytes(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Int {
    let common = min(lhs.count, rhs.count)
    var offset = 0
    // Eight bytes at a time, read big-endian so that the integers' order is the bytes' order:
    // keys sharing a long prefix (ids, case ids) compare in a few steps, with no call, which
    // counts when an append sorts every index entry of a transaction.
    while offset + 8 <= common {
        let left = lhs.loadUnaligned(fromByteOffset: offset, as: UInt64.self).bigEndian
        let right = rhs.loadUnaligned(fromByteOffset: offset, as: UInt64.self).bigEndian
        if left != right { return left < right ? -1 : 1 }
        offset += 8
    }
    while offset < common {
        let left = lhs[offset]
        let right = rhs[offset]
        if left != right { return Int(left) - Int(right) }
        offset += 1
    }
    return lhs.count - rhs.count
}

package func bytesPrecede(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    lhs.withUnsafeBytes { left in rhs.withUnsafeBytes { right in compareBytes(left, right) < 0 } }
}

/// The indexes of `count` keys (`key(i)` is the ith) in LMDB's key order (`compareBytes`),
/// equal keys in index order.
///
/// A transaction sorts hundreds of thousands of index entries and view rows whose keys share
/// long prefixes (`case:brand:000…`). Compared in place, each comparison would read two keys
/// from elsewhere in memory and step over the shared bytes again. Here each key's next 24 bytes
/// travel with its index as three integers (`KeyWindow`); only keys whose windows tie are read
/// again, for their next 24 bytes.
func keyOrder<Key: RandomAccessCollection<UInt8>>(count: Int, _ key: (Int) -> Key) -> [Int]
where Key.Index == Int {
    let shared = KeyWindow.sharedPrefix(count: count, key)
    var slots = (0..<count).map { KeyWindow.Slot(window: KeyWindow(key($0), from: shared), index: $0) }
    var unsorted = [(range: 0..<count, offset: shared)]
    while let (range, offset) = unsorted.popLast() {
        slots[range].sort { $0.window != $1.window ? $0.window < $1.window : $0.index < $1.index }
        var start = range.lowerBound
        while start < range.upperBound {
            var end = start + 1
            while end < range.upperBound, slots[end].window == slots[start].window { end += 1 }
            let next = offset + KeyWindow.width
            if end - start > 1, slots[start..<end].contains(where: { key($0.index).count > next }) {
                for slot in start..<end { slots[slot].window = KeyWindow(key(slots[slot].index), from: next) }
                unsorted.append((start..<end, next))
            } else if end - start > 1 {
                // Equal up to the shorter's end, and zeros after it: the shorter first.
                slots[start..<end].sort { (key($0.index).count, $0.index) < (key($1.index).count, $1.index) }
            }
            start = end
        }
    }
    return slots.map(\.index)
}

/// The indexes of `keys` in LMDB's key order, equal keys in index order (`keyOrder`). Not
/// generic, so that the sort is specialized here, where it is compiled, for whichever module
/// calls it.
package func keyOrder(_ keys: [[UInt8]]) -> [Int] {
    keys.withUnsafeBufferPointer { keys in keyOrder(count: keys.count) { keys[$0] } }
}

/// Twenty-four bytes of a key from an offset, as big-endian words, zero past the key's end:
/// of two keys equal before the offset, the one whose window is smaller comes first; equal
/// windows say nothing.
struct KeyWindow: Sendable, Equatable {
    static let width = 24
    private var words: (UInt64, UInt64, UInt64) = (0, 0, 0)

    struct Slot {
        var window: KeyWindow
        var index: Int
    }

    init<Key: RandomAccessCollection<UInt8>>(_ key: Key, from offset: Int) where Key.Index == Int {
        var next = key.startIndex + min(offset, key.count)
        func word() -> UInt64 {
            var value: UInt64 = 0
            for _ in 0..<8 {
                value <<= 8
                if next < key.endIndex {
                    value |= UInt64(key[next])
                    next += 1
                }
            }
            return value
        }
        words.0 = word()
        words.1 = word()
        words.2 = word()
    }

    static func == (lhs: KeyWindow, rhs: KeyWindow) -> Bool { lhs.words == rhs.words }

    static func < (lhs: KeyWindow, rhs: KeyWindow) -> Bool {
        if lhs.words.0 != rhs.words.0 { return lhs.words.0 < rhs.words.0 }
        if lhs.words.1 != rhs.words.1 { return lhs.words.1 < rhs.words.1 }
        return lhs.words.2 < rhs.words.2
    }

    /// How many first bytes all of `count` keys share (`key(i)` is the ith).
    static func sharedPrefix<Key: RandomAccessCollection<UInt8>>(count: Int, _ key: (Int) -> Key) -> Int
    where Key.Index == Int {
        guard count > 0 else { return 0 }
        let first = key(0)
        var shared = first.count
        for index in 1..<count where shared > 0 {
            let other = key(index)
            var length = 0
            let limit = min(shared, other.count)
            while length < limit, first[first.startIndex + length] == other[other.startIndex + length] { length += 1 }
            shared = length
        }
        return shared
    }
}
