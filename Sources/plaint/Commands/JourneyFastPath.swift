import PlaintEvents
import PlaintProjections

/// `plaint journey CASE` without swift-argument-parser, for the common well-formed forms.
///
/// Scripts call `journey` once per case, so its start-up time matters: building the
/// argument parser's command tree costs several milliseconds of runtime type lookups, more
/// than the query itself. Anything this does not recognise (help, --customer, a value that does
/// not parse, an unknown option) goes to the full parser, which then reports errors as usual.
struct JourneyFastPath {
    var caseID: String
    var store: String?
    var json = false
    var steps = false
    var at: Int64?
    var window = ResponsivenessQuery.defaultWindow

    init?(_ arguments: [String]) {
        guard arguments.count >= 2, arguments[1] == "journey" else { return nil }
        var caseID: String?
        var index = 2
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--json": json = true
            case "--steps": steps = true
            case "--store", "--at", "--window":
                guard index + 1 < arguments.count else { return nil }
                let value = arguments[index + 1]
                index += 1
                switch argument {
                case "--store": store = value
                case "--at":
                    guard let time = Timestamp(dateOrTime: value) else { return nil }
                    at = time.microseconds
                default:
                    guard let length = EvaluationOptions.parseWindow(value) else { return nil }
                    window = length
                }
            default:
                guard !argument.hasPrefix("-"), caseID == nil else { return nil }
                caseID = argument
            }
            index += 1
        }
        guard let caseID else { return nil }
        self.caseID = caseID
    }

    func run() throws {
        try Journey.showCase(caseID, storePath: storePath(store), at: at, window: window, json: json, steps: steps)
    }
}
