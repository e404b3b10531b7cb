import ArgumentParser
import PlaintEvents
import PlaintLog
import PlaintProjections
import PlaintReports
import PlaintViews

struct Journey: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A case's timeline and figures, or a customer's cases across brands.",
        discussion: """
            The timeline is in event time (occurred_at, ties by position), whatever order the events arrived in. \
            Figures count the events that occurred by --at. Actors: customer, brand (with the agent when given), \
            or who closed or reopened the case.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: FormatOptions
    @OptionGroup var evaluation: EvaluationOptions

    @Argument(help: "The case id.")
    var caseID: String?

    @Option(name: .long, help: "List this customer's cases across brands, and relationship events.")
    var customer: String?

    @Flag(name: .long, help: "Show the case's state after each event.")
    var steps = false

    @OptionGroup var stale: StaleOptions

    func validate() throws {
        switch (caseID, customer) {
        case (nil, nil): throw ValidationError("give a case id, or --customer C")
        case (_?, _?): throw ValidationError("give either a case id or --customer, not both")
        case (nil, _?) where steps: throw ValidationError("--steps applies to a case, not to --customer")
        default: break
        }
    }

    func run() throws {
        try mapErrors {
            if let customer {
                let log = try storeOptions.open(.read)
                let customer = try resolveName(customer, as: .customer, in: log)
                let journeys = try CustomerJourneys.load(
                    customer, log: log, at: evaluation.atTime, window: evaluation.windowLength)
                switch output.chosen {
                case .json: try printLine(reportJSON(JourneyReports.json(journeys)))
                case .csv: try printRaw(FlatCSV.listing(JourneyReports.caseObjects(journeys)).csv())
                case .table: try printLine(String(JourneyReports.text(journeys).dropLast()))
                }
            } else if let caseID {
                try Self.showCase(
                    caseID, storePath: storeOptions.path, views: storeOptions.views, at: evaluation.atTime,
                    window: evaluation.windowLength, staleAfter: stale.staleAfterLength, format: output.chosen,
                    steps: steps)
            }
        }
    }

    static func showCase(
        _ caseID: String, storePath: String, views: String? = nil, at: Int64?, window: Int64,
        staleAfter: Int64 = ResponsivenessQuery.defaultStaleAfter, format: OutputFormat, steps: Bool
    ) throws {
        let log = try openStore(at: storePath, .read, views: views)
        let caseID = try resolveName(caseID, as: .case, in: log)
        let detail = try JourneyDetail.load(caseID, log: log, at: at, window: window, staleAfter: staleAfter)
        switch format {
        case .json: try printLine(reportJSON(JourneyReports.json(detail, steps: steps)))
        case .csv: try printRaw(FlatCSV.listing(JourneyReports.timelineObjects(detail, steps: steps)).csv())
        case .table: try printLine(String(JourneyReports.text(detail, steps: steps).dropLast()))
        }
    }
}
