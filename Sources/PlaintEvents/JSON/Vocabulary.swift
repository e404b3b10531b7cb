/// A fixed list of names (member names or enum values), matched against decoded string bytes
/// without building Strings: validation runs once per appended event, so it must not allocate.
public struct Vocabulary: Sendable {
    public let names: [String]
    let bytes: [[UInt8]]

    public init(_ names: [String]) {
        self.names = names
        self.bytes = names.map { Array($0.utf8) }
    }

    /// The index of the name equal to the string node's bytes, if any.
    public func index(of node: Int, in tape: JSONTape) -> Int? {
        let value = tape.nodes[node]
        guard value.kind == .string else { return nil }
        return tape.bytes.withUnsafeBytes { all in
            index(of: UnsafeRawBufferPointer(rebasing: all[Int(value.a)..<Int(value.a) + Int(value.b)]))
        }
    }

    /// The index of the name equal to `text`, if any.
    func index(of text: UnsafeRawBufferPointer) -> Int? {
        guard let start = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            return bytes.firstIndex { $0.isEmpty }
        }
        for index in bytes.indices where bytes[index].count == text.count {
            if bytes[index].withUnsafeBufferPointer({ memoryEqual($0.baseAddress!, start, text.count) }) {
                return index
            }
        }
        return nil
    }

    /// The names quoted for messages: `"a", "b", "c"`.
    public var quotedList: String { names.map { "\"\($0)\"" }.joined(separator: ", ") }
}

@inline(__always)
func memoryEqual(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    for offset in 0..<count where lhs[offset] != rhs[offset] { return false }
    return true
}

extension JSONTape {
    /// The value node of the member whose name is `name`, if present (first match).
    public func member(_ name: [UInt8], of object: Int) -> Int? {
        var cursor = object + 1
        for _ in 0..<Int(nodes[object].a) {
            let key = nodes[cursor]
            if Int(key.b) == name.count {
                let same = bytes.withUnsafeBufferPointer { all in
                    name.withUnsafeBufferPointer {
                        memoryEqual(all.baseAddress! + Int(key.a), $0.baseAddress!, name.count)
                    }
                }
                if same { return cursor + 1 }
            }
            cursor = Int(nodes[cursor + 1].end)
        }
        return nil
    }
}
