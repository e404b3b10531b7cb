import Glibc

/// Byte order, as LMDB sorts keys: memcmp on the common prefix, then the shorter first.
func compareBytes(_ lhs: UnsafeRawBufferPointer, _ rhs: Span<UInt8>) -> Int {
    rhs.withUnsafeBytes { compareBytes(lhs, $0) }
}

func compareBytes(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Int {
    let common = min(lhs.count, rhs.count)
    if common > 0 {
        let order = memcmp(lhs.baseAddress!, rhs.baseAddress!, common)
        if order != 0 { return Int(order) }
    }
    return lhs.count - rhs.count
}

func bytesPrecede(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    lhs.withUnsafeBytes { left in rhs.withUnsafeBytes { right in compareBytes(left, right) < 0 } }
}
