import ArgumentParser
import PlaintEvents
import PlaintLog
import PlaintProjections
import PlaintReports
import PlaintViews

extension CaseOrder: ExpressibleByArgument {}
extension RequestStatus: ExpressibleByArgument {}
extension JourneyState: ExpressibleByArgument {}
extension Channel: ExpressibleByArgument {}

struct Cases: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List cases with their request, state and outcome: the cases behind a figure.",
        discussion: """
            Each case as of --at: the request's channel and filing time, the state, the outcome (answered within \
            the window, late, pending, ignored), the first response time and kind, and for an open case how long \
            since filing. Repeat --brand, --channel, --state or --outcome to accept several values. --from/--to \
            bound the filing time. Ordered by filing time, or --sort frt (longest first response first) or \
            --sort age (open cases waiting longest first); ties by case id.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var format: FormatOptions
    @OptionGroup var width: WidthOptions
    @OptionGroup var evaluation: EvaluationOptions
    @OptionGroup var filing: FilingOptions

    @Option(help: "Only this brand's cases (repeatable).")
    var brand: [String] = []

    @Option(help: "Only this customer's cases.")
    var customer: String?

    @Option(help: "Only requests made on this channel (repeatable).")
    var channel: [Channel] = []

    @Option(help: "Only cases in this state (repeatable).")
    var state: [JourneyState] = []

    @Option(help: "Only requests with this outcome: answered, late, ignored, pending (repeatable).")
    var outcome: [RequestStatus] = []

    @Option(help: "Order: by filing time, longest first response first, or open cases waiting longest first.")
    var sort: CaseOrder = .filed

    @Option(help: ArgumentHelp("Print at most this many cases.", valueName: "n"))
    var limit: Int?

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
    }

    func run() throws {
        try mapErrors {
            let log = try storeOptions.open(.read)
            var filter = CaseFilter()
            filter.brands = try brand.map { try resolveName($0, as: .brand, in: log) }
            filter.customer = try resolveNameIfGiven(customer, as: .customer, in: log)
            filter.channels = channel
            filter.states = state
            filter.outcomes = outcome
            (filter.filedFrom, filter.filedTo) = try filing.bounds()
            filter.at = evaluation.atTime
            filter.window = evaluation.windowLength
            filter.order = sort
            filter.limit = limit
            let (at, matched, cases) = try CaseListing.load(log, filter)
            let shown =
                cases.count < matched
                ? "\(cases.count) of \(matched) cases" : "\(matched) case\(matched == 1 ? "" : "s")"
            try format.print(
                ListingReports.cases(cases),
                header: [
                    ("plaint_version", .string(PlaintVersion.current)), ("at", .string(Human.time(at))),
                    (
                        "window_seconds",
                        filter.window % 1_000_000 == 0
                            ? .integer(filter.window / 1_000_000) : .number(Double(filter.window) / 1_000_000)
                    ),
                    ("matched", .integer(Int64(matched))),
                ],
                rowsKey: "cases",
                footer: ["\(shown); as of \(Human.time(at)), window \(Human.window(filter.window))"],
                width: width.tableWidth)
        }
    }
}
