import ArgumentParser
import Glibc
import PlaintEvents
import PlaintLog
import PlaintSystem
import PlaintViews
import Synchronization

/// Set by SIGINT so that `events --follow` can finish its output and exit cleanly.
let interrupted = Atomic<Bool>(false)

struct Events: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print stored events as NDJSON, with position, version, recorded_at and hash.",
        discussion: """
            Each line is the event as appended (keys in RFC 8785 order, occurred_at in UTC) plus \
            "position", "version" (null for an event without a case), "recorded_at" and "hash". \
            Filters combine with AND; a repeated --brand matches any of its brands. Case, customer and brand \
            filters are answered from indexes; --from/--to bound occurred_at.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(name: .customLong("case"), help: ArgumentHelp("Only this case's events.", valueName: "case"))
    var caseID: String?

    @Option(help: "Only this customer's events.")
    var customer: String?

    @Option(help: "Only this brand's events (repeatable: any of them).")
    var brand: [String] = []

    @Option(help: ArgumentHelp("Only events of this type (such as brand.replied).", valueName: "type"))
    var type: String?

    @Option(help: ArgumentHelp("Only events that occurred at or after this date or time.", valueName: "time"))
    var from: String?

    @Option(
        help: ArgumentHelp(
            "Only events that occurred at or before this date (the whole day) or time.", valueName: "time"))
    var to: String?

    @Option(help: ArgumentHelp("Start at this position (inclusive).", valueName: "n"))
    var fromPosition: UInt64 = 1

    @Option(help: ArgumentHelp("Print at most this many events.", valueName: "n"))
    var limit: Int?

    @Flag(help: "Keep printing events as other processes append them, until interrupted.")
    var follow = false

    @Flag(help: "Accepted for symmetry with other commands: events are always NDJSON.")
    var json = false

    func validate() throws {
        if let type, EventType(rawValue: type) == nil {
            throw ValidationError(
                "unknown event type '\(type)'; one of: \(EventType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
        let (lower, upper) = try occurredBounds()
        if let lower, let upper, lower > upper { throw ValidationError("--from is after --to") }
    }

    func occurredBounds() throws -> (from: Int64?, to: Int64?) {
        (try filingBound(from, option: "--from", endOfDay: false), try filingBound(to, option: "--to", endOfDay: true))
    }

    func run() throws {
        try mapErrors {
            let log = try storeOptions.open(.read)
            // Following a PostgreSQL store copies its new events into the local store as they come.
            let cluster = follow ? try storeOptions.cluster() : nil
            let (occurredFrom, occurredTo) = try occurredBounds()
            // Following may wait for a name that no event carries yet: it is taken as typed.
            let resolve: (String?, NameKind) throws -> String? = { name, kind in
                try name.map {
                    follow ? (try? resolveName($0, as: kind, in: log)) ?? $0 : try resolveName($0, as: kind, in: log)
                }
            }
            let filter = EventFilter(
                caseID: try resolve(caseID, .case), customer: try resolve(customer, .customer),
                brands: try brand.map { try resolve($0, .brand)! },
                type: type.flatMap(EventType.init(rawValue:)), occurredFrom: occurredFrom, occurredTo: occurredTo,
                fromPosition: fromPosition, limit: limit)
            let output = OutputStream()
            var printer = EventPrinter(output: output)
            let query = EventQuery(log: log)
            if follow { stopOnInterrupt() }
            try query.forEach(
                filter, following: follow,
                shouldStop: { interrupted.load(ordering: .relaxed) || output.readerHasGone },
                afterEachPass: { try output.flush() }, beforeNextPass: { try cluster?.catchUp(log) }
            ) { record in try printer.print(record) }
        }
    }
}

/// Lets SIGINT and SIGTERM end `--follow` cleanly. A parent may have started us with these
/// signals blocked (threads of many runtimes block them), so unblock them too.
private func stopOnInterrupt() {
    signal(SIGINT) { _ in interrupted.store(true, ordering: .relaxed) }
    signal(SIGTERM) { _ in interrupted.store(true, ordering: .relaxed) }
    var signals = sigset_t()
    sigemptyset(&signals)
    sigaddset(&signals, SIGINT)
    sigaddset(&signals, SIGTERM)
    sigprocmask(SIG_UNBLOCK, &signals, nil)
}
