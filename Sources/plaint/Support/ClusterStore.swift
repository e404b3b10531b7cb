import Glibc
import PlaintLog
import PlaintPostgres
import PlaintSystem
import PlaintViews

/// A store named by a `postgres://` URL: the log in PostgreSQL, its views in a local LMDB
/// mirror that catches up with the log before each query (`ViewMirror`).
struct ClusterStore {
    let log: PostgresLog
    /// The local view store: `--views`, else `$PLAINT_VIEWS`, else one directory per cluster and
    /// database under `$XDG_CACHE_HOME/plaint/views` (or `~/.cache/plaint/views`).
    let viewsDirectory: String

    /// The cluster `path` names, nil when it names a directory.
    init?(path: String, views: String?) throws {
        guard PostgresLocation.isURL(path) else { return nil }
        let location = try PostgresLocation(url: path, environment: EnvironmentSettings.postgres)
        log = PostgresLog(location: location, leaderWait: EnvironmentSettings.leaderWait ?? 60)
        viewsDirectory = views ?? EnvironmentSettings.views ?? Self.defaultViews(for: location)
    }

    static func defaultViews(for location: PostgresLocation) -> String {
        let environment = EnvironmentSettings.postgres
        let cache = environment["XDG_CACHE_HOME"] ?? environment["HOME"].map { $0 + "/.cache" } ?? "."
        let name = String(
            location.displayName.dropFirst("postgres://".count).map { $0.isLetter || $0.isNumber ? $0 : "_" })
        return cache + "/plaint/views/" + name
    }

    /// The local view store, caught up with the cluster's head.
    func caughtUpMirror() throws -> EventLog {
        FileSystem.makeParentDirectories(of: viewsDirectory)
        let mirror = try openStore(at: viewsDirectory, .write)
        try catchUp(mirror)
        return mirror
    }

    /// Copies the cluster's new events into `mirror`, with a progress line on a terminal.
    func catchUp(_ mirror: EventLog) throws {
        let progress = ProgressLine()
        progress.begin("catching up with the cluster")
        let line = SharedProgressLine(progress)
        let log = self.log
        _ = try waitFor {
            try await ViewMirror.catchUp(mirror, from: log) { done, total in line.show(done, total) }
        }
        line.clear()
    }
}

/// A progress line that async work reports to, from one task at a time.
final class SharedProgressLine: @unchecked Sendable {
    private let line: ProgressLine

    init(_ line: ProgressLine) { self.line = line }

    func show(_ done: UInt64, _ total: UInt64) { line.show(Int64(done), of: Int64(total), .events) }

    func clear() { line.clear() }
}

/// What a PostgreSQL store does not offer, with what to do instead (usage, exit 64).
struct NotOnCluster: ReportedFailure, CustomStringConvertible {
    var description: String
    var exitStatus: ExitStatus { .usage }
}
