import PlaintTestSupport
import Testing

@testable import PlaintEvents

/// The eight-bytes-at-a-time tests agree with a byte-by-byte reading on every word built from
/// the bytes at the edges of each class (and a borrow from one byte cannot hide or fake another).
@Suite("plain bytes")
struct PlainBytesTests {
    static let edges: [UInt8] = [
        0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x41, 0x5B, 0x5C, 0x5D, 0x7E, 0x7F, 0x80, 0xC3, 0xFF,
    ]

    static func isPlainASCII(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte < 0x80 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
    }

    static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    static func word(_ bytes: [UInt8]) -> UInt64 {
        bytes.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }

    @Test func wordsAgreeWithBytes() {
        var random = SeededRandom(seed: 12)
        for _ in 0..<200_000 {
            let bytes = (0..<8).map { _ in Self.edges.randomElement(using: &random)! }
            let leading = bytes.firstIndex { !Self.isPlainASCII($0) } ?? 8
            #expect(PlainBytes.leadingASCII(Self.word(bytes)) == leading, "\(bytes)")
            #expect(PlainBytes.needsEscape(Self.word(bytes)) == bytes.contains(where: Self.needsEscape), "\(bytes)")
        }
    }

    @Test(arguments: 0..<20)
    func buffersOfAnyLengthAgreeWithBytes(length: Int) {
        for position in 0..<max(1, length) {
            for special: UInt8 in [0x0A, 0x22, 0x5C, 0x1F] {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                if length > 0 { bytes[position] = special }
                let found = bytes.withUnsafeBytes { PlainBytes.needsEscape($0) }
                #expect(found == (length > 0), "length \(length), \(special) at \(position)")
            }
        }
        let plain = [UInt8](repeating: 0xC3, count: length)
        #expect(!plain.withUnsafeBytes { PlainBytes.needsEscape($0) })
    }
}
