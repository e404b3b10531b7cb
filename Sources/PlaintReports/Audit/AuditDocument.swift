import PlaintProjections

/// The audit's text and tables, independent of format: built once from `AuditData` and printed
/// by the Markdown and the HTML renderers, so both say exactly the same things. Charts carry
/// their data; each renderer draws them its own way (tables of counts in Markdown, SVG in HTML).
struct AuditDocument {
    var title: String
    var scope: Text
    var sections: [Section]

    struct Section {
        var number: Int
        var title: String
        var blocks: [Block]
    }

    enum Block {
        case paragraph(Text)
        case heading(String)
        case list([Text])
        case table(Table)
        case chart(Chart)
    }

    enum Chart {
        case trend(period: PeriodLength, periods: [(start: Int64, figures: ResponsivenessFigures)])
        /// The answered requests' bins, and the requests without a first response.
        case firstResponseHistogram([Int], unanswered: Int)
        /// Requests filed per hour of the week.
        case hourOfWeekRequests([RequestTally])
        /// Response rate within H per hour of the week.
        case hourOfWeekRates([RequestTally])
    }

    struct Table {
        var header: [String]
        var rows: [[String]]
        /// Columns holding numbers, right-aligned.
        var numeric: Set<Int> = []
    }

    /// Running text with the little markup both formats share.
    struct Text: ExpressibleByStringInterpolation {
        var spans: [Span]

        enum Style { case plain, strong, code }

        struct Span {
            var text: String
            var style: Style
        }

        init(_ spans: [Span]) { self.spans = spans }
        init(stringLiteral text: String) { spans = [Span(text: text, style: .plain)] }
        init(_ text: String) { spans = [Span(text: text, style: .plain)] }

        static func strong(_ text: String) -> Text { Text([Span(text: text, style: .strong)]) }
        static func code(_ text: String) -> Text { Text([Span(text: text, style: .code)]) }
        static func + (lhs: Text, rhs: Text) -> Text { Text(lhs.spans + rhs.spans) }
        static func + (lhs: Text, rhs: String) -> Text { lhs + Text(rhs) }
        static func + (lhs: String, rhs: Text) -> Text { Text(lhs) + rhs }
    }
}
