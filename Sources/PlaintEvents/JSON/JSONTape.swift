/// A parsed JSON document as a flat preorder list of nodes, reused from line to line.
///
/// A tape avoids one heap object per JSON value: parsing a 300-byte event allocates nothing once
/// the tape's buffers have grown, which is what makes append fast. Strings are stored decoded
/// (escapes resolved, valid UTF-8) in `bytes`; numbers keep their source text there too.
public struct JSONTape: Sendable {
    public enum Kind: UInt8, Sendable {
        case object, array, string, number, `true`, `false`, null
    }

    /// One value. Containers are followed by their children: an object by key, value, key, value...
    public struct Node: Sendable {
        public var kind: Kind
        /// string: the source text held an escape. Without one, the decoded bytes hold no `"`,
        /// `\` or control character (a raw one is refused), so they need no escaping on output.
        public var hadEscape = false
        /// object/array: number of members or elements; string/number: offset in `bytes`.
        public var a: UInt32
        /// string/number: length in `bytes`; string: also see `scalarCount`.
        public var b: UInt32
        /// Index of the node after this value's whole subtree.
        public var end: UInt32
        /// string: Unicode scalars (what JSON Schema's minLength/maxLength count); number: 1 if the
        /// text has a fraction or exponent.
        public var extra: UInt32
    }

    public internal(set) var nodes: [Node] = []
    public internal(set) var bytes: [UInt8] = []
    /// Whether a number may not be exact as a double (`ExactNumbers`): only then is it checked.
    public internal(set) var hasInexactCandidate = false

    public init() {
        nodes.reserveCapacity(64)
        bytes.reserveCapacity(1024)
    }

    mutating func reset() {
        nodes.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        hasInexactCandidate = false
    }

    public subscript(index: Int) -> Node { nodes[index] }

    /// The decoded bytes of a string node, or the source text of a number node.
    public func span(_ index: Int) -> ArraySlice<UInt8> {
        let node = nodes[index]
        return bytes[Int(node.a)..<Int(node.a + node.b)]
    }

    public func string(_ index: Int) -> String {
        String(decoding: span(index), as: UTF8.self)
    }

    /// The value node of the member named `key`, if present (first match).
    public func member(_ key: String, of object: Int) -> Int? {
        member(Array(key.utf8), of: object)
    }

    /// The numeric value of a number node.
    public func double(_ index: Int) -> Double {
        // The text already matched JSON's number grammar, which Double's parser accepts.
        Double(String(decoding: span(index), as: UTF8.self)) ?? .nan
    }
}
