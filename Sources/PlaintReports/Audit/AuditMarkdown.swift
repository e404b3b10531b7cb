import PlaintProjections
import PlaintViews

extension Character {
    fileprivate var isLetterOrDigit: Bool { isLetter || isNumber }
}

extension AuditReports {
    /// The audit as Markdown: readable in a terminal and in a repository.
    public static func markdown(_ audit: AuditData) -> String {
        let document = AuditDocument(audit)
        var text = "# \(escaped(document.title))\n\n\(markdown(document.scope))\n\n"
        for section in document.sections {
            text += "## \(section.number). \(escaped(section.title))\n\n"
            for block in section.blocks {
                let rendered = markdown(block)
                if !rendered.isEmpty { text += rendered + "\n" }
            }
        }
        return text
    }

    static func markdown(_ block: AuditDocument.Block) -> String {
        switch block {
        case .paragraph(let text): return markdown(text) + "\n"
        case .heading(let title): return "### \(escaped(title))\n"
        case .list(let items): return items.map { "- " + markdown($0) + "\n" }.joined()
        case .table(let table): return markdown(table)
        case .chart(let chart): return markdownTables(chart).map(markdown).joined(separator: "\n")
        }
    }

    static func markdown(_ text: AuditDocument.Text) -> String {
        text.spans.map { span in
            switch span.style {
            case .plain: escaped(span.text)
            case .strong: "**\(escaped(span.text))**"
            case .code: "`\(span.text)`"
            }
        }.joined()
    }

    /// A chart as Markdown shows it: the counts behind it, as tables.
    static func markdownTables(_ chart: AuditDocument.Chart) -> [AuditDocument.Table] {
        switch chart {
        case .trend:
            // The trend's table follows the chart in the document itself.
            return []
        case .firstResponseHistogram(let histogram, let unanswered):
            let peak = max(histogram.max() ?? 0, unanswered)
            func bar(_ count: Int) -> String {
                peak == 0 ? "" : String(repeating: "#", count: (count * 40 + peak - 1) / peak)
            }
            return [
                AuditDocument.Table(
                    header: ["from", "to", "requests", ""],
                    rows: histogram.enumerated().map { bucket, count in
                        let last = bucket == BrandAudit.histogramBuckets - 1
                        return [
                            Human.duration(BrandAudit.bucketStart(bucket)),
                            last ? "" : Human.duration(BrandAudit.bucketStart(bucket + 1)), "\(count)", bar(count),
                        ]
                    } + [["no first response", "(ignored, pending)", "\(unanswered)", bar(unanswered)]])
            ]
        case .hourOfWeekRequests(let cells):
            return [weekGrid { "\(cells[$0].requests)" }]
        case .hourOfWeekRates(let cells):
            // Rates of fewer than `weakBelow` decided requests are shown as the counts they are.
            return [
                weekGrid { hour in
                    guard let rate = cells[hour].responseRate else { return "-" }
                    return rate.base < AuditCharts.weakBelow
                        ? "(\(rate.count)/\(rate.base))" : "\(Int((rate.value * 100).rounded()))%"
                }
            ]
        }
    }

    /// Days down, hours across; `cell` gets the hour of the week (Monday 00:00 = 0).
    static func weekGrid(_ cell: (Int) -> String) -> AuditDocument.Table {
        AuditDocument.Table(
            header: ["UTC"] + (0..<24).map { "\($0)" },
            rows: Human.weekdays.enumerated().map { day, name in [name] + (0..<24).map { cell(day * 24 + $0) } },
            numeric: Set(1...24))
    }

    /// Text as Markdown prints it literally: the characters that would start markup, an HTML tag
    /// or an entity get a backslash, so that a customer's `<script>` or `*` stays text when the
    /// report is rendered, and a `|` cannot split a table cell. An underscore inside a word
    /// (`followed_up`) cannot start emphasis and is left as it is, for the terminal's reader.
    static func escaped(_ text: String) -> String {
        let characters = Array(text)
        var result = ""
        for (index, character) in characters.enumerated() {
            if character == "_" {
                let inWord =
                    index > 0 && index < characters.count - 1 && characters[index - 1].isLetterOrDigit
                    && characters[index + 1].isLetterOrDigit
                if !inWord { result.append("\\") }
            } else if "\\`*<>[]|&".contains(character) {
                result.append("\\")
            }
            result.append(character)
        }
        return result
    }

    /// A Markdown table.
    static func markdown(_ table: AuditDocument.Table) -> String {
        func cell(_ text: String) -> String { text.isEmpty ? " " : escaped(text) }
        var text = "| " + table.header.map(cell).joined(separator: " | ") + " |\n"
        text += "|" + table.header.indices.map { table.numeric.contains($0) ? " ---: |" : " --- |" }.joined() + "\n"
        for row in table.rows { text += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
        return text
    }
}
