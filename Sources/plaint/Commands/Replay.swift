import ArgumentParser
import Glibc
import PlaintKit

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
        try mapErrors {
            let showProgress = isTerminal(2)
            let started = monotonicSeconds()
            let progress: (UInt64, UInt64) -> Void = { done, total in
                guard showProgress else { return }
                printRateProgress("replay", done, total, elapsed: monotonicSeconds() - started)
            }
            let projection: JourneyProjection
            let position: UInt64
            var differing: Int?
            if let upto {
                let log = try storeOptions.open(.read)
                (projection, position) = try PlaintKit.Replay.fold(log, upto: upto, progress: progress)
                if upto > position {
                    if showProgress { clearProgress() }
                    printError("the log ends at position \(position); --upto \(upto) replays all of it")
                }
            } else {
                let log = try storeOptions.open(.write)
                let outcome = try PlaintKit.Replay.rebuild(log, progress: progress)
                (projection, position, differing) = (outcome.projection, outcome.position, outcome.differingRows)
            }
            if showProgress { clearProgress() }
            let elapsed = monotonicSeconds() - started
            let report = ReplayReport(
                projection: projection, position: position, differingRows: differing,
                at: evaluation.atTime, window: evaluation.windowLength, seconds: elapsed)
            printLine(output.json ? report.json().serialized() : String(report.text().dropLast()))
        }
    }
}

func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
