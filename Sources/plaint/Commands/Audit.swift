import ArgumentParser
import PlaintKit

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

    @Option(name: .long, help: "markdown (default) or json.")
    var format = "markdown"

    @Option(name: .long, help: ArgumentHelp("Write the report to this file (whole or not at all).", valueName: "file"))
    var output: String?

    func validate() throws {
        guard ["markdown", "json"].contains(format) else {
            throw ValidationError("--format \"\(format)\" is not a format: use markdown or json")
        }
    }

    func run() throws {
        try mapErrors {
            let log = try storeOptions.open(.read)
            let (filedFrom, filedTo) = try filing.bounds()
            let audit = try AuditView.load(brand, log: log, at: evaluation.atTime) { query in
                query.window = evaluation.windowLength
                query.filedFrom = filedFrom
                query.filedTo = filedTo
            }
            let text = format == "json" ? AuditReports.json(audit).serialized() + "\n" : AuditReports.markdown(audit)
            if let output {
                try AtomicFile.write(text, to: output)
            } else {
                printLine(String(text.dropLast()))
            }
        }
    }
}
