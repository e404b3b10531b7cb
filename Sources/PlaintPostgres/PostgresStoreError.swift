/// Why a PostgreSQL store could not be used. Each case maps to one exit code of the CLI.
public enum PostgresStoreError: Error, Sendable, CustomStringConvertible {
    /// The store URL cannot be read (usage, 64).
    case badURL(String, String)
    /// The server refused the user or the password (77).
    case authentication(store: String, message: String)
    /// No server of the cluster answered, or none accepted writes, within the wait (75: try again).
    case unavailable(store: String, message: String)
    /// The database holds no plaint log (66), or one of a newer schema.
    case noLog(store: String)
    case newerSchema(store: String, version: Int)
    /// The server failed a statement plaint sent (74).
    case server(store: String, message: String)
    /// The local view store does not mirror this cluster's log (74): its hash at a position
    /// differs from the cluster's.
    case mirrorDiverged(directory: String, position: UInt64)

    public var description: String {
        switch self {
        case .badURL(let url, let reason): "store URL \"\(url)\" cannot be used: \(reason)"
        case .authentication(let store, let message): "\(store): authentication failed: \(message)"
        case .unavailable(let store, let message): "\(store): no server accepts writes: \(message)"
        case .noLog(let store):
            "\(store): the database holds no plaint log (it is created by the first append)"
        case .newerSchema(let store, let version):
            "\(store): the plaint log has schema version \(version), newer than this plaint reads "
                + "(\(PostgresSchema.version)); use a newer plaint"
        case .server(let store, let message): "\(store): \(message)"
        case .mirrorDiverged(let directory, let position):
            "the local view store \(directory) differs from the cluster's log at position \(position): it "
                + "mirrors another log; remove the directory (it is rebuilt from the cluster)"
        }
    }
}
