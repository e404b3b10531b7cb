/// Numbers that a double cannot hold as written are refused, never silently changed: RFC 8785
/// serializes numbers as IEEE 754 doubles, so `1e400` would become `null` and an integer past
/// 2^53 another integer, and two different inputs would hash alike.
public enum ExactNumbers {
    /// 2^53: every integer up to it in magnitude is a double exactly.
    public static let largestExactInteger = "9007199254740992"

    /// Whether a number's text may be inexact as a double: it has an exponent, or more than
    /// 15 digits. The parser marks the tape when it meets one; most events have none.
    static func needsCheck(digits: Int, hasExponent: Bool) -> Bool { hasExponent || digits > 15 }

    /// Why the number node `node` of `tape` cannot be stored as written, or nil when it can.
    ///
    /// Judged by the value, as the canonical form will print it, so that what is accepted here
    /// is accepted again when `verify` re-reads the stored form: infinite; zero from a literal
    /// that is not (an underflow); or an integer beyond ±2^53 that RFC 8785 prints as plain
    /// digits (below 1e21), whether it was written plainly or as `1e20`.
    public static func problem(_ tape: JSONTape, node: Int) -> String? {
        let text = tape.span(node)
        let shown = String(decoding: text.prefix(40), as: UTF8.self) + (text.count > 40 ? "…" : "")
        let value = tape.double(node)
        guard value.isFinite else {
            return "the number \(shown) is beyond the range of a double (about ±1.8e308): write it as a string"
        }
        if value == 0 {
            let mantissa = text.prefix { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }
            guard mantissa.contains(where: { $0 >= UInt8(ascii: "1") && $0 <= UInt8(ascii: "9") }) else { return nil }
            return "the number \(shown) is too small for a double and would be stored as 0: write it as a string"
        }
        let beyond: Bool
        if tape[node].extra == 0 {
            // Written as an integer: judged by its digits (9007199254740993 rounds to 2^53 itself).
            var digits = text[...]
            if digits.first == UInt8(ascii: "-") { digits = digits.dropFirst() }
            let limit = largestExactInteger.utf8
            beyond =
                digits.count > limit.count || (digits.count == limit.count && limit.lexicographicallyPrecedes(digits))
        } else {
            let magnitude = abs(value)
            beyond = magnitude > 9_007_199_254_740_992 && magnitude < 1e21 && value.rounded() == value
        }
        guard beyond else { return nil }
        return "the integer \(shown) is beyond ±2^53 (\(largestExactInteger)) and cannot be stored exactly: "
            + "write it as a string"
    }

    /// The first number of `tape` that cannot be stored exactly, with its path (`data.amount`,
    /// `data.items[2]`) and why.
    public static func firstProblem(in tape: JSONTape) -> (path: String, reason: String)? {
        for node in tape.nodes.indices where tape[node].kind == .number {
            if let reason = problem(tape, node: node) { return (tape.path(to: node), reason) }
        }
        return nil
    }
}

extension JSONTape {
    /// The path of `target` from the root: member names joined by `.`, array elements as `[i]`.
    public func path(to target: Int) -> String {
        var path = ""
        var node = 0
        while node != target {
            let container = nodes[node]
            var child = node + 1
            var found = false
            for index in 0..<Int(container.a) {
                var value = child
                var step = "[\(index)]"
                if container.kind == .object {
                    step = (path.isEmpty ? "" : ".") + string(child)
                    value = child + 1
                }
                if target < Int(nodes[value].end) && target >= value {
                    path += step
                    node = value
                    found = true
                    break
                }
                child = Int(nodes[value].end)
            }
            guard found else { return path }
        }
        return path
    }
}
