import ArgumentParser
import PlaintEvents
import PlaintLog
import PlaintProjections
import PlaintReports
import PlaintViews

struct Responsiveness: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rank brands by response rate within the window, with every figure and its uncertainty.",
        discussion: """
            Requests are cases, judged by their earliest customer message; the first response is the earliest \
            brand reply that is not automatic. Figures use event time (occurred_at) as of --at: a request with no \
            response is pending while younger than the window, ignored once older. Cohorts (--from/--to, --by) \
            are by filing time, in UTC; --to with a date includes that whole day. Percentiles are exact \
            nearest-rank. Every rate has a 95% Wilson score interval and every percentile a distribution-free 95% \
            interval from order statistics (in --json). Brands with fewer than --min-requests decided requests are \
            listed unranked. A figure the brand's data cannot give (resolutions where no case.resolved is recorded) \
            is "not recorded", never 0%. --json reports durations in seconds and shares as fractions.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: FormatOptions
    @OptionGroup var width: WidthOptions
    @OptionGroup var evaluation: EvaluationOptions

    @Option(name: .long, help: "Only this brand, ranked among all (repeatable).")
    var brand: [String] = []

    @Option(
        name: .long,
        help: "Only requests filed on this channel (\(Channel.allCases.map(\.rawValue).joined(separator: ", "))).")
    var channel: String?

    @Option(name: .long, help: "Also break each brand down by filing day, week (from Monday) or month.")
    var by: String?

    @OptionGroup var filing: FilingOptions
    @OptionGroup var quality: FigureQualityOptions

    func validate() throws {
        if let channel, Channel(rawValue: channel) == nil {
            throw ValidationError(
                "--channel \"\(channel)\" is not a channel: use one of \(Channel.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        if let by, PeriodLength(rawValue: by) == nil {
            throw ValidationError("--by \"\(by)\" is not a period: use day, week or month")
        }
    }

    func run() throws {
        try mapErrors {
            let log = try storeOptions.open(.read)
            let (filedFrom, filedTo) = try filing.bounds()
            let selected = try brand.map { try resolveName($0, as: .brand, in: log) }
            let (query, brands) = try ResponsivenessView.ranking(log, brands: selected, at: evaluation.atTime) {
                query in
                query.window = evaluation.windowLength
                query.channel = channel.flatMap(Channel.init(rawValue:))
                query.period = by.flatMap(PeriodLength.init(rawValue:))
                query.filedFrom = filedFrom
                query.filedTo = filedTo
                quality.apply(to: &query)
            }
            switch output.chosen {
            case .json: try printLine(reportJSON(ResponsivenessReports.json(query, brands)))
            case .csv: try printRaw(FlatCSV.listing(ResponsivenessReports.brandObjects(query, brands)).csv())
            case .table:
                try printLine(ResponsivenessReports.text(query, brands, width: width.tableWidth) + ReportStamp.footer)
            }
        }
    }
}
