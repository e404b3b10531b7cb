import ArgumentParser
import PlaintKit

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute the hash chain and check every index against the log.",
        discussion: "Names the first bad position and exits 74 when anything fails.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try mapErrors {
            let log = try storeOptions.open(.read)
            let showProgress = isTerminal(2)
            let report = try log.verify { done, total in
                if showProgress { printProgress("verify", done, total) }
            }
            if showProgress { clearProgress() }
            if output.json {
                printLine(Reports.json(report).serialized())
            } else if let problem = report.problem {
                printLine("FAILED at position \(problem.position): \(problem.reason)")
                printLine("positions 1-\(report.verifiedThrough) verified before it")
            } else {
                printLine("ok: verified positions 1-\(report.verifiedThrough); head hash \(report.head.hashHex)")
            }
            if !report.isIntact { throw ExitCode(ExitStatus.io) }
        }
    }
}
