/// Why a text is not a JSON document plaint accepts.
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Byte offset in the line where the problem was found.
    public var offset: Int
    public var reason: String

    public var description: String { "invalid JSON at byte \(offset + 1): \(reason)" }
}

/// A strict RFC 8259 parser that fills a reusable `JSONTape`.
///
/// Stricter than RFC 8259 where RFC 8785 (the canonical form the hash chain relies on) needs it:
/// input must be UTF-8 without a byte order mark, and strings must not hold lone surrogates.
/// Duplicate keys are found later, when members are sorted for the canonical form.
public struct JSONParser: Sendable {
    /// Deeper nesting is rejected so that hostile input cannot exhaust the stack.
    public static let maximumDepth = 64

    public private(set) var tape = JSONTape()

    public init() {}

    /// Parses one complete JSON text (surrounding whitespace allowed) into `tape`.
    public mutating func parse(_ input: Span<UInt8>) throws(JSONSyntaxError) {
        try input.withUnsafeBufferPointer { (input) throws(JSONSyntaxError) in try parse(input) }
    }

    mutating func parse(_ input: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) {
        tape.reset()
        var reader = Reader(input: input)
        try reader.skipWhitespace()
        try reader.parseValue(into: &tape, depth: 0)
        try reader.skipWhitespace()
        if reader.index != input.count {
            throw JSONSyntaxError(offset: reader.index, reason: "unexpected text after the JSON value")
        }
    }

    public mutating func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) {
        var failure: JSONSyntaxError?
        bytes.withUnsafeBufferPointer { buffer in
            do throws(JSONSyntaxError) { try parse(buffer) } catch { failure = error }
        }
        if let failure { throw failure }
    }
}

private struct Reader {
    let input: UnsafeBufferPointer<UInt8>
    var index = 0

    init(input: UnsafeBufferPointer<UInt8>) { self.input = input }

