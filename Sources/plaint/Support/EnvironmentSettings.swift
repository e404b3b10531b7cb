import Glibc

/// Every environment variable plaint reads, in one place.
///
/// `PLAINT_STORE` is for users. The others exist so that tests and benchmarks can reach, on
/// small inputs, code paths that real inputs reach only at scale, or measure one part alone;
/// none of them changes what is stored or printed.
enum EnvironmentSettings {
    /// `PLAINT_STORE`: the store directory when `--store` is not given.
    static var store: String? { text("PLAINT_STORE").flatMap { $0.isEmpty ? nil : $0 } }

    /// `PLAINT_VIEWS`: with a PostgreSQL store, the local directory its views are kept in.
    static var views: String? { text("PLAINT_VIEWS").flatMap { $0.isEmpty ? nil : $0 } }

    /// The variables a PostgreSQL store's URL may be completed from (`PGUSER`, `PGPASSWORD`,
    /// `PGPASSFILE`, `HOME`).
    static var postgres: [String: String] {
        var found: [String: String] = [:]
        for name in ["PGUSER", "PGPASSWORD", "PGPASSFILE", "HOME", "XDG_CACHE_HOME"] { found[name] = text(name) }
        return found
    }

    /// `PLAINT_LEADER_WAIT` (seconds): how long a PostgreSQL store's commands look for a server
    /// that accepts writes (default 60), for tests of an unreachable cluster.
    static var leaderWait: Double? { positive("PLAINT_LEADER_WAIT").map(Double.init) }

    /// `PLAINT_MAINTAIN_VIEWS=0`: append to the log alone, for benchmarks of the log; the views
    /// then lag until `plaint replay`.
    static var maintainsViews: Bool { text("PLAINT_MAINTAIN_VIEWS") != "0" }

    /// `PLAINT_INITIAL_MAP_SIZE` (bytes): the first map size of a new store, for tests of map
    /// growth.
    static var initialMapSize: Int? { positive("PLAINT_INITIAL_MAP_SIZE") }

    /// `PLAINT_CHECK_TABLE_LIMIT` (events): the append check's in-memory tables spill to disk
    /// past this many events, for tests of the spilled tables.
    static var checkTableLimit: Int? { positive("PLAINT_CHECK_TABLE_LIMIT") }

    private static func text(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    private static func positive(_ name: String) -> Int? {
        text(name).flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
    }
}
