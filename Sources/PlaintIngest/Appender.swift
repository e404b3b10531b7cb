import PlaintEvents
import PlaintLog
import PlaintSystem

/// Runs `plaint append`: NDJSON lines in, events in the log, counts out.
///
/// Without `stream`, an input is all-or-nothing: every line is validated and checked for
/// conflicts (against the store and the input's own earlier lines) while holding the writer
/// lock, and only then written, in transactions sized by `BatchLimiter` (or of `batchSize`
/// when the request fixes it). A crash can leave only whole
/// transactions; running the same command again completes the input, counting what is already
/// stored as duplicates.
public struct Appender {
    /// How many problems an error lists before it only counts the rest.
    public static let listedProblems = 20
    /// The anonymous memory the writing keeps under by sizing its transactions (`BatchLimiter`),
    /// so that an append's peak stays under 150 MB.
    static let writingPeak = 130 << 20
    /// The largest transaction the limiter plans: past it, larger transactions gain little.
    static let largestBatch = 100_000

    let log: EventLog
    let request: AppendRequest

    public init(log: EventLog, request: AppendRequest) {
        self.log = log
        self.request = request
    }

    /// How far a checked append is: lines checked, then events written.
    public enum Progress: Sendable {
        /// Lines checked so far, and about how many bytes of the inputs they came from; the
        /// inputs' total size when every input is a regular file.
        case checked(lines: Int, bytes: Int64, totalBytes: Int64?)
        /// Checking is over: this many events are to be written (new ones and duplicates).
        case writing(total: Int)
        case written(events: Int)
    }

    /// Appends every input; throws `AppendError` (with what was committed before) on failure.
    /// - Parameters:
    ///   - reportRejected: sees each line that goes to the rejects file, with why.
    ///   - progress: without `stream`, sees how far the check and the writing are, now and then.
    public func run(
        reportRejected: @escaping (LineProblem) -> Void = { _ in }, progress: (Progress) -> Void = { _ in }
    ) throws(AppendError) -> AppendSummary {
        var summary = AppendSummary()
        do {
            if !request.sync { try log.setSyncOnCommit(false) }
            let rejects = try request.rejectsPath.map { (path) throws(InputError) in
                try RejectsFile(path: path, appending: request.stream)
            }
            // The rejected lines are kept whatever happens after they were found: the file is put in
            // place when the run ends, in failure as in success.
            defer { try? rejects?.finish() }
            if request.stream {
                var streamer = StreamingAppend(log: log, request: request, rejects: rejects, report: reportRejected)
                defer { summary = streamer.summary }
                try streamer.run()
            } else {
                try appendChecked(rejects: rejects, summary: &summary, report: reportRejected, progress: progress)
            }
            try rejects?.finish()
            if !request.sync { try log.sync() }
        } catch let error as AppendError {
            throw Self.attach(summary, to: error)
        } catch let error as InputError {
            throw .input(error, committed: summary)
        } catch let error as StoreError {
            throw .store(error, committed: summary)
        } catch {
            throw .store(.io(path: log.path, reason: "\(error)"), committed: summary)
        }
        return summary
    }

    private static func attach(_ summary: AppendSummary, to error: AppendError) -> AppendError {
        switch error {
        case .invalidInput(let problems, let total, _):
            .invalidInput(problems: problems, total: total, committed: summary)
        case .conflict(let problems, let total, _): .conflict(problems: problems, total: total, committed: summary)
        case .input(let error, _): .input(error, committed: summary)
        case .store(let error, _): .store(error, committed: summary)
        }
    }

    // MARK: Checked (all-or-nothing) mode

