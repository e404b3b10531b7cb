import PlaintEvents
import PlaintLog
import PlaintSystem

/// `append --stream`: commits as lines arrive, every `streamBatchSize` events or once the
/// oldest waiting event is `streamInterval` old, whichever comes first.
///
/// Each commit is one transaction. A bad line (without `--rejects`) stops the command: the lines
/// before it are committed, nothing from it on is.
struct StreamingAppend {
    let log: EventLog
    let request: AppendRequest
    let rejects: RejectsFile?
    let report: (LineProblem) -> Void
    private(set) var summary = AppendSummary()

    /// Events read but not yet committed, with where they came from.
    private var pending: [PreparedEvent] = []
    private var origins: [(input: String, line: Int, raw: [UInt8])] = []

    init(log: EventLog, request: AppendRequest, rejects: RejectsFile?, report: @escaping (LineProblem) -> Void) {
        self.log = log
        self.request = request
        self.rejects = rejects
        self.report = report
    }

    mutating func run() throws {
        var preparer = EventPreparer()
        for path in request.inputs {
            var lines = try LineReader(path: path)
            var deadline: UInt64?
            reading: while true {
                switch try lines.next(deadline: deadline) {
                case .end:
                    break reading
                case .timedOut:
                    try commit()
                    deadline = nil
                case .tooLong(let number):
                    let problem = LineProblem(
                        input: lines.name, line: number, kind: .invalid(PreparedLines.tooLongProblem))
                    try reject(problem) {
                        var line = lines.withLine { $0.bytes }
                        try lines.readRestOfLine { (piece) throws(InputError) in line.append(contentsOf: piece) }
                        return line
                    }
                case .line(let number):
                    let prepared = lines.withLine { line in
                        Result { () throws(EventValidationError) in try preparer.prepare(line) }
                    }
                    let event: PreparedEvent
                    switch prepared {
                    case .success(let prepared): event = prepared
                    case .failure(let error):
                        try reject(LineProblem(input: lines.name, line: number, kind: .invalid(error))) {
                            lines.withLine { $0.bytes }
                        }
                        continue
                    }
                    pending.append(event)
                    origins.append((lines.name, number, rejects == nil ? [] : lines.withLine { $0.bytes }))
                    if pending.count == 1 { deadline = monotonicNanoseconds() + request.streamIntervalNanoseconds }
                    if pending.count >= request.streamBatchSize {
                        try commit()
                        deadline = nil
                    }
                }
            }
            try commit()
        }
    }

    /// A bad line: written to the rejects file (its bytes from `line`) and counted; without one,
    /// the events before it are committed and the problem thrown.
    private mutating func reject(_ problem: LineProblem, line: () throws -> [UInt8]) throws {
        guard let rejects else {
            try commit()
            throw AppendError.invalidInput(problems: [problem], total: 1, committed: summary)
        }
        try rejects.write(try line())
        summary.rejected += 1
        report(problem)
    }

    /// Commits the pending events in one transaction. A conflicting event is moved to the rejects
    /// file (with `--rejects`) and the rest retried; without, the events before it are committed
    /// and the conflict is thrown.
    private mutating func commit() throws {
        while !pending.isEmpty {
            do {
                let batch = pending
                summary.record(try log.exclusively { try log.append(batch) })
                try rejects?.sync()
                pending.removeAll(keepingCapacity: true)
                origins.removeAll(keepingCapacity: true)
            } catch let error as StoreError {
                let index: Int
                switch error {
                case .idConflict(let at, _, _), .versionConflict(let at, _, _, _): index = at
                default: throw error
                }
                let origin = origins[index]
                let problem = LineProblem(input: origin.input, line: origin.line, kind: .conflict(error.description))
                if let rejects {
                    try rejects.write(origin.raw)
                    summary.rejected += 1
                    report(problem)
                    pending.remove(at: index)
                    origins.remove(at: index)
                    continue
                }
                let before = Array(pending[..<index])
                if !before.isEmpty { summary.record(try log.exclusively { try log.append(before) }) }
                pending.removeAll()
                origins.removeAll()
                throw AppendError.conflict(problems: [problem], total: 1, committed: summary)
            }
        }
    }
}
