import Glibc
import Logging
import NIOCore
import PlaintEvents
import PlaintLog
import PostgresNIO

/// A plaint log in a PostgreSQL database, usually a replicated cluster: the same events, the
/// same positions, canonical bytes and hash chain as an LMDB store.
///
/// Every connection goes to a server that accepts writes (the URL's hosts in order, as libpq's
/// `target_session_attrs=read-write`), so a reader sees every acknowledged append. When no
/// server accepts writes, as during a failover, plaint keeps trying for `leaderWait` seconds.
public struct PostgresLog: Sendable {
    public let location: PostgresLocation
    /// How long to look for a server that accepts writes: a Patroni failover takes 10-30 s.
    public var leaderWait: Double

    public init(location: PostgresLocation, leaderWait: Double = 60) {
        self.location = location
        self.leaderWait = leaderWait
    }

    var name: String { location.displayName }

    static let logger: Logger = {
        var logger = Logger(label: "plaint.postgres")
        logger.logLevel = .critical
        return logger
    }()

    // MARK: Connecting

    /// A connection to a server that suits the URL, trying the hosts in order and again until
    /// `leaderWait` has passed. A refused password fails at once: waiting will not change it.
    func connect() async throws(PostgresStoreError) -> PostgresConnection {
        let deadline = Self.now() + leaderWait
        var lastProblem = "no host answered"
        repeat {
            Watchdog.beat()
            for host in location.hosts {
                var configuration = PostgresConnection.Configuration(
                    host: host.name, port: host.port, username: location.user, password: location.password,
                    database: location.database, tls: .disable)
                configuration.options.connectTimeout = .seconds(3)
                let connection: PostgresConnection
                do {
                    connection = try await PostgresConnection.connect(
                        configuration: configuration, id: 1, logger: Self.logger)
                } catch {
                    let problem = Self.describe(error)
                    if Self.isAuthentication(error) { throw .authentication(store: name, message: problem) }
                    lastProblem = "\(host.name):\(host.port): \(problem)"
                    continue
                }
                if !location.requiresWritable { return connection }
                do {
                    let rows = try await connection.query("SELECT pg_is_in_recovery()", logger: Self.logger)
                    var inRecovery = true
                    for try await value in rows.decode(Bool.self) { inRecovery = value }
                    if !inRecovery { return connection }
                    lastProblem = "\(host.name):\(host.port) is a replica"
                } catch {
                    lastProblem = "\(host.name):\(host.port): \(Self.describe(error))"
                }
                try? await connection.close()
            }
            try? await Task.sleep(nanoseconds: 500_000_000)
        } while Self.now() < deadline
        throw .unavailable(store: name, message: lastProblem + " (waited \(Int(leaderWait)) s)")
    }