    private func appendChecked(
        rejects: RejectsFile?, summary: inout AppendSummary, report: (LineProblem) -> Void,
        progress: (Progress) -> Void
    ) throws {
        try log.exclusively {
            var spool = try Spool(directory: log.path)
            var problems = CheckProblems()
            var checkedLines = 0
            var checkedBytes: Int64 = 0
            let totalBytes = request.inputs.reduce(Int64?.some(0)) { total, path in
                guard let total, path != "-", FileSystem.kind(of: path) == .file else { return nil }
                return total + Int64(FileSystem.size(of: path))
            }
            try log.read { reader in
                var checker = InputChecker(
                    inputNames: request.inputs.map(Self.displayName), directory: log.path,
                    limits: request.checkTableLimit.map { .init(ids: $0) } ?? .init())
                for (inputIndex, path) in request.inputs.enumerated() {
                    let name = Self.displayName(path)
                    let lines = PreparedLines(path: path, input: inputIndex, keepRaw: rejects != nil)
                    defer { lines.cancel() }
                    reading: while true {
                        let chunk = lines.next()
                        guard case .lines(let batch) = chunk else {
                            if case .failed(let error) = chunk { throw error }
                            break reading
                        }
                        if checkedLines & 0x3FFF < batch.lines.count {
                            progress(.checked(lines: checkedLines, bytes: checkedBytes, totalBytes: totalBytes))
                        }
                        checkedLines += batch.lines.count
                        checkedBytes += Int64(batch.inputBytes)
                        try check(
                            batch, input: name, checker: &checker, reader: reader, spool: &spool, rejects: rejects,
                            problems: &problems, summary: &summary, report: report)
                        lines.recycle(consume batch)
                    }
                }
            }
            if problems.invalid > 0 {
                throw AppendError.invalidInput(
                    problems: problems.listed, total: problems.invalid + problems.conflicts, committed: summary)
            }
            if problems.conflicts > 0 {
                throw AppendError.conflict(problems: problems.listed, total: problems.conflicts, committed: summary)
            }
            progress(.writing(total: checkedLines - summary.rejected))
            // A stored event (record, index entries, its share of the views) takes about twice
            // its line; the rest is room for the pages a transaction copies before it commits.
            try log.makeRoom(forBytes: Int(checkedBytes) * 5 / 2)
            let batches = SpoolBatches(try spool.readBack(), batchSize: request.batchSize, after: try log.head())
            // Only the reader's descriptors stay open: each segment it passes is freed at once.
            _ = consume spool
            defer { batches.cancel() }
            var limiter = BatchLimiter(
                first: request.batchSize, maximum: request.adaptsBatchSize ? Self.largestBatch : request.batchSize,
                peak: Self.writingPeak, base: EventLog.anonymousBytes() ?? 0)
            var group: [SpoolBatches.Batch] = []
            var grouped = 0
            /// Writes the batches gathered so far in one transaction.
            func writeGroup() throws {
                guard !group.isEmpty else { return }
                let results = try log.appendChecked(group.map { ($0.events, $0.links) })
                for result in results { summary.record(result) }
                limiter.observe(events: grouped, anonymousAfter: EventLog.anonymousBytes() ?? 0)
                for batch in group { batches.recycle(batch) }
                group.removeAll(keepingCapacity: true)
                grouped = 0
                progress(.written(events: summary.appended + summary.duplicates))
            }
            writing: while true {
                switch batches.next() {
                case .events(let batch):
                    guard request.adaptsBatchSize, batch.events.count <= limiter.size else {
                        try writeGroup()
                        try write(batch, limiter: &limiter, summary: &summary)
                        batches.recycle(consume batch)
                        progress(.written(events: summary.appended + summary.duplicates))
                        continue
                    }
                    if grouped + batch.events.count > limiter.size { try writeGroup() }
                    grouped += batch.events.count
                    group.append(batch)
                case .failed(let error): throw error
                case .end: break writing
                }
            }
            try writeGroup()
        }
    }

    /// Writes one batch read back from the spool: in one transaction, or, when the request lets
    /// the size adapt, in as many as `limiter` sizes to keep anonymous memory under its peak.
    private func write(_ batch: SpoolBatches.Batch, limiter: inout BatchLimiter, summary: inout AppendSummary)
        throws
    {
        let events = batch.events
        guard request.adaptsBatchSize else {
            summary.record(try log.append(events, checked: true, links: batch.links))
            return
        }
        var start = 0
        while start < events.count {
            let end = min(events.count, start + limiter.size)
            summary.record(
                try end - start == events.count
                    ? log.append(events, checked: true, links: batch.links)
                    : log.append(Array(events[start..<end]), checked: true, links: batch.links.slice(start..<end)))
            limiter.observe(events: end - start, anonymousAfter: EventLog.anonymousBytes() ?? 0)
            start = end
        }
    }

    /// Checks one chunk of prepared lines: spools what will be appended, counts duplicates, and
    /// sends each bad line to the rejects file or to `problems`.
    private func check(
        _ chunk: PreparedLines.Lines, input name: String, checker: inout InputChecker, reader: LogReader,
        spool: inout Spool, rejects: RejectsFile?, problems: inout CheckProblems, summary: inout AppendSummary,
        report: (LineProblem) -> Void
    ) throws {
        try chunk.records.withUnsafeBytes { records in
            for line in chunk.lines {
                let kind: LineProblem.Kind
                /// A conflicting line as read, from its record, which keeps it when there is a
                /// rejects file (an invalid line has no record).
                var conflicting: UnsafeRawBufferPointer?
                switch line.outcome {
                case .invalid(let error):
                    kind = .invalid(error)
                case .record(let start):
                    let record = UnsafeRawBufferPointer(
                        rebasing: records[start..<start + SpoolRecord.size(at: start, in: records)])
                    let event = SpoolRecord.View(record)
                    switch try checker.check(event, reader: reader, spool: &spool) {
                    case .append:
                        try checker.accept(event, offset: try spool.write(record: record))
                        try checker.spillIfFull(spool: &spool)
                        continue
                    case .duplicate:
                        summary.duplicates += 1
                        continue
                    case .conflict(let reason):
                        kind = .conflict(reason)
                        conflicting = event.raw
                    }
                }
                let problem = LineProblem(input: name, line: line.number, kind: kind)
                if let rejects {
                    if let conflicting {
                        try rejects.write(conflicting.assumingMemoryBound(to: UInt8.self))
                    } else {
                        try rejects.write(line.raw)
                    }
                    summary.rejected += 1
                    report(problem)
                } else {
                    problems.add(problem)
                }
            }
        }
    }

    static func displayName(_ path: String) -> String { path == "-" ? "<stdin>" : path }
}

/// The bad lines of a checked input: counted by kind, the first few kept for the message.
private struct CheckProblems {
    var listed: [LineProblem] = []
    var invalid = 0
    var conflicts = 0

    mutating func add(_ problem: LineProblem) {
        if case .invalid = problem.kind { invalid += 1 } else { conflicts += 1 }
        if listed.count < Appender.listedProblems { listed.append(problem) }
    }
}
