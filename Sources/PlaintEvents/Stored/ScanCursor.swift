#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// A string found in canonical event bytes: where its contents are, and whether they hold
/// escapes (then the bytes are not the string's value as they stand).
public struct ScannedString: Sendable, Equatable {
    public var range: Range<Int>
    public var escaped: Bool
}

/// Steps through canonical JSON bytes without decoding what it steps over.
///
/// Strings are stepped over eight bytes at a time: most of an event's bytes are texts that
/// replay never reads.
struct ScanCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var atEnd: Bool { offset == bytes.count }
    var peek: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        offset += 1
        return true
    }

    /// A string value; the cursor ends after its closing quote.
    mutating func string() -> ScannedString? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = offset
        var escaped = false
        while true {
            skipPlainBytes()
            guard offset < bytes.count else { return nil }
            if bytes[offset] == UInt8(ascii: "\"") {
                offset += 1
                return ScannedString(range: start..<offset - 1, escaped: escaped)
            }
            // A backslash: step over the pair (it may be `\"`).
            escaped = true
            offset += 2
        }
    }

    /// Moves to the next quote or backslash (or the end), eight bytes at a time.
    ///
    /// A byte of `word ^ pattern` is zero where `word` holds the pattern's byte; the classic
    /// zero-byte test marks it, and the lowest mark is the first such byte (little-endian).
    private mutating func skipPlainBytes() {
        let raw = UnsafeRawPointer(bytes.baseAddress!)
        while offset + 8 <= bytes.count {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let quotes = word ^ 0x2222_2222_2222_2222
            let backslashes = word ^ 0x5C5C_5C5C_5C5C_5C5C
            let ones: UInt64 = 0x0101_0101_0101_0101
            let marks =
                ((quotes &- ones) & ~quotes | (backslashes &- ones) & ~backslashes) & 0x8080_8080_8080_8080
            if marks != 0 {
                offset += marks.trailingZeroBitCount / 8
                return
            }
            offset += 8
        }
        while offset < bytes.count, bytes[offset] != UInt8(ascii: "\""), bytes[offset] != UInt8(ascii: "\\") {
            offset += 1
        }
    }

    /// Reads a string value into `field`; false when there is none.
    mutating func string(into field: inout ScannedString?) -> Bool {
        field = string()
        return field != nil
    }

    /// Steps over any value: a string, an object or array (however nested), a number or literal.
    mutating func skipValue() -> Bool {
        guard let first = peek else { return false }
        switch first {
        case UInt8(ascii: "\""):
            return string() != nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while let byte = peek {
                switch byte {
                case UInt8(ascii: "\""):
                    guard string() != nil else { return false }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        offset += 1
                        return true
                    }
                default: break
                }
                offset += 1
            }
            return false
        default:
            let start = offset
            while let byte = peek, byte != UInt8(ascii: ","), byte != UInt8(ascii: "}"), byte != UInt8(ascii: "]") {
                offset += 1
            }
            return offset > start
        }
    }

    /// Whether the bytes in `range` spell `name`.
    func equals(_ range: Range<Int>, _ name: StaticString) -> Bool {
        range.count == name.utf8CodeUnitCount
            && memcmp(bytes.baseAddress! + range.lowerBound, name.utf8Start, range.count) == 0
    }

    /// The index of the vocabulary name the string spells; nil for an escaped string or no match.
    func match(_ string: ScannedString, _ vocabulary: Vocabulary) -> Int? {
        guard !string.escaped else { return nil }
        return vocabulary.index(of: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[string.range])))
    }

    /// The string's bytes; with escapes only the simple ones of RFC 8785 output are decoded here
    /// (anything else returns nil, for the full parser).
    func decoded(_ string: ScannedString) -> [UInt8]? {
        guard string.escaped else { return Array(bytes[string.range]) }
        var result: [UInt8] = []
        result.reserveCapacity(string.range.count)
        var index = string.range.lowerBound
        while index < string.range.upperBound {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                result.append(byte)
                index += 1
                continue
            }
            guard index + 1 < string.range.upperBound else { return nil }
            switch bytes[index + 1] {
            case UInt8(ascii: "\""): result.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): result.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): result.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): result.append(0x08)
            case UInt8(ascii: "f"): result.append(0x0C)
            case UInt8(ascii: "n"): result.append(0x0A)
            case UInt8(ascii: "r"): result.append(0x0D)
            case UInt8(ascii: "t"): result.append(0x09)
            default: return nil
            }
            index += 2
        }
        return result
    }
}
