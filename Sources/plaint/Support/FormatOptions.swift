import ArgumentParser
import PlaintEvents
import PlaintReports

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

    /// Prints `listing` in the chosen format; `header` goes into the JSON document and, for a table,
    /// `footer` lines follow it.
    func print(_ listing: Listing, header: [(String, JSONValue)], rowsKey: String, footer: [String] = []) throws {
        switch chosen {
        case .json: try printLine(listing.json(header, rowsKey: rowsKey).serialized())
        case .csv: try printRaw(listing.csv())
        case .table: try printLine(String((listing.table() + footer.map { $0 + "\n" }.joined()).dropLast()))
        }
    }
}
