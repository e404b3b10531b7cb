import ArgumentParser
import Glibc
import PlaintEvents
import PlaintLog
import PlaintReports
import PlaintSystem
import PlaintViews

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild every projection from the log alone and check it against the stored views.",
        discussion: """
            Without --upto, replay folds the whole log, compares the result with the views that appends \
            maintained, reports any difference, and stores the rebuild (appends wait meanwhile). With --upto \
            it shows what the log knew at that position and leaves the stored views alone. --at evaluates \
            the ranking as of that time (pending vs ignored depends on it).
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var evaluation: EvaluationOptions

    @Option(name: .long, help: "Replay positions 1...N only (read-only).")
    var upto: UInt64?

    func validate() throws {
        if upto == 0 { throw ValidationError("--upto must be a position of 1 or more") }
    }

    func run() throws {
        AllocatorArenas.useOnePerThread()
        try mapErrors {
            let started = monotonicSeconds()
            let line = ProgressLine()
            line.begin("replay")
            let progress: (UInt64, UInt64) -> Void = { done, total in line.show(Int64(done), of: Int64(total), .events)
            }
            let (at, window) = (evaluation.atTime, evaluation.windowLength)
            var report: ReplayReport
            if let upto {
                let log = try storeOptions.open(.read)
                let (projection, position) = try PlaintViews.Replay.fold(log, upto: upto, progress: progress)
                if upto > position {
                    line.clear()
                    printError("the log ends at position \(position); --upto \(upto) replays all of it")
                }
                report = ReplayReport(projection: projection, position: position, at: at, window: window)
            } else {
                let log = try storeOptions.open(.update)
                let outcome: PlaintViews.Replay.Outcome
                (outcome, report) = try PlaintViews.Replay.rebuild(log, progress: progress) { projection in
                    ReplayReport(projection: projection, position: 0, at: at, window: window)
                }
                report.position = outcome.position
                report.differingRows = outcome.differingRows
            }
            line.clear()
            report.seconds = monotonicSeconds() - started
            try printLine(output.json ? reportJSON(report.json()) : String(report.text().dropLast()))
            keepUntilExit(report)
        }
    }
}
