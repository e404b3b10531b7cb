import PlaintEvents
import PlaintSystem

/// Rows given once and printed as a table, as JSON or as CSV under the same field names, so the
/// three formats cannot drift apart.
public struct Listing {
    public struct Column {
        /// The JSON member and CSV header name.
        public let name: String
        /// The table heading.
        public let heading: String
        public let rightAligned: Bool
        /// The table cell for a value.
        public let text: (JSONValue) -> String
        /// Where the column stands among those a narrow terminal may leave out (higher goes
        /// first); nil for a column every table keeps.
        public let dropPriority: Int?

        public init(
            _ name: String, heading: String, rightAligned: Bool = false, dropPriority: Int? = nil,
            text: @escaping (JSONValue) -> String = Listing.plainText
        ) {
            self.name = name
            self.heading = heading
            self.rightAligned = rightAligned
            self.dropPriority = dropPriority
            self.text = text
        }
    }

    public let columns: [Column]
    public private(set) var rows: [[JSONValue]] = []

    public init(_ columns: [Column]) { self.columns = columns }

    public mutating func append(_ row: [JSONValue]) {
        precondition(row.count == columns.count, "a listing row has one value per column")
        rows.append(row)
    }

    /// `{header…, <key>: [{column: value, …}, …]}`.
    public func json(_ header: [(String, JSONValue)], rowsKey: String) -> JSONValue {
        .object(header + [(rowsKey, .array(objects()))])
    }

    /// Each row as a JSON object, members named and ordered as the columns.
    public func objects() -> [JSONValue] {
        rows.map { row in .object(zip(columns.map(\.name), row).map { ($0, $1) }) }
    }

    /// RFC 4180: a header row, CRLF line ends, a field quoted when it holds a comma, a quote or a
    /// line break. Null is an empty field; a list is its items joined by `;`. Control characters
    /// inside a field (other than tab and line feed) are written as visible escapes (`\u001b`),
    /// as everywhere plaint writes text a terminal may show.
    public func csv() -> String {
        var text = columns.map { Self.csvField($0.name) }.joined(separator: ",") + "\r\n"
        for row in rows {
            text += row.map { Self.csvField(Self.csvText($0)) }.joined(separator: ",") + "\r\n"
        }
        return text
    }

    /// The table, every column; `fitted(width:)` narrows it to a terminal.
    public func table() -> String { fitted(width: nil).text }

    /// The table within `width` columns, leaving out columns by their drop priority.
    public func fitted(width: Int?) -> FittedTable {
        let droppable = columns.indices.filter { columns[$0].dropPriority != nil }
        let dropOrder = droppable.sorted { lhs, rhs in
            let (left, right) = (columns[lhs].dropPriority!, columns[rhs].dropPriority!)
            return left != right ? left > right : lhs > rhs
        }
        return FittedTable(
            [columns.map(\.heading)] + rows.map { row in zip(columns, row).map { $0.text($1) } },
            rightAligned: Set(columns.indices.filter { columns[$0].rightAligned }), dropOrder: dropOrder, width: width)
    }

    static func csvText(_ value: JSONValue) -> String {
        switch value {
        case .null: ""
        case .string(let text): text
        case .array(let items): items.map(csvText).joined(separator: ";")
        default: value.serialized()
        }
    }

    static func csvField(_ raw: String) -> String {
        let text = VisibleText.escapingControls(raw)
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return text
        }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }

    /// A value as a table shows it when the column gives no other form: text as is, `-` for null.
    public static func plainText(_ value: JSONValue) -> String {
        switch value {
        case .null: "-"
        case .string(let text): text
        case .array(let items): items.map(plainText).joined(separator: ", ")
        default: value.serialized()
        }
    }

    /// A time, already an RFC 3339 string in the JSON, as is; `-` for null.
    public static func timeText(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return "-"
    }

    /// A duration in seconds shown as `4m 10s`.
    public static func durationText(_ value: JSONValue) -> String {
        switch value {
        case .integer(let seconds): Human.duration(seconds * 1_000_000)
        case .number(let seconds): Human.duration(Int64(seconds * 1_000_000))
        default: "-"
        }
    }
}
