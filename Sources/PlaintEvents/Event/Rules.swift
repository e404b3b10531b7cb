/// Checks of single values, each matching one JSON Schema keyword combination in `schemas/`.
struct Rules {
    let tape: JSONTape

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

    /// `{"type": "string"}`; returns the length in characters.
    @discardableResult
    func string(_ node: Int, field: String) throws(EventValidationError) -> Int {
        guard tape[node].kind == .string else { throw wrongType(node, field: field, expected: "a string") }
        return Int(tape[node].extra)
    }

    /// `{"type": "string", "minLength": 1, "maxLength": N, "not": {"pattern": "[\u0000-\u001f\u007f]"}}`
    func identifier(_ node: Int, field: String, maximumLength: Int) throws(EventValidationError) {
        let length = try string(node, field: field)
        guard length >= 1 else { throw EventValidationError(field: field, message: "must not be empty") }
        guard length <= maximumLength else {
            throw EventValidationError(
                field: field, message: "must be at most \(maximumLength) characters (got \(length))")
        }
        if tape.span(node).contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw EventValidationError(field: field, message: "must not contain control characters")
        }
    }

    /// `{"enum": [...]}` over strings; returns the index of the value in `allowed`.
    func oneOf(_ node: Int, field: String, _ allowed: Vocabulary) throws(EventValidationError) -> Int {
        if let index = allowed.index(of: node, in: tape) { return index }
        let got = tape[node].kind == .string ? "\"\(tape.string(node))\"" : Self.kindName(tape[node].kind)
        throw EventValidationError(field: field, message: "must be one of \(allowed.quotedList) (got \(got))")
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