    /// Runs `body` on a connection to a suitable server; when the connection is lost, the server
    /// stops accepting writes (a failover), or it stops answering for `idleLimit` seconds, runs it
    /// again on the next one found, until `leaderWait` has passed. `body` must be safe to repeat:
    /// every write plaint makes is.
    func withConnection<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let deadline = Self.now() + leaderWait
        while true {
            do {
                return try await Watchdog.watched(idleLimit: Self.idleLimit) { [self] in
                    let connection = try await connect()
                    Watchdog.beat()
                    do {
                        let result = try await body(connection)
                        try? await connection.close()
                        return result
                    } catch {
                        try? await connection.close()
                        throw error
                    }
                }
            } catch is Watchdog.Stalled {
                guard Self.now() < deadline else {
                    throw PostgresStoreError.unavailable(
                        store: name, message: "the server stopped answering (for \(Int(Self.idleLimit)) s)")
                }
            } catch {
                guard Self.isTransient(error), Self.now() < deadline else { throw mapped(error) }
            }
        }
    }

    /// Seconds without an answer after which a server is given up: longer than any one
    /// statement plaint sends takes, shorter than a user's patience.
    static let idleLimit = 15.0

    /// Server errors as the store's errors; plaint's own errors as they are.
    func mapped(_ error: any Error) -> any Error {
        guard let error = error as? PSQLError else { return error }
        if Self.isAuthentication(error) {
            return PostgresStoreError.authentication(store: name, message: Self.describe(error))
        }
        if Self.isTransient(error) { return PostgresStoreError.unavailable(store: name, message: Self.describe(error)) }
        return PostgresStoreError.server(store: name, message: Self.describe(error))
    }

    static func sqlState(_ error: any Error) -> String? { (error as? PSQLError)?.serverInfo?[.sqlState] }

    static func isAuthentication(_ error: any Error) -> Bool {
        guard let state = sqlState(error) else {
            if let error = error as? PSQLError { return error.code == .authMechanismRequiresPassword }
            return false
        }
        return state == "28P01" || state == "28000"
    }

    /// A lost connection, a server shutting down, or a server that no longer takes writes:
    /// what a failover looks like from the client.
    static func isTransient(_ error: any Error) -> Bool {
        if let state = sqlState(error) {
            return state.hasPrefix("08") || state == "57P01" || state == "57P02" || state == "57P03"
                || state == "25006" || state == "40001" || state == "40P01"
        }
        guard let error = error as? PSQLError else { return error is ChannelError || error is IOError }
        return [.connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection].contains(
            error.code)
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return message + (error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
            }
            if let underlying = error.underlying { return "\(underlying)" }
            return "\(error.code)"
        }
        return "\(error)"
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    // MARK: Schema

    /// The schema version the database holds, nil when it holds no plaint log.
    static func schemaVersion(_ connection: PostgresConnection) async throws -> Int? {
        let exists = try await connection.query(
            "SELECT to_regclass('plaint.schema_version') IS NOT NULL", logger: logger)
        var found = false
        for try await value in exists.decode(Bool.self) { found = value }
        guard found else { return nil }
        var version: Int?
        for try await value in try await connection.query("SELECT version FROM plaint.schema_version", logger: logger)
            .decode(Int.self)
        {
            version = value
        }
        return version
    }

    /// Refuses a database without a plaint log, or with a newer one.
    func requireLog(_ connection: PostgresConnection) async throws {
        guard let version = try await Self.schemaVersion(connection) else {
            throw PostgresStoreError.noLog(store: name)
        }
        if version > PostgresSchema.version { throw PostgresStoreError.newerSchema(store: name, version: version) }
    }

    /// Creates the tables on the first append.
    func createLogIfMissing(_ connection: PostgresConnection) async throws {
        if let version = try await Self.schemaVersion(connection) {
            if version > PostgresSchema.version { throw PostgresStoreError.newerSchema(store: name, version: version) }
            return
        }
        try await connection.query("BEGIN", logger: Self.logger)
        do {
            for statement in PostgresSchema.creation {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: Self.logger)
            }
            try await connection.query("COMMIT", logger: Self.logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: Self.logger)
            throw error
        }
    }

    // MARK: Reading

    /// The last position and hash.
    public func head() async throws -> LogHead {
        try await withConnection { connection in
            try await requireLog(connection)
            return try await Self.head(connection)
        }
    }

    static func head(_ connection: PostgresConnection) async throws -> LogHead {
        let rows = try await connection.query("SELECT position, hash FROM plaint.head", logger: logger)
        var head = LogHead(position: 0, hash: HashChain.genesis)
        for try await (position, hash) in rows.decode((Int64, ByteBuffer).self) {
            head = LogHead(position: UInt64(position), hash: Array(hash.readableBytesView))
        }
        return head
    }

    /// The head, locked until the transaction ends, and the last event's `recorded_at`.
    static func lockedHead(_ connection: PostgresConnection) async throws -> (LogHead, Int64) {
        let rows = try await connection.query(
            "SELECT position, hash, recorded_at FROM plaint.head FOR UPDATE", logger: logger)
        var head = (LogHead(position: 0, hash: HashChain.genesis), Int64(0))
        for try await (position, hash, recordedAt) in rows.decode((Int64, ByteBuffer, Int64).self) {
            head = (LogHead(position: UInt64(position), hash: Array(hash.readableBytesView)), recordedAt)
        }
        return head
    }

    /// One stored event as the log holds it.
    public struct Row: Sendable {
        public var position: UInt64
        public var canonical: [UInt8]
        public var hash: [UInt8]
        public var recordedAt: Int64
    }

    /// Up to `limit` events after `position`, in order.
    public func rows(after position: UInt64, limit: Int) async throws -> [Row] {
        try await withConnection { connection in
            try await requireLog(connection)
            return try await Self.rows(connection, after: position, limit: limit)
        }
    }

    static func rows(_ connection: PostgresConnection, after position: UInt64, limit: Int) async throws -> [Row] {
        let rows = try await connection.query(
            """
            SELECT position, canonical, hash, recorded_at FROM plaint.events
            WHERE position > \(Int64(position)) ORDER BY position LIMIT \(limit)
            """, logger: logger)
        var found: [Row] = []
        found.reserveCapacity(limit)
        for try await (position, canonical, hash, recordedAt) in rows.decode(
            (Int64, ByteBuffer, ByteBuffer, Int64).self)
        {
            found.append(
                Row(
                    position: UInt64(position), canonical: Array(canonical.readableBytesView),
                    hash: Array(hash.readableBytesView), recordedAt: recordedAt))
        }
        return found
    }

    /// The hash stored at `position`, nil when the log is shorter.
    public func hash(at position: UInt64) async throws -> [UInt8]? {
        try await withConnection { connection in
            try await requireLog(connection)
            let rows = try await connection.query(
                "SELECT hash FROM plaint.events WHERE position = \(Int64(position))", logger: Self.logger)
            var hash: [UInt8]?
            for try await value in rows.decode(ByteBuffer.self) { hash = Array(value.readableBytesView) }
            return hash
        }
    }
}
