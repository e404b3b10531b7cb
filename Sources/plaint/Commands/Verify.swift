import ArgumentParser
import PlaintEvents
import PlaintLog
import PlaintPostgres
import PlaintReports
import PlaintViews

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute the hash chain, check every index against the log, and the views against a replay.",
        discussion: "Names the first bad position and exits 74 when anything fails.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
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
            var views: (position: UInt64, differingRows: Int)?
            if report.isIntact, log.hasViewTables {
                line.begin("verify views")
                views = try PlaintViews.Replay.check(log) { done, total in
                    line.show(Int64(done), of: Int64(total), .events)
                }
                line.clear()
            }
            let viewsDiffer = (views?.differingRows ?? 0) > 0
            if output.json {
                var document = Reports.json(report)
                if case .object(var members) = document {
                    // "ok" answers for the whole check, the views included, as the exit status does.
                    members = members.map { $0.0 == "ok" ? ("ok", .bool(report.isIntact && !viewsDiffer)) : $0 }
                    members.append(("views_checked_through", .optional(views?.position)))
                    members.append(("views_differing_rows", .optional(views?.differingRows)))
                    document = .object(members)
                }
                try printLine(reportJSON(document))
            } else if let problem = report.problem {
                try printLine("FAILED at position \(problem.position): \(problem.reason)")
                try printLine("positions 1-\(report.verifiedThrough) verified before it")
            } else {
                try printLine("ok: verified positions 1-\(report.verifiedThrough); head hash \(report.head.hashHex)")
                if let views {
                    if !viewsDiffer {
                        try printLine("ok: the projection views equal a replay of positions 1-\(views.position)")
                    } else if let layout = try JourneyViews.outdatedLayout(log) {
                        try printLine(
                            "FAILED: the projection views have layout \(layout), from another version of plaint "
                                + "(this one reads layout \(ViewInfo.format)); run `plaint replay` to rebuild them")
                    } else {
                        try printLine(
                            "FAILED: \(views.differingRows) rows of the projection views differ from a replay of "
                                + "positions 1-\(views.position); run `plaint replay` to rebuild them")
                    }
                }
            }
            if viewsDiffer { throw ExitCode(ExitStatus.io) }
            if !report.isIntact { throw ExitCode(ExitStatus.io) }
        }
    }
}
