import ArgumentParser
import PlaintEvents
import PlaintLog
import PlaintReports

struct Head: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the last position and its chain hash, for an auditor to keep and check later.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try mapErrors {
            let head = try storeOptions.open(.read).head()
            try printLine(
                output.json ? Reports.json(head).serialized() : "position \(head.position)\nhash \(head.hashHex)")
        }
    }
}
