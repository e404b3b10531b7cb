import PlaintEvents
import PlaintIngest
import PlaintProjections

/// The forms scripts run once per event or per case, parsed without swift-argument-parser:
/// `append [--store S] [--no-sync] [--json] [FILE|-]`, `head [--store S] [--json]` and
/// `journey CASE [--store S] [--json] [--steps] [--at T] [--window W]`.
///
/// Scripts pay a command's start-up once per call. Building the argument parser's command tree
/// looks up protocol conformances at run time, which costs a few milliseconds in a binary that
/// links Foundation: more than appending one event. Anything these forms do not cover (help,
/// another option, a value that does not parse, an option given twice) goes to the full parser,
/// which reports errors as usual; the command's own code runs either way.
enum FastPath {
    /// Runs `arguments` if they are one of the forms; false when the full parser must.
    static func run(_ arguments: [String]) throws -> Bool {
        guard arguments.count >= 2 else { return false }
        let rest = Array(arguments.dropFirst(2))
        switch arguments[1] {
        case "append":
            guard let parsed = SimpleArguments(rest, flags: ["--no-sync", "--json"], options: ["--store"]),
                parsed.positionals.count <= 1
            else { return false }
            let request = AppendRequest(inputs: parsed.positionals, sync: !parsed.has("--no-sync"))
            try Append.perform(request, storePath: storePath(parsed.options["--store"]), json: parsed.has("--json"))
        case "head":
            guard let parsed = SimpleArguments(rest, flags: ["--json"], options: ["--store"]),
                parsed.positionals.isEmpty
            else { return false }
            try Head.show(storePath: storePath(parsed.options["--store"]), json: parsed.has("--json"))
        case "journey":
            guard
                let parsed = SimpleArguments(
                    rest, flags: ["--json", "--steps"], options: ["--store", "--at", "--window"]),
                parsed.positionals.count == 1
            else { return false }
            var at: Int64?
            if let text = parsed.options["--at"] {
                guard let time = Timestamp(dateOrTime: text) else { return false }
                at = time.microseconds
            }
            var window = ResponsivenessQuery.defaultWindow
            if let text = parsed.options["--window"] {
                guard let length = EvaluationOptions.parseWindow(text) else { return false }
                window = length
            }
            try Journey.showCase(
                parsed.positionals[0], storePath: storePath(parsed.options["--store"]), at: at, window: window,
                format: parsed.has("--json") ? .json : .table, steps: parsed.has("--steps"))
        default:
            return false
        }
        return true
    }
}

/// Flags, options with a value, and positional arguments; nil for anything else that starts
/// with `-` (other than `-` itself, standard input), a flag or option given twice, or an
/// option without its value.
private struct SimpleArguments {
    private(set) var flags: Set<String> = []
    private(set) var options: [String: String] = [:]
    private(set) var positionals: [String] = []

    init?(_ arguments: [String], flags knownFlags: Set<String>, options knownOptions: Set<String>) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if knownFlags.contains(argument) {
                guard flags.insert(argument).inserted else { return nil }
            } else if knownOptions.contains(argument) {
                guard index + 1 < arguments.count, options[argument] == nil else { return nil }
                options[argument] = arguments[index + 1]
                index += 1
            } else if argument.hasPrefix("-"), argument != "-" {
                return nil
            } else {
                positionals.append(argument)
            }
            index += 1
        }
    }

    func has(_ flag: String) -> Bool { flags.contains(flag) }
}