    func fail(_ reason: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset ?? index, reason: reason)
    }

    mutating func skipWhitespace() throws(JSONSyntaxError) {
        while index < input.count {
            switch input[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func parseValue(into tape: inout JSONTape, depth: Int) throws(JSONSyntaxError) {
        guard index < input.count else { throw fail("unexpected end of input") }
        switch input[index] {
        case UInt8(ascii: "{"): try parseObject(into: &tape, depth: depth)
        case UInt8(ascii: "["): try parseArray(into: &tape, depth: depth)
        case UInt8(ascii: "\""): try parseString(into: &tape)
        case UInt8(ascii: "t"): try parseLiteral("true", .true, into: &tape)
        case UInt8(ascii: "f"): try parseLiteral("false", .false, into: &tape)
        case UInt8(ascii: "n"): try parseLiteral("null", .null, into: &tape)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try parseNumber(into: &tape)
        case 0xEF where index == 0: throw fail("a byte order mark is not allowed")
        default: throw fail("expected a value")
        }
    }

    mutating func parseLiteral(_ word: StaticString, _ kind: JSONTape.Kind, into tape: inout JSONTape)
        throws(JSONSyntaxError)
    {
        let count = word.utf8CodeUnitCount
        guard index + count <= input.count else { throw fail("expected a value") }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        for offset in 0..<count where input[index + offset] != expected[offset] {
            throw fail("expected a value")
        }
        index += count
        let position = UInt32(tape.nodes.count)
        tape.nodes.append(.init(kind: kind, a: 0, b: 0, end: position + 1, extra: 0))
    }

    mutating func parseObject(into tape: inout JSONTape, depth: Int) throws(JSONSyntaxError) {
        guard depth < JSONParser.maximumDepth else { throw fail("nesting deeper than \(JSONParser.maximumDepth)") }
        let position = tape.nodes.count
        tape.nodes.append(.init(kind: .object, a: 0, b: 0, end: 0, extra: 0))
        index += 1
        var count: UInt32 = 0
        try skipWhitespace()
        if index < input.count, input[index] == UInt8(ascii: "}") {
            index += 1
        } else {
            while true {
                guard index < input.count, input[index] == UInt8(ascii: "\"") else {
                    throw fail("expected a member name in double quotes")
                }
                try parseString(into: &tape)
                try skipWhitespace()
                guard index < input.count, input[index] == UInt8(ascii: ":") else {
                    throw fail("expected ':' after a member name")
                }
                index += 1
                try skipWhitespace()
                try parseValue(into: &tape, depth: depth + 1)
                count += 1
                try skipWhitespace()
                guard index < input.count else { throw fail("unexpected end of input in an object") }
                if input[index] == UInt8(ascii: ",") {
                    index += 1
                    try skipWhitespace()
                } else if input[index] == UInt8(ascii: "}") {
                    index += 1
                    break
                } else {
                    throw fail("expected ',' or '}' in an object")
                }
            }
        }
        tape.nodes[position].a = count
        tape.nodes[position].end = UInt32(tape.nodes.count)
    }

    mutating func parseArray(into tape: inout JSONTape, depth: Int) throws(JSONSyntaxError) {
        guard depth < JSONParser.maximumDepth else { throw fail("nesting deeper than \(JSONParser.maximumDepth)") }
        let position = tape.nodes.count
        tape.nodes.append(.init(kind: .array, a: 0, b: 0, end: 0, extra: 0))
        index += 1
        var count: UInt32 = 0
        try skipWhitespace()
        if index < input.count, input[index] == UInt8(ascii: "]") {
            index += 1
        } else {
            while true {
                try parseValue(into: &tape, depth: depth + 1)
                count += 1
                try skipWhitespace()
                guard index < input.count else { throw fail("unexpected end of input in an array") }
                if input[index] == UInt8(ascii: ",") {
                    index += 1
                    try skipWhitespace()
                } else if input[index] == UInt8(ascii: "]") {
                    index += 1
                    break
                } else {
                    throw fail("expected ',' or ']' in an array")
                }
            }
        }
        tape.nodes[position].a = count
        tape.nodes[position].end = UInt32(tape.nodes.count)
    }

    mutating func parseNumber(into tape: inout JSONTape) throws(JSONSyntaxError) {
        let start = index
        var hasFractionOrExponent: UInt32 = 0
        var hasExponent = false
        if input[index] == UInt8(ascii: "-") { index += 1 }
        guard index < input.count, isDigit(input[index]) else { throw fail("expected a digit") }
        if input[index] == UInt8(ascii: "0") {
            index += 1
            if index < input.count, isDigit(input[index]) { throw fail("leading zeros are not allowed") }
        } else {
            while index < input.count, isDigit(input[index]) { index += 1 }
        }
        if index < input.count, input[index] == UInt8(ascii: ".") {
            hasFractionOrExponent = 1
            index += 1
            guard index < input.count, isDigit(input[index]) else { throw fail("expected a digit after '.'") }
            while index < input.count, isDigit(input[index]) { index += 1 }
        }
        if index < input.count, input[index] | 0x20 == UInt8(ascii: "e") {
            hasFractionOrExponent = 1
            hasExponent = true
            index += 1
            if index < input.count, input[index] == UInt8(ascii: "+") || input[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < input.count, isDigit(input[index]) else { throw fail("expected a digit in the exponent") }
            while index < input.count, isDigit(input[index]) { index += 1 }
        }
        if ExactNumbers.needsCheck(digits: index - start, hasExponent: hasExponent) { tape.hasInexactCandidate = true }
        let offset = UInt32(tape.bytes.count)
        tape.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[start..<index]))
        let position = UInt32(tape.nodes.count)
        tape.nodes.append(
            .init(kind: .number, a: offset, b: UInt32(index - start), end: position + 1, extra: hasFractionOrExponent))
    }

    mutating func parseString(into tape: inout JSONTape) throws(JSONSyntaxError) {
        index += 1  // opening quote
        let offset = tape.bytes.count
        var scalars: UInt32 = 0
        var hadEscape = false
        var runStart = index
        let raw = UnsafeRawPointer(input.baseAddress!)
        while true {
            while index + 8 <= input.count {
                let plain = PlainBytes.leadingASCII(
                    UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
                index += plain
                scalars += UInt32(plain)
                if plain < 8 { break }
            }
            guard index < input.count else { throw fail("unterminated string") }
            let byte = input[index]
            if byte == UInt8(ascii: "\"") {
                break
            } else if byte == UInt8(ascii: "\\") {
                tape.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<index]))
                try parseEscape(into: &tape)
                hadEscape = true
                scalars += 1
                runStart = index
            } else if byte < 0x20 {
                throw fail("a control character must be escaped in a string")
            } else if byte < 0x80 {
                index += 1
                scalars += 1
            } else {
                try skipUTF8Sequence()
                scalars += 1
            }
        }
        tape.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<index]))
        index += 1  // closing quote
        let position = UInt32(tape.nodes.count)
        tape.nodes.append(
            .init(
                kind: .string, hadEscape: hadEscape, a: UInt32(offset), b: UInt32(tape.bytes.count - offset),
                end: position + 1, extra: scalars))
    }

    /// Checks one multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, max U+10FFFF).
    mutating func skipUTF8Sequence() throws(JSONSyntaxError) {
        let lead = input[index]
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            upper = 0x9F
        case 0xF0:
            length = 4
            lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            upper = 0x8F
        default: throw fail("invalid UTF-8")
        }
        guard index + length <= input.count else { throw fail("invalid UTF-8") }
        let second = input[index + 1]
        guard second >= lower, second <= upper else { throw fail("invalid UTF-8") }
        for offset in 2..<max(2, length) where input[index + offset] & 0xC0 != 0x80 {
            throw fail("invalid UTF-8")
        }
        index += length
    }

    mutating func parseEscape(into tape: inout JSONTape) throws(JSONSyntaxError) {
        let start = index
        index += 1
        guard index < input.count else { throw fail("unterminated string") }
        let byte = input[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): tape.bytes.append(0x22)
        case UInt8(ascii: "\\"): tape.bytes.append(0x5C)
        case UInt8(ascii: "/"): tape.bytes.append(0x2F)
        case UInt8(ascii: "b"): tape.bytes.append(0x08)
        case UInt8(ascii: "f"): tape.bytes.append(0x0C)
        case UInt8(ascii: "n"): tape.bytes.append(0x0A)
        case UInt8(ascii: "r"): tape.bytes.append(0x0D)
        case UInt8(ascii: "t"): tape.bytes.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if scalar >= 0xD800, scalar <= 0xDBFF {
                guard index + 1 < input.count, input[index] == UInt8(ascii: "\\"), input[index + 1] == UInt8(ascii: "u")
                else { throw fail("a lone surrogate is not allowed", at: start) }
                index += 2
                let low = try readHex4()
                guard low >= 0xDC00, low <= 0xDFFF else { throw fail("a lone surrogate is not allowed", at: start) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00, scalar <= 0xDFFF {
                throw fail("a lone surrogate is not allowed", at: start)
            }
            appendUTF8(scalar, to: &tape.bytes)
        default:
            throw fail("invalid escape sequence", at: start)
        }
    }

    mutating func readHex4() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= input.count else { throw fail("expected four hex digits after \\u") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = input[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("expected four hex digits after \\u")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}

@inline(__always)
private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

func appendUTF8(_ scalar: UInt32, to bytes: inout [UInt8]) {
    switch scalar {
    case 0..<0x80:
        bytes.append(UInt8(scalar))
    case 0x80..<0x800:
        bytes.append(UInt8(0xC0 | scalar >> 6))
        bytes.append(UInt8(0x80 | scalar & 0x3F))
    case 0x800..<0x10000:
        bytes.append(UInt8(0xE0 | scalar >> 12))
        bytes.append(UInt8(0x80 | scalar >> 6 & 0x3F))
        bytes.append(UInt8(0x80 | scalar & 0x3F))
    default:
        bytes.append(UInt8(0xF0 | scalar >> 18))
        bytes.append(UInt8(0x80 | scalar >> 12 & 0x3F))
        bytes.append(UInt8(0x80 | scalar >> 6 & 0x3F))
        bytes.append(UInt8(0x80 | scalar & 0x3F))
    }
}
