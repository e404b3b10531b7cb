import PlaintEvents
import PlaintIngest
import PlaintLog
import PlaintViews

/// The JSON documents and human lines of the log commands, in one place so tests and the CLI
/// agree on names.
public enum Reports {
    public static func json(_ summary: AppendSummary) -> JSONValue {
        .object([
            ("appended", .integer(Int64(summary.appended))),
            ("duplicates", .integer(Int64(summary.duplicates))),
            ("rejected", .integer(Int64(summary.rejected))),
            ("first_position", .optional(summary.firstPosition)),
            ("last_position", .optional(summary.lastPosition)),
        ])
    }

    public static func text(_ summary: AppendSummary) -> String {
        var text = "appended \(summary.appended) event\(summary.appended == 1 ? "" : "s")"
        if let first = summary.firstPosition, let last = summary.lastPosition {
            text += first == last ? " (position \(first))" : " (positions \(first)-\(last))"
        }
        text += ", \(summary.duplicates) duplicate\(summary.duplicates == 1 ? "" : "s")"
        text += ", \(summary.rejected) rejected"
        return text
    }

    public static func json(_ head: LogHead) -> JSONValue {
        .object([("position", .integer(Int64(head.position))), ("hash", .string(head.hashHex))])
    }

    /// How far `verify` compared the stored views with a replay, and what it found.
    public struct ViewCheck: Sendable {
        public var position: UInt64
        public var differingRows: Int
        /// The views' layout when it is another version's (`JourneyViews.outdatedLayout`).
        public var outdatedLayout: Int?

        public init(position: UInt64, differingRows: Int, outdatedLayout: Int?) {
            self.position = position
            self.differingRows = differingRows
            self.outdatedLayout = outdatedLayout
        }

        public var isSound: Bool { differingRows == 0 }
    }

    /// The log's check alone: the chain and the indexes.
    public static func json(_ report: VerificationReport) -> JSONValue {
        .object([
            ("ok", .bool(report.isIntact)),
            ("verified_through", .integer(Int64(report.verifiedThrough))),
            ("position", .integer(Int64(report.head.position))),
            ("hash", .string(report.head.hashHex)),
            ("first_bad_position", .optional(report.problem?.position)),
            ("problem", report.problem.map { .string($0.reason) } ?? .null),
        ])
    }

    /// `verify --json`: the log's check, then the views'; "ok" answers for both, as the exit
    /// status does.
    public static func json(_ report: VerificationReport, views: ViewCheck?) -> JSONValue {
        guard case .object(let members) = json(report) else { return json(report) }
        return .object(
            members.map { $0.0 == "ok" ? ("ok", .bool(report.isIntact && views?.isSound != false)) : $0 } + [
                ("views_checked_through", .optional(views?.position)),
                ("views_differing_rows", .optional(views?.differingRows)),
            ])
    }

    /// `verify`'s lines: the chain's verdict, then the views'.
    public static func text(_ report: VerificationReport, views: ViewCheck?) -> String {
        if let problem = report.problem {
            // A damaged page found by the walk after the chain verified has no position before it.
            let before =
                problem.position == 0 ? report.verifiedThrough : min(report.verifiedThrough, problem.position - 1)
            return "FAILED at position \(problem.position): \(problem.reason)\n"
                + (before > 0 ? "positions 1-\(before) verified before it" : "no position verified before it")
        }
        var lines = ["ok: verified positions 1-\(report.verifiedThrough); head hash \(report.head.hashHex)"]
        if let views {
            if views.isSound {
                lines.append("ok: the projection views equal a replay of positions 1-\(views.position)")
            } else if let layout = views.outdatedLayout {
                lines.append(
                    "FAILED: the projection views have layout \(layout), from another version of plaint "
                        + "(this one reads layout \(ViewInfo.format)); run `plaint replay` to rebuild them")
            } else {
                lines.append(
                    "FAILED: \(views.differingRows) rows of the projection views differ from a replay of "
                        + "positions 1-\(views.position); run `plaint replay` to rebuild them")
            }
        }
        return lines.joined(separator: "\n")
    }

    public static func json(_ stats: StoreStatistics) -> JSONValue {
        .object([
            ("format_version", .integer(Int64(stats.formatVersion))),
            ("created_at", stats.createdAt.map { .string($0.formatted(fractionDigits: 6)) } ?? .null),
            ("events", .integer(Int64(stats.events))),
            ("position", .integer(Int64(stats.head.position))),
            ("hash", .string(stats.head.hashHex)),
            ("first_recorded_at", stats.firstRecordedAt.map { .string($0.formatted(fractionDigits: 6)) } ?? .null),
            ("last_recorded_at", stats.lastRecordedAt.map { .string($0.formatted(fractionDigits: 6)) } ?? .null),
            ("cases", .integer(Int64(stats.cases))),
            ("customers", .integer(Int64(stats.customers))),
            ("brands", .integer(Int64(stats.brands))),
            (
                "events_by_type",
                .object(
                    EventType.allCases.compactMap { type in
                        stats.eventsByType[type.rawValue].map { (type.rawValue, .integer(Int64($0))) }
                    })
            ),
            ("file_bytes", .integer(Int64(stats.fileBytes))),
            ("used_bytes", .integer(Int64(stats.usedBytes))),
            ("map_bytes", .integer(Int64(stats.mapBytes))),
            ("page_size", .integer(Int64(stats.pageSize))),
            (
                "bytes_per_event",
                stats.events == 0
                    ? .null : .number((Double(stats.usedBytes) / Double(stats.events) * 10).rounded() / 10)
            ),
        ])
    }

    public static func text(_ stats: StoreStatistics) -> String {
        func row(_ name: String, _ value: String) -> String {
            name + String(repeating: " ", count: max(1, 24 - name.count)) + value + "\n"
        }
        var text = ""
        text += row("format version", "\(stats.formatVersion)")
        text += row("created at", stats.createdAt?.formatted(fractionDigits: 6) ?? "-")
        text += row("events", "\(stats.events)")
        text += row("head", "\(stats.head.position) \(stats.head.hashHex)")
        text += row(
            "recorded", "\(stats.firstRecordedAt?.description ?? "-") .. \(stats.lastRecordedAt?.description ?? "-")")
        text += row("cases", "\(stats.cases)")
        text += row("customers", "\(stats.customers)")
        text += row("brands", "\(stats.brands)")
        for type in EventType.allCases {
            if let count = stats.eventsByType[type.rawValue] { text += row("  " + type.rawValue, "\(count)") }
        }
        text += row("data file", "\(stats.fileBytes) bytes")
        text += row("in use", "\(stats.usedBytes) bytes (page size \(stats.pageSize))")
        if stats.events > 0 { text += row("per event", "\(stats.usedBytes / Int(stats.events)) bytes") }
        text += row("memory map", "\(stats.mapBytes) bytes")
        return text
    }
}
