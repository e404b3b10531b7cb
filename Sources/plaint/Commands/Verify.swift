import ArgumentParser
import PlaintEvents
import PlaintLog
import PlaintPostgres
import PlaintReports
import PlaintSystem
import PlaintViews

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute the hash chain, check every index against the log, and the views against a replay.",
        discussion: "Names the first bad position and exits 74 when anything fails.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        // Its views' check folds the log on two threads, like replay.
        AllocatorArenas.useOnePerThread()
        try mapErrors {
            let line = ProgressLine()
            line.begin("verify")
            let log: EventLog
            let report: VerificationReport
            if let cluster = try storeOptions.cluster() {
                // The chain in PostgreSQL, then the local views against a replay of their copy.
                let progress = SharedProgressLine(line)
                report = try waitFor { try await cluster.log.verify { progress.show($0, $1) } }
                line.clear()
                log = try cluster.caughtUpMirror()
            } else {
                log = try storeOptions.open(.read)
                report = try log.verify { done, total in line.show(Int64(done), of: Int64(total), .events) }
            }
            line.clear()
            // The views are derived data: checked against a fresh replay once the log itself is sound.
            var views: Reports.ViewCheck?
            if report.isIntact, log.hasViewTables {
                line.begin("verify views")
                let check = try PlaintViews.Replay.check(log) { done, total in
                    line.show(Int64(done), of: Int64(total), .events)
                }
                line.clear()
                views = Reports.ViewCheck(
                    position: check.position, differingRows: check.differingRows,
                    outdatedLayout: check.differingRows > 0 ? try JourneyViews.outdatedLayout(log) : nil)
            }
            try printLine(
                output.json ? reportJSON(Reports.json(report, views: views)) : Reports.text(report, views: views))
            if !report.isIntact || views?.isSound == false { throw ExitCode(ExitStatus.io) }
        }
    }
}
