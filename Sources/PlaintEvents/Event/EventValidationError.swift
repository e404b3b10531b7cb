/// Why one input line is not an acceptable event: the field it concerns and what is wrong.
public struct EventValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A dotted path such as `data.kind`, or nil when the line as a whole is at fault.
    public var field: String?
    public var message: String

    public init(field: String?, message: String) {
        self.field = field
        self.message = message
    }

    /// A line that is only an opening brace or bracket: JSON spread over lines, one event per
    /// several lines, which is not NDJSON.
    public static let prettyPrinted = EventValidationError(
        field: nil,
        message: "this line holds only an opening brace: the input looks like pretty-printed JSON, and NDJSON "
            + "needs each event on one line (`jq -c .` writes it so)")

    public var description: String {
        if let field { return "field \"\(field)\": \(message)" }
        return message
    }
}
