import ArgumentParser
import PlaintEvents
import PlaintLog
import PlaintProjections
import PlaintReports
import PlaintSystem
import PlaintViews

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A brand's handling history: headline figures against the yardsticks, trend, first-response "
            + "times, hours of the week, channels, worst cases, unconsented vendor actions, loyalty, anomalies, "
            + "integrity.",
        discussion: """
            Every figure is computed once and printed in the chosen format; the same store and the same --at give \
            the same bytes. Requests are judged as by `plaint responsiveness` (the headline figures equal its), \
            loyalty as by `plaint loyalty --brand` with the default model.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var evaluation: EvaluationOptions

    @Argument(help: "The brand.")
    var brand: String

    @OptionGroup var filing: FilingOptions
    @OptionGroup var quality: FigureQualityOptions

    @Option(
        name: .long,
        help:
            "markdown (default), html, json, or csv (one row: the query and the headline figures, as the JSON names them)."
    )
    var format = "markdown"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "chain (default): recompute the hash chain up to the report's head; full: also run `plaint verify`'s "
                + "checks of events, indexes and views. A failed check is reported and the command exits 74.",
            valueName: "check"))
    var verify = "chain"

    @Option(name: .long, help: ArgumentHelp("Write the report to this file (whole or not at all).", valueName: "file"))
    var output: String?

    func validate() throws {
        guard ["markdown", "html", "json", "csv"].contains(format) else {
            throw ValidationError("--format \"\(format)\" is not a format: use markdown, html, json or csv")
        }
        guard ["chain", "full"].contains(verify) else {
            throw ValidationError("--verify \"\(verify)\" is not a check: use chain or full")
        }
    }

    func run() throws {
        // A full check folds the log on two threads, like replay.
        if verify == "full" { AllocatorArenas.useOnePerThread() }
        try mapErrors {
            if let output { try OutputPath.check(output, stores: try storeOptions.protectedDirectories()) }
            let log = try storeOptions.open(.read)
            let (filedFrom, filedTo) = try filing.bounds()
            let brand = try resolveName(brand, as: .brand, in: log)
            let line = ProgressLine()
            let fullCheck =
                verify == "full"
                ? try AuditView.fullCheck(log) { step, done, total in
                    if step != line.phaseName { line.begin(step) }
                    line.show(Int64(done), of: Int64(total), .events)
                } : nil
            line.clear()
            var audit = try AuditView.load(brand, log: log, at: evaluation.atTime) { query in
                query.window = evaluation.windowLength
                query.filedFrom = filedFrom
                query.filedTo = filedTo
                quality.apply(to: &query)
            }
            audit.fullCheck = fullCheck
            // Control characters escaped in every format: HTML stays well-formed XML, Markdown and
            // a terminal safe, and JSON keeps its meaning (the escapes are JSON's own).
            let report =
                switch format {
                case "json": reportJSON(AuditReports.json(audit)) + "\n"
                case "csv": AuditReports.csv(audit)
                case "html": AuditReports.html(audit)
                default: AuditReports.markdown(audit)
                }
            // CSV escapes inside its fields already, and its line ends are CRLF.
            let text = format == "csv" ? report : VisibleText.escapingControls(report)
            if let output {
                try AtomicFile.write(text, to: output)
            } else if format == "csv" {
                try printRaw(text)
            } else {
                try printLine(String(text.dropLast()))
            }
            // The report is whole and says what failed; the exit status tells scripts.
            if !audit.isIntact { throw ExitCode(ExitStatus.io) }
        }
    }
}
