import ArgumentParser
import PlaintEvents
import PlaintLog
import PlaintReports
import PlaintSystem

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print counts, sizes and the store's format version.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try mapErrors {
            let stats = try storeOptions.open(.read).statistics()
            if output.json {
                try printLine(reportJSON(Reports.json(stats)))
            } else {
                let output = OutputStream()
                try output.write(Reports.text(stats))
                try output.flush()
            }
        }
    }
}
