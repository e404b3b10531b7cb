import ArgumentParser
import PlaintEvents
import PlaintReports
import PlaintSystem

/// The forms a listing can be printed in.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// `--format table|json|csv`, with `--json` kept as a synonym of `--format json`.
struct FormatOptions: ParsableArguments {
    @Option(help: "Output format: table, json or csv (CSV: a header row, RFC 4180 quoting, the JSON field names).")
    var format: OutputFormat?

    @Flag(name: .long, help: "The same as --format json.")
    var json = false

    var chosen: OutputFormat { json ? .json : format ?? .table }

    func validate() throws {
        if json, let format, format != .json {
            throw ValidationError("--json and --format \(format.rawValue) ask for two formats; give one")
        }
    }

    /// Prints `listing` in the chosen format; `header` goes into the JSON document and, for a table
    /// fitted to `width`, `footer` lines follow it.
    func print(
        _ listing: Listing, header: [(String, JSONValue)], rowsKey: String, footer: [String] = [], width: Int?
    ) throws {
        switch chosen {
        case .json: try printLine(reportJSON(listing.json(header, rowsKey: rowsKey)))
        case .csv: try printRaw(listing.csv())
        case .table:
            let table = listing.fitted(width: width)
            try printLine(table.text + footer.map { $0 + "\n" }.joined() + table.footer + ReportStamp.footer)
        }
    }
}

/// `--wide`, for commands that print tables.
struct WidthOptions: ParsableArguments {
    @Flag(name: .long, help: "Print every column of a table, even one wider than the terminal.")
    var wide = false

    /// The width tables are fitted to: the terminal's, unless `--wide`; nil when stdout is not a
    /// terminal, so piped output keeps every column.
    var tableWidth: Int? { wide ? nil : TerminalWidth.columns(of: 1) }
}

/// A JSON report as printed: with `plaint_version` first, so every document names the code that made it.
func reportJSON(_ report: JSONValue) -> String { ReportStamp.stamped(report).serialized() }
