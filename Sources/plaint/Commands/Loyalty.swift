import ArgumentParser
import Glibc
import PlaintEvents
import PlaintLog
import PlaintProjections
import PlaintReports
import PlaintSystem
import PlaintViews

struct Loyalty: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Customer-to-brand loyalty L, brand-to-customer devotion B, and the gap, each explainable.",
        discussion: """
            L = clip(50 + sum of contributions decayed with a 180-day half-life, 0, 100), from the model's rules \
            (README, "Loyalty, both ways"); B = 100 x (0.4 rr + 0.3 speed + 0.3 kept) plus decayed penalties for unconsented adverse \
            service changes. Both are evaluated as of --at (default: the latest occurred_at) with the model's \
            weights: the default model ships as models/loyalty-default.json (--show-model prints the one in \
            force); --model FILE replaces it for this query, with no replay. Scores have two decimals and every \
            contribution is rounded to hundredths first, so --explain's contributions add up to the score exactly.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: FormatOptions
    @OptionGroup var width: WidthOptions

    @Option(name: .long, help: "This customer: one brand with --brand, else every brand they deal with.")
    var customer: String?

    @Option(name: .long, help: "This brand: with --customer one relationship, alone a summary of its customers.")
    var brand: String?

    @Flag(name: .long, help: "List the contributions, largest first, with event id, time, reason and value.")
    var explain = false

    @Flag(
        name: .long,
        help: "With --brand alone: list every relationship (L, B, gap and the counts behind them) after the summary.")
    var all = false

    @Option(name: .long, help: ArgumentHelp("A model file (JSON) to use instead of the default.", valueName: "file"))
    var model: String?

    @Flag(name: .long, help: "Print the model in force as a model file and exit.")
    var showModel = false

    @OptionGroup var moment: AtOption

    func validate() throws {
        if showModel { return }
        if customer == nil, brand == nil { throw ValidationError("give --customer C, --brand B, or both") }
        if explain, customer == nil {
            throw ValidationError("--explain needs --customer (a brand summary lists no contributions)")
        }
        if all, customer != nil {
            throw ValidationError("--all lists a brand's relationships: give --brand without --customer")
        }
    }

    func run() throws {
        try mapErrors {
            let loyaltyModel = try loadModel()
            if showModel {
                try printLine(String(loyaltyModel.json.dropLast()))
                return
            }
            let modelName = model ?? "default"
            let log = try storeOptions.open(.read)
            let atTime = moment.atTime
            let customer = try resolveNameIfGiven(customer, as: .customer, in: log)
            let brand = try resolveNameIfGiven(brand, as: .brand, in: log)
            if let customer {
                let result = try LoyaltyView.customer(
                    customer, brand: brand, log: log, model: loyaltyModel, at: atTime)
                switch output.chosen {
                case .json:
                    try printLine(reportJSON(LoyaltyReports.json(result, model: modelName, explain: explain)))
                case .csv:
                    try printRaw(
                        explain
                            ? FlatCSV.listing(LoyaltyReports.contributionObjects(result)).csv()
                            : LoyaltyReports.relationshipListing(result).csv())
                case .table:
                    try printLine(LoyaltyReports.text(result, model: modelName, explain: explain) + ReportStamp.footer)
                }
            } else if let brand {
                let result = try LoyaltyView.brand(brand, log: log, model: loyaltyModel, at: atTime)
                switch output.chosen {
                case .json: try printLine(reportJSON(LoyaltyReports.json(result, model: modelName, all: all)))
                case .csv:
                    try printRaw(
                        all
                            ? LoyaltyReports.scoreListing(result.summary.all).csv()
                            : LoyaltyReports.distributionListing(result.summary).csv())
                case .table:
                    let text = LoyaltyReports.text(result, model: modelName, width: width.tableWidth, all: all)
                    try printLine(text + "\n" + ReportStamp.footer)
                }
            }
        }
    }

    /// The default model, or the one in `--model`; a bad file is invalid input (exit 65).
    func loadModel() throws -> LoyaltyModel {
        guard let model else { return .standard }
        let bytes = try WholeFile.read(model)
        do {
            return try LoyaltyModel(json: bytes)
        } catch {
            throw ModelFileError(path: model, problem: error)
        }
    }
}
