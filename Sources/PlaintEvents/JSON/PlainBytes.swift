/// Tests eight bytes at a time for the bytes a JSON string holds as they are, so that parsing
/// and writing step over runs of ordinary text instead of branching on every byte.
///
/// A byte of `word ^ pattern` is zero where `word` holds the pattern's byte, and the classic
/// zero-byte test marks it; a borrow can only mark bytes above a true mark, so the lowest mark
/// is exact (words are loaded little-endian: lowest byte first).
enum PlainBytes {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let high: UInt64 = 0x8080_8080_8080_8080

    /// How many of `word`'s bytes, from the first, are ASCII from 0x20 up other than `"` and
    /// `\` (each is one character, copied as it is): 8 when all are.
    @inline(__always)
    static func leadingASCII(_ word: UInt64) -> Int {
        (marks(word) | word & high).trailingZeroBitCount / 8
    }

    /// Whether any of `word`'s bytes must be escaped in a JSON string: `"`, `\` or below 0x20.
    @inline(__always)
    static func needsEscape(_ word: UInt64) -> Bool { marks(word) != 0 }

    @inline(__always)
    private static func marks(_ word: UInt64) -> UInt64 {
        let quotes = word ^ (0x22 &* ones)
        let backslashes = word ^ (0x5C &* ones)
        let controls = word &- 0x20 &* ones
        return ((quotes &- ones) & ~quotes | (backslashes &- ones) & ~backslashes | controls & ~word) & high
    }

    /// Whether any byte of `bytes` must be escaped in a JSON string.
    static func needsEscape(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset + 8 <= bytes.count {
            if needsEscape(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))) {
                return true
            }
            offset += 8
        }
        return bytes[offset...].contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
    }
}
