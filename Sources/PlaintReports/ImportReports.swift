import PlaintEvents
import PlaintImport
import PlaintIngest

/// What `plaint import twcs` prints at the end, as text for a person and JSON for a script.
public enum ImportReports {
    /// `{"rows", "events", "events_by_type", "redirects", "skipped", "skipped_by_reason", "append"}`;
    /// `append` is `append --json`'s object, or null with `--emit`.
    public static func json(_ counts: TwcsImportCounts, appended: AppendSummary?) -> JSONValue {
        .object([
            ("rows", .integer(Int64(counts.rows))),
            ("events", .integer(Int64(counts.eventCount))),
            ("events_by_type", .object(eventTypes(counts).map { ($0.rawValue, .integer(Int64(counts.events[$0]!))) })),
            ("redirects", .object(redirectDestinations(counts).map { ($0, .integer(Int64(counts.redirects[$0]!))) })),
            ("skipped", .integer(Int64(counts.skippedCount))),
            ("skipped_by_reason", .object(reasons(counts).map { ($0.rawValue, .integer(Int64(counts.skipped[$0]!))) })),
            ("append", appended.map(Reports.json) ?? .null),
        ])
    }

    public static func text(_ counts: TwcsImportCounts, path: String, appended: AppendSummary?) -> String {
        var lines = [
            "\(path): \(counts.rows) row\(counts.rows == 1 ? "" : "s") read, \(counts.eventCount) became events, "
                + "\(counts.skippedCount) skipped"
        ]
        if counts.eventCount > 0 {
            lines.append(
                "  events: " + eventTypes(counts).map { "\(counts.events[$0]!) \($0.rawValue)" }.joined(separator: ", ")
            )
        }
        if !counts.redirects.isEmpty {
            let total = counts.redirects.values.reduce(0, +)
            let parts = redirectDestinations(counts).map { "\(counts.redirects[$0]!) to \($0)" }
            lines.append("  brand replies read as redirects: \(total) (" + parts.joined(separator: ", ") + ")")
        }
        if let appended { lines.append("  " + Reports.text(appended)) }
        if counts.skippedCount > 0 {
            lines.append("  skipped rows, by reason:")
            let width = String(reasons(counts).map { counts.skipped[$0]! }.max()!).count
            for reason in reasons(counts) {
                let count = String(counts.skipped[reason]!)
                lines.append("    " + String(repeating: " ", count: width - count.count) + count + "  \(reason)")
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func eventTypes(_ counts: TwcsImportCounts) -> [EventType] {
        EventType.allCases.filter { counts.events[$0] != nil }
    }

    private static func redirectDestinations(_ counts: TwcsImportCounts) -> [String] { counts.redirects.keys.sorted() }

    private static func reasons(_ counts: TwcsImportCounts) -> [TwcsSkip] {
        TwcsSkip.allCases.filter { counts.skipped[$0] != nil }
    }
}
