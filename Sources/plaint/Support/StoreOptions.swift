import ArgumentParser
import Glibc
import PlaintLog
import PlaintSystem
import PlaintViews

/// `--store DIR` (or a PostgreSQL URL) and `--views DIR`, shared by every command.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The store: a directory, or postgres://HOST:PORT[,HOST:PORT…]/DB for a log on a PostgreSQL cluster "
                + "(default: $PLAINT_STORE, else ./plaint-store).", valueName: "store"))
    var store: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "With a PostgreSQL store: the local directory its views are kept in (default: $PLAINT_VIEWS, else "
                + "~/.cache/plaint/views/…).", valueName: "dir"))
    var views: String?

    var path: String { storePath(store) }

    func open(_ access: EventLog.Access) throws -> EventLog { try openStore(at: path, access, views: views) }

    /// The PostgreSQL store `--store` names, nil for a directory.
    func cluster() throws -> ClusterStore? { try ClusterStore(path: path, views: views) }

    /// The directories no file plaint writes may land in: the store, or for a PostgreSQL store
    /// its local view store.
    func protectedDirectories() throws -> [String] {
        guard let cluster = try cluster() else { return [path] }
        return [cluster.viewsDirectory]
    }
}

/// The store directory: `--store`, else $PLAINT_STORE, else ./plaint-store.
func storePath(_ explicit: String?) -> String {
    explicit ?? EnvironmentSettings.store ?? "./plaint-store"
}

/// Opens the store with the projections' views. For a PostgreSQL store, the local view store,
/// caught up with the cluster; appending goes to the cluster itself (`Append`).
func openStore(at path: String, _ access: EventLog.Access, views: String? = nil) throws -> EventLog {
    if let cluster = try ClusterStore(path: path, views: views) {
        guard access != .write else {
            throw NotOnCluster(
                description: "this command writes to a local store; with a PostgreSQL store, append NDJSON "
                    + "(for twcs: plaint import twcs FILE --emit | plaint append --store URL)")
        }
        return try cluster.caughtUpMirror()
    }
    var options = EventLog.Options(views: JourneyViews())
    if !EnvironmentSettings.maintainsViews { options.views = nil }
    if let size = EnvironmentSettings.initialMapSize { options.initialMapSize = size }
    return try EventLog(path: path, access: access, options: options)
}

/// `--json`, for commands with a readable and a machine-readable form.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON document instead of text.")
    var json = false
}

/// A line on stdout, control characters from the store escaped (`VisibleText`); throws when it
/// cannot be written (a full disk: exit 74), or `OutputClosed` when the reader has gone.
func printLine(_ text: String) throws {
    let output = OutputStream()
    try output.write(VisibleText.escapingControls(text) + "\n")
    try output.flush()
}

/// Text on stdout exactly as given: for output whose fields escaped their own control characters (CSV).
func printRaw(_ text: String) throws {
    let output = OutputStream()
    try output.write(text)
    try output.flush()
}

func printError(_ text: String) {
    printToStandardError("plaint: " + text)
}

/// A line on stderr, for output that is not an error (a report while stdout carries data);
/// control characters (an id a user typed, echoed back) escaped as on stdout.
func printToStandardError(_ text: String) {
    var line = Array((VisibleText.escapingControls(text) + "\n").utf8)
    _ = line.withUnsafeMutableBytes { write(2, $0.baseAddress!, $0.count) }
}

func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }
