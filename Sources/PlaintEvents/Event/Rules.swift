/// Checks of single values, each matching one JSON Schema keyword combination in `schemas/`.
struct Rules {
    let tape: JSONTape

    static func list(_ names: [String]) -> String {
        names.map { "\"\($0)\"" }.joined(separator: ", ")
    }

    static func kindName(_ kind: JSONTape.Kind) -> String {
        switch kind {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .true, .false: "a boolean"
        case .null: "null"
        }
    }

    func wrongType(_ node: Int, field: String, expected: String) -> EventValidationError {
        EventValidationError(field: field, message: "must be \(expected) (got \(Self.kindName(tape[node].kind)))")
    }

    /// `{"type": "string"}`
    func string(_ node: Int, field: String) throws(EventValidationError) -> String {
        guard tape[node].kind == .string else { throw wrongType(node, field: field, expected: "a string") }
        return tape.string(node)
    }

    /// `{"type": "string", "minLength": 1, "maxLength": N, "not": {"pattern": "[\u0000-\u001f\u007f]"}}`
    func identifier(_ node: Int, field: String, maximumLength: Int) throws(EventValidationError) {
        guard tape[node].kind == .string else { throw wrongType(node, field: field, expected: "a string") }
        let length = Int(tape[node].extra)
        guard length >= 1 else { throw EventValidationError(field: field, message: "must not be empty") }
        guard length <= maximumLength else {
            throw EventValidationError(
                field: field, message: "must be at most \(maximumLength) characters (got \(length))")
        }
        if tape.span(node).contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw EventValidationError(field: field, message: "must not contain control characters")
        }
    }

    /// `{"enum": [...]}` over strings.
    func oneOf(_ node: Int, field: String, _ allowed: [String]) throws(EventValidationError) -> String {
        let value = tape[node].kind == .string ? tape.string(node) : nil
        guard let value, allowed.contains(value) else {
            let got = value.map { "\"\($0)\"" } ?? Self.kindName(tape[node].kind)
            throw EventValidationError(field: field, message: "must be one of \(Self.list(allowed)) (got \(got))")
        }
        return value
    }

    func channel(_ node: Int, field: String) throws(EventValidationError) {
        _ = try oneOf(node, field: field, Channel.allCases.map(\.rawValue))
    }

    /// `{"type": "boolean"}`
    func boolean(_ node: Int, field: String) throws(EventValidationError) {
        let kind = tape[node].kind
        guard kind == .true || kind == .false else { throw wrongType(node, field: field, expected: "true or false") }
    }

    /// `{"type": "object"}`
    func object(_ node: Int, field: String) throws(EventValidationError) {
        guard tape[node].kind == .object else { throw wrongType(node, field: field, expected: "an object") }
    }

    /// `{"type": "integer", "minimum": a, "maximum": b}`; like JSON Schema, 5.0 is the integer 5.
    func integer(_ node: Int, field: String, in range: ClosedRange<Int64>) throws(EventValidationError) -> Int64 {
        guard tape[node].kind == .number else { throw wrongType(node, field: field, expected: "an integer") }
        let value = tape.double(node)
        guard value.isFinite, value == value.rounded(.towardZero) else {
            throw EventValidationError(field: field, message: "must be an integer (got \(tape.string(node)))")
        }
        guard value >= Double(range.lowerBound), value <= Double(range.upperBound) else {
            throw EventValidationError(
                field: field,
                message: "must be from \(range.lowerBound) to \(range.upperBound) (got \(tape.string(node)))")
        }
        return Int64(value)
    }
}
