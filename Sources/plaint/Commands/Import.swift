import ArgumentParser
import PlaintEvents
import PlaintImport
import PlaintIngest
import PlaintLog
import PlaintReports
import PlaintSystem

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import events from a dataset in a known format.",
        subcommands: [ImportTwcs.self])
}

struct ImportTwcs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "twcs",
        abstract: "Import the \"Customer Support on Twitter\" CSV (twcs) as complaint events.",
        discussion: """
            Each thread whose root is a customer's tweet becomes a case twcs:<root tweet id>; the root \
            is complaint.filed, the customer's later tweets customer.followed_up, the brand's tweets \
            brand.replied (a redirect when they ask to move to DM, e-mail or phone). Event ids are \
            twcs:<tweet id>, so importing the same file again appends nothing new. Columns are found by \
            header name; extra columns, ids written as floats, CRLF line ends and quoted line breaks are \
            read as such. The file is read twice: once for the threads, once for the events.
            The import is all-or-nothing like append: a malformed row (exit 65) or a conflict with a stored \
            event (exit 69) writes nothing. With --skip-malformed such rows are counted and skipped instead.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The twcs CSV file.", valueName: "file.csv"))
    var file: String

    @Flag(help: "Write the events to standard output as NDJSON instead of appending them; the report goes to stderr.")
    var emit = false

    @Flag(help: "Skip and count rows whose fields are not valid, instead of failing.")
    var skipMalformed = false

    @Flag(name: .customLong("no-sync"), help: "Do not fsync each commit; sync once at the end (bulk loads).")
    var noSync = false

    @Option(help: ArgumentHelp("Events per write transaction.", valueName: "n"))
    var batchSize = 2_500

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
        if emit, noSync { throw ValidationError("--no-sync applies to appending; --emit does not append") }
    }

    func run() throws {
        try mapErrors {
            let importer = TwcsImport(path: file, skipsMalformedRows: skipMalformed)
            let progress = ProgressLine()
            var counts = TwcsImportCounts()
            let threads = try importer.readThreads(
                counts: &counts,
                reportMalformed: { problem in
                    progress.clear()
                    printError("skipped \(problem)")
                }, progress: progress.bytes("reading threads"))
            var appended: AppendSummary?
            if emit {
                let events = OutputStream()
                try importer.convert(
                    threads, counts: &counts, progress: progress.bytes("converting")
                ) {
                    line, _ in
                    try events.write(line)
                }
                try events.flush()
            } else {
                let log = try storeOptions.open(.write)
                let append = TwcsAppend(importer: importer, log: log, sync: !noSync, batchSize: batchSize)
                appended = try append.run(
                    consume threads, counts: &counts,
                    progress: progress.bytes("converting"),
                    appendProgress: { step, _ in progress.show(step) })
            }
            progress.clear()
            let report =
                output.json
                ? reportJSON(ImportReports.json(counts, appended: appended))
                : ImportReports.text(counts, path: file, appended: appended)
            if emit { printToStandardError(report) } else { try printLine(report) }
        }
    }
}

extension ProgressLine {
    /// A callback for one pass over a file, in bytes read of the file's size.
    func bytes(_ phase: String) -> (Int64, Int64) -> Void {
        var begun = false
        return { [self] done, total in
            if !begun {
                begin(phase)
                begun = true
            }
            show(done, of: total, .megabytes)
        }
    }
}
