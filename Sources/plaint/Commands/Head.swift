import ArgumentParser
import PlaintEvents
import PlaintLog
import PlaintPostgres
import PlaintReports

struct Head: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the last position and its chain hash, for an auditor to keep and check later.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try mapErrors { try Self.show(storePath: storeOptions.path, json: output.json) }
    }

    static func show(storePath: String, json: Bool) throws {
        // A PostgreSQL store's head comes from the cluster itself, not from the local views.
        let head =
            if let cluster = try ClusterStore(path: storePath, views: nil) {
                try waitFor { try await cluster.log.head() }
            } else {
                try openStore(at: storePath, .read).head()
            }
        try printLine(json ? reportJSON(Reports.json(head)) : "position \(head.position)\nhash \(head.hashHex)")
    }
}
