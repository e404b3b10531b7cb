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
