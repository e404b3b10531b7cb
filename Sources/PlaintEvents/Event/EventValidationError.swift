/// Why one input line is not an acceptable event: the field it concerns and what is wrong.
public struct EventValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A dotted path such as `data.kind`, or nil when the line as a whole is at fault.
    public var field: String?
    public var message: String

    public init(field: String?, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String {
        if let field { return "field \"\(field)\": \(message)" }
        return message
    }
}
