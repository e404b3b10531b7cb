import ArgumentParser
import PlaintEvents
import PlaintProjections

/// `--at`, for every command that evaluates the log as of a moment.
struct AtOption: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Evaluate as of this time: RFC 3339 or YYYY-MM-DD (UTC midnight). Default: the latest occurred_at.",
            valueName: "time"))
    var at: String?

    var atTime: Int64? { at.flatMap { Timestamp(dateOrTime: $0)?.microseconds } }

    func validate() throws {
        if let at, Timestamp(dateOrTime: at) == nil {
            throw ValidationError("--at \"\(at)\" is not a time: use RFC 3339 (2017-10-31T22:10:47Z) or YYYY-MM-DD")
        }
    }
}

/// `--at` and `--window`, shared by the commands that judge requests at a moment.
struct EvaluationOptions: ParsableArguments {
    @OptionGroup var moment: AtOption

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The window H after which an unanswered request counts as ignored: hours, or a number with s, m, h "
                + "or d (default 72h).", valueName: "H"))
    var window: String?

    var atTime: Int64? { moment.atTime }

    var windowLength: Int64 {
        window.flatMap(Self.parseWindow) ?? ResponsivenessQuery.defaultWindow
    }

    func validate() throws {
        try Self.validateDuration(window, option: "--window", examples: "(72) or a number with s, m, h or d (90m, 15d)")
    }

    /// Refuses a duration option that `parseWindow` cannot read, naming the option.
    static func validateDuration(_ text: String?, option: String, examples: String) throws {
        if let text, parseWindow(text) == nil {
            throw ValidationError("\(option) \"\(text)\" is not a positive duration: use hours \(examples)")
        }
    }

    /// Microseconds of `72`, `72h`, `90m`, `15d`, `30s`; nil unless positive.
    static func parseWindow(_ text: String) -> Int64? {
        var digits = Substring(text)
        var unit: Int64 = 3600
        if let last = digits.last, last.isLetter {
            switch last {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86_400
            default: return nil
            }
            digits = digits.dropLast()
        }
        guard let value = Double(digits), value.isFinite, value > 0, value * Double(unit) < 3e9 else { return nil }
        return Int64((value * Double(unit) * 1_000_000).rounded())
    }
}

/// Parses a `--from`/`--to` bound. A date-only `--to` covers that whole day.
func filingBound(_ text: String?, option: String, endOfDay: Bool) throws -> Int64? {
    guard let text else { return nil }
    guard let time = Timestamp(dateOrTime: text) else {
        throw ValidationError("\(option) \"\(text)\" is not a date or time: use YYYY-MM-DD or RFC 3339")
    }
    if endOfDay, text.utf8.count == 10 { return time.microseconds + Timestamp.microsecondsPerDay - 1 }
    return time.microseconds
}

/// `--from` and `--to`: bounds on the filing time of the requests a command counts.
struct FilingOptions: ParsableArguments {
    @Option(name: .long, help: "Only requests filed at or after this date or time.")
    var from: String?

    @Option(name: .long, help: "Only requests filed at or before this date (the whole day) or time.")
    var to: String?

    /// (from, to) in microseconds; a date-only `--to` covers that whole day.
    func bounds() throws -> (from: Int64?, to: Int64?) {
        (
            try filingBound(from, option: "--from", endOfDay: false),
            try filingBound(to, option: "--to", endOfDay: true)
        )
    }

    func validate() throws {
        let (lower, upper) = try bounds()
        if let lower, let upper, lower > upper { throw ValidationError("--from is after --to") }
    }
}
