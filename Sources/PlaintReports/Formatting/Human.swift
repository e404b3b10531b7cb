import PlaintEvents
import PlaintProjections

/// Human forms of durations, shares and times, for the tables of the query commands.
public enum Human {
    /// `45s`, `4m 10s`, `3h 05m`, `2d 4h`; durations in microseconds.
    public static func duration(_ microseconds: Int64?) -> String {
        guard let microseconds else { return "-" }
        let seconds = microseconds / 1_000_000
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m \(pad(seconds % 60))s" }
        if seconds < 86_400 { return "\(seconds / 3600)h \(pad(seconds / 60 % 60))m" }
        return "\(seconds / 86_400)d \(seconds / 3600 % 24)h"
    }

    /// The time left of some work, as `duration` writes it, rounded up: `12s`, `4m 05s`, or
    /// `<1s`, never 0 while work remains.
    public static func timeLeft(seconds: Double) -> String {
        seconds < 1 ? "<1s" : duration(Int64(seconds.rounded(.up)) * 1_000_000)
    }

    /// `96.9%`, or `-` when undefined.
    public static func share(_ value: Double?) -> String {
        guard let value else { return "-" }
        let tenths = Int((value * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// `98.0% (93.1-99.5)`: the share and its 95% interval; `-` for an empty base, and
    /// `notRecorded` for a figure the brand's data cannot give.
    public static func rate(_ rate: Rate?, recorded: Bool = true, notRecorded: String = "not recorded") -> String {
        guard recorded else { return notRecorded }
        guard let rate else { return "-" }
        return "\(share(rate.value)) (\(percentNumber(rate.interval.low))-\(percentNumber(rate.interval.high)))"
    }

    /// `93.1`: a fraction in percent, to one decimal, without the sign.
    static func percentNumber(_ value: Double) -> String {
        let tenths = Int((value * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// `2h 05m (1h 10m-3h 20m)`: a percentile and its 95% interval, `…` for an end the sample
    /// is too small to give.
    public static func percentile(
        _ percentile: Percentile?, recorded: Bool = true, notRecorded: String = "not recorded"
    )
        -> String
    {
        guard recorded else { return notRecorded }
        guard let percentile else { return "-" }
        let low = percentile.low.map { duration($0) } ?? "…"
        let high = percentile.high.map { duration($0) } ?? "…"
        return "\(duration(percentile.value)) (\(low)-\(high))"
    }

    /// `2024-01-08`: the UTC date of a time.
    public static func date(_ microseconds: Int64) -> String {
        let date = Timestamp(microseconds: microseconds).civilDate
        return "\(date.year)-\(pad(Int64(date.month)))-\(pad(Int64(date.day)))"
    }

    public static func time(_ microseconds: Int64) -> String { Timestamp(microseconds: microseconds).description }

    /// The window as the user would write it: `72h`, `90m`, `45s`.
    public static func window(_ microseconds: Int64) -> String {
        let seconds = microseconds / 1_000_000
        if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }

    /// Day names in `Timestamp.hourOfWeek` order (Monday first).
    public static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    private static func pad(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Left-aligned columns separated by two spaces; `rightAligned` columns are padded on the left.
    public static func table(_ rows: [[String]], rightAligned: Set<Int> = []) -> String {
        guard let width = rows.map(\.count).max() else { return "" }
        var widths = Array(repeating: 0, count: width)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        var text = ""
        for row in rows {
            var line = ""
            for (index, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                if index > 0 { line += "  " }
                line += rightAligned.contains(index) ? padding + cell : cell + padding
            }
            while line.hasSuffix(" ") { line.removeLast() }
            text += line + "\n"
        }
        return text
    }
}

/// Seconds for JSON: durations are reported in seconds (fractional when the events had
/// sub-second times).
func seconds(_ microseconds: Int64?) -> JSONValue {
    guard let microseconds else { return .null }
    if microseconds % 1_000_000 == 0 { return .integer(microseconds / 1_000_000) }
    return .number(Double(microseconds) / 1_000_000)
}

func fraction(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }

func fraction(_ rate: Rate?) -> JSONValue { fraction(rate?.value) }

/// A rate's 95% interval as `[low, high]` fractions; null for an empty base.
func interval(_ rate: Rate?) -> JSONValue {
    rate.map { .array([.number($0.interval.low), .number($0.interval.high)]) } ?? .null
}

func seconds(_ percentile: Percentile?) -> JSONValue { seconds(percentile?.value) }

/// A percentile's 95% interval as `[low, high]` seconds, an end null when the sample is too
/// small to give it; null when there is no value.
func interval(_ percentile: Percentile?) -> JSONValue {
    percentile.map { .array([seconds($0.low), seconds($0.high)]) } ?? .null
}
