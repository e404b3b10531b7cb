/// A member name that occurs twice in one object: RFC 8785 (and I-JSON) forbid it.
public struct DuplicateMemberError: Error, Equatable, Sendable {
    public var name: String
}

/// A tape with its bytes borrowed, for the length of a `withUnsafeBufferPointer` on them.
struct TapeText {
    let tape: JSONTape
    let bytes: UnsafeBufferPointer<UInt8>

    /// `JSONTape.span` without an array slice (and its reference count).
    func span(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let node = tape.nodes[index]
        return UnsafeBufferPointer(rebasing: bytes[Int(node.a)..<Int(node.a + node.b)])
    }
}

/// Writes tape values in the RFC 8785 JSON Canonicalization Scheme form.
///
/// Members sorted by their names' UTF-16 code units, no whitespace, strings escaped minimally,
/// numbers as ECMAScript prints them. Two events are the same event exactly when their canonical
/// bytes are equal, so key order and spacing in the input never matter.
public struct CanonicalJSONWriter: Sendable {
    /// Member (key node) indexes of the objects being written, innermost last; reused.
    private var pending: [Int32] = []

    public init() {}

    public mutating func write(_ tape: JSONTape, node: Int, into out: inout [UInt8]) throws(DuplicateMemberError) {
        var failure: DuplicateMemberError?
        tape.bytes.withUnsafeBufferPointer { bytes in
            do throws(DuplicateMemberError) {
                try write(TapeText(tape: tape, bytes: bytes), node: node, into: &out)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// `write` with the tape's bytes already borrowed: a caller writing several values of one
    /// tape borrows them once, and no string costs a reference count.
    mutating func write(_ text: TapeText, node: Int, into out: inout [UInt8]) throws(DuplicateMemberError) {
        let value = text.tape.nodes[node]
        switch value.kind {
        case .null: Self.appendASCII("null", to: &out)
        case .true: Self.appendASCII("true", to: &out)
        case .false: Self.appendASCII("false", to: &out)
        case .string: Self.writeString(text.span(node), into: &out, mayNeedEscapes: value.hadEscape)
        case .number: Self.writeNumber(text.tape, node: node, into: &out)
        case .array:
            out.append(UInt8(ascii: "["))
            var child = node + 1
            for index in 0..<Int(value.a) {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                try write(text, node: child, into: &out)
                child = Int(text.tape.nodes[child].end)
            }
            out.append(UInt8(ascii: "]"))
        case .object:
            let base = try pushSortedMembers(of: node, in: text)
            defer { pending.removeSubrange(base...) }
            out.append(UInt8(ascii: "{"))
            for index in base..<pending.count {
                if index > base { out.append(UInt8(ascii: ",")) }
                let keyNode = Int(pending[index])
                Self.writeString(
                    text.span(keyNode), into: &out, mayNeedEscapes: text.tape.nodes[keyNode].hadEscape)
                out.append(UInt8(ascii: ":"))
                try write(text, node: keyNode + 1, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Appends the key nodes of the object at `node` to `pending`, sorted by name, and returns
    /// where they start; on a duplicate name, throws and leaves `pending` as it was.
    private mutating func pushSortedMembers(of node: Int, in text: TapeText) throws(DuplicateMemberError) -> Int {
        let base = pending.count
        var key = node + 1
        for _ in 0..<Int(text.tape.nodes[node].a) {
            pending.append(Int32(key))
            key = Int(text.tape.nodes[key + 1].end)
        }
        do {
            try sortMembers(text, from: base)
        } catch {
            pending.removeSubrange(base...)
            throw error
        }
        return base
    }

    /// Sorts `pending[base...]` by member name and rejects duplicate names.
    private mutating func sortMembers(_ text: TapeText, from base: Int) throws(DuplicateMemberError) {
        // Insertion sort: objects here are small (an event has about a dozen members).
        var index = base + 1
        while index < pending.count {
            let current = pending[index]
            var slot = index
            while slot > base, Self.memberName(text.span(Int(current)), precedes: text.span(Int(pending[slot - 1]))) {
                pending[slot] = pending[slot - 1]
                slot -= 1
            }
            pending[slot] = current
            index += 1
        }
        for index in (base + 1)..<max(base + 1, pending.count)
        where text.span(Int(pending[index])).elementsEqual(text.span(Int(pending[index - 1]))) {
            throw DuplicateMemberError(name: text.tape.string(Int(pending[index])))
        }
    }

    /// RFC 8785 orders names by UTF-16 code units. UTF-8 byte order agrees except between
    /// characters above U+FFFF and those in U+E000...U+FFFF, so compare UTF-16 only when needed.
    public static func memberName(_ lhs: some Collection<UInt8>, precedes rhs: some Collection<UInt8>) -> Bool {
        if lhs.contains(where: { $0 >= 0xEE }) || rhs.contains(where: { $0 >= 0xEE }) {
            let left = String(decoding: lhs, as: UTF8.self).utf16
            let right = String(decoding: rhs, as: UTF8.self).utf16
            return left.lexicographicallyPrecedes(right)
        }
        return lhs.lexicographicallyPrecedes(rhs)
    }

    /// The same for a contiguous buffer: a concrete entry point for other modules, which would
    /// otherwise call the generic form unspecialized, a byte at a time through witness tables.
    /// - Parameter mayNeedEscapes: false when the bytes are known to hold no `"`, `\` or
    ///   control character (a string parsed without escapes), which skips looking for them.
    static func writeString(
        _ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8], mayNeedEscapes: Bool = true
    ) {
        guard !mayNeedEscapes || !PlainBytes.needsEscape(UnsafeRawBufferPointer(bytes)) else {
            return writeEscaped(bytes, into: &out)
        }
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: bytes)
        out.append(UInt8(ascii: "\""))
    }

    public static func writeString(_ bytes: some Collection<UInt8>, into out: inout [UInt8]) {
        // Most strings need no escape at all: copy them in one go.
        let plain =
            bytes.withContiguousStorageIfAvailable { !PlainBytes.needsEscape(UnsafeRawBufferPointer($0)) }
            ?? !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") })
        guard plain else { return writeEscaped(bytes, into: &out) }
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: bytes)
        out.append(UInt8(ascii: "\""))
    }

    /// Writes a string that holds a byte to escape, quoted, escaping minimally.
    private static func writeEscaped(_ bytes: some Collection<UInt8>, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""):
                out.append(0x5C)
                out.append(byte)
            case UInt8(ascii: "\\"):
                out.append(0x5C)
                out.append(byte)
            case 0x08:
                out.append(0x5C)
                out.append(UInt8(ascii: "b"))
            case 0x09:
                out.append(0x5C)
                out.append(UInt8(ascii: "t"))
            case 0x0A:
                out.append(0x5C)
                out.append(UInt8(ascii: "n"))
            case 0x0C:
                out.append(0x5C)
                out.append(UInt8(ascii: "f"))
            case 0x0D:
                out.append(0x5C)
                out.append(UInt8(ascii: "r"))
            case 0..<0x20:
                appendASCII("\\u00", to: &out)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    public static func writeNumber(_ tape: JSONTape, node: Int, into out: inout [UInt8]) {
        let text = tape.span(node)
        let isPlainInteger = tape.nodes[node].extra == 0
        let digits = text.first == UInt8(ascii: "-") ? text.count - 1 : text.count
        if isPlainInteger && digits <= 15 {
            // Exactly representable, and JSON integers have no leading zeros: already canonical.
            if text.elementsEqual("-0".utf8) { out.append(UInt8(ascii: "0")) } else { out.append(contentsOf: text) }
        } else {
            appendASCII(ECMAScriptNumber.format(tape.double(node)), to: &out)
        }
    }

    static func appendASCII(_ text: String, to out: inout [UInt8]) {
        out.append(contentsOf: text.utf8)
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
