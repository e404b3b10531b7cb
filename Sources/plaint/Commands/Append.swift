import ArgumentParser
import Glibc
import PlaintEvents
import PlaintIngest
import PlaintLog
import PlaintPostgres
import PlaintReports
import PlaintSystem

struct Append: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Append NDJSON events from files or standard input.",
        discussion: """
            By default an input is all-or-nothing: every line is validated and checked for conflicts \
            first; one bad line rejects the whole input (exit 65, or 69 for a conflict) and nothing is \
            written. Re-appending an identical event is a duplicate, not an error, so a script may retry.
            With --rejects FILE, bad and conflicting lines are written to FILE verbatim and the rest \
            is appended.
            With --stream, lines are committed as they arrive (every --commit-every events or every \
            --commit-interval seconds); a bad line stops the command, keeping the lines before it.
            --no-sync skips fsync on each commit and syncs once at the end: for bulk loads you can \
            re-run, since a machine crash during the load may lose its last commits.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "NDJSON files to append, in order; '-' (or none) reads standard input.")
    var files: [String] = []

    @Option(help: ArgumentHelp("Write bad or conflicting lines to this file and append the rest.", valueName: "file"))
    var rejects: String?

    @Flag(help: "Commit continuously, for endless pipes such as 'tail -f feed | plaint append --stream'.")
    var stream = false

    @Option(help: ArgumentHelp("With --stream: commit after this many events.", valueName: "n"))
    var commitEvery = 1000

    @Option(help: ArgumentHelp("With --stream: commit waiting events after this many seconds.", valueName: "seconds"))
    var commitInterval = 1.0

    @Option(
        help: ArgumentHelp(
            "Events per write transaction for a checked input (default: as many as keep anonymous memory under 130 MB, up to 100,000).",
            valueName: "n"))
    var batchSize: Int?

    @Flag(name: .customLong("no-sync"), help: "Do not fsync each commit; sync once at the end (bulk loads).")
    var noSync = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard commitEvery > 0 else { throw ValidationError("--commit-every must be at least 1") }
        guard commitInterval > 0, commitInterval <= 86_400 else {
            throw ValidationError("--commit-interval must be more than 0 and at most 86400 seconds")
        }
        guard batchSize ?? 1 > 0 else { throw ValidationError("--batch-size must be at least 1") }
        // Standard output carries the summary, so '-' cannot mean it here; as a file name it
        // would surprise whoever wrote it.
        guard rejects != "-" else {
            throw ValidationError(
                "--rejects needs a file name, not '-' (the summary goes to standard output, and the first 100 "
                    + "rejected lines are listed on standard error)")
        }
        guard files.filter({ $0 == "-" }).count <= 1 else {
            throw ValidationError("standard input ('-') can be read only once")
        }
    }

    func run() throws {
        try mapErrors {
            let request = AppendRequest(
                inputs: files, rejectsPath: rejects, stream: stream, streamBatchSize: commitEvery,
                streamIntervalNanoseconds: UInt64(commitInterval * 1e9), batchSize: batchSize, sync: !noSync)
            try Self.perform(request, storePath: storeOptions.path, json: output.json)
        }
    }

    /// Appends as `request` says and prints the summary (JSON with `json`).
    static func perform(_ request: AppendRequest, storePath: String, json: Bool) throws {
        if let cluster = try ClusterStore(path: storePath, views: nil) {
            try appendToCluster(request, cluster.log, json: json)
            return
        }
        var request = request
        if let limit = EnvironmentSettings.checkTableLimit { request.checkTableLimit = limit }
        var listed = 0
        let line = ProgressLine()
        defer { line.clear() }
        do {
            let summary = try Appender.run(
                request, storePath: storePath, open: { try openStore(at: $0, .write) },
                reportRejected: { problem in
                    listed += 1
                    if listed <= 100 {
                        line.clear()
                        printError("rejected \(problem)")
                    }
                }, progress: line.show)
            line.clear()
            if listed > 100 { printError("... \(listed - 100) more rejected lines not listed") }
            try printLine(json ? reportJSON(Reports.json(summary)) : Reports.text(summary))
        } catch let error as AppendError {
            if json { try printLine(reportJSON(Reports.json(error.committed))) }
            throw error
        }
    }

    /// One transaction on the cluster's leader, repeated on the next leader after a failover.
    private static func appendToCluster(_ request: AppendRequest, _ log: PostgresLog, json: Bool) throws {
        guard !request.stream, request.rejectsPath == nil else {
            throw NotOnCluster(
                description: "--stream and --rejects append to a local store; a PostgreSQL store takes whole inputs")
        }
        let inputs = request.inputs
        do {
            let summary = try waitFor { try await log.append(inputs: inputs) }
            try printLine(json ? reportJSON(Reports.json(summary)) : Reports.text(summary))
        } catch let error as AppendError {
            if json { try printLine(reportJSON(Reports.json(error.committed))) }
            throw error
        }
    }

}
