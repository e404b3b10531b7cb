import Glibc
import PlaintIngest
import PlaintLog
import PlaintSystem

/// `plaint import twcs` without `--emit`: the converted events go through `plaint append`'s
/// checked, all-or-nothing path, so an import validates like any input, a conflict writes
/// nothing, and importing the same file again counts every event as a duplicate.
public struct TwcsAppend {
    public let importer: TwcsImport
    public let log: EventLog
    public var sync = true
    public var batchSize = 10_000

    public init(importer: TwcsImport, log: EventLog, sync: Bool = true, batchSize: Int = 10_000) {
        self.importer = importer
        self.log = log
        self.sync = sync
        self.batchSize = batchSize
    }

    /// Converts the file into a temporary NDJSON file beside the store, then appends it.
    /// - Parameters:
    ///   - counts: receives what the passes read, made and skipped, even when the append fails.
    ///   - threads: the first pass's result, consumed: its memory is freed before the append starts.
    ///   - progress: sees the second pass's bytes read and the file's size.
    ///   - appendProgress: sees the append's progress and the number of events it appends.
    /// - Throws: `AppendError`, with problems located in the CSV file rather than the NDJSON.
    public func run(
        _ threads: consuming TwcsThreads, counts: inout TwcsImportCounts,
        progress: (Int64, Int64) -> Void = { _, _ in },
        appendProgress: (Appender.Progress, Int) -> Void = { _, _ in }
    ) throws -> AppendSummary {
        let events = try ConvertedEvents(directory: log.path)
        var fileLines: [Int32] = []
        let output = OutputStream(descriptor: events.descriptor, capacity: 1 << 20)
        try importer.convert(threads, counts: &counts, progress: progress) { line, fileLine in
            try output.write(line)
            fileLines.append(Int32(clamping: fileLine))
        }
        try output.flush()
        _ = consume threads
        let request = AppendRequest(inputs: [events.path], batchSize: batchSize, sync: sync)
        // The file must stay open until the append has read it.
        defer { withExtendedLifetime(events) {} }
        do {
            return try Appender(log: log, request: request).run(progress: { appendProgress($0, fileLines.count) })
        } catch {
            throw locate(error, fileLines)
        }
    }

    /// The same error, its lines named as the CSV rows they came from.
    private func locate(_ error: AppendError, _ fileLines: [Int32]) -> AppendError {
        func located(_ problems: [LineProblem]) -> [LineProblem] {
            problems.map { problem in
                var problem = problem
                problem.input = importer.path
                if problem.line >= 1, problem.line <= fileLines.count {
                    problem.line = Int(fileLines[problem.line - 1])
                }
                return problem
            }
        }
        switch error {
        case .invalidInput(let problems, let total, let committed):
            return .invalidInput(problems: located(problems), total: total, committed: committed)
        case .conflict(let problems, let total, let committed):
            return .conflict(problems: located(problems), total: total, committed: committed)
        case .input, .store:
            return error
        }
    }
}

/// The converted events, in a file that is unlinked as soon as it exists (a crash leaves
/// nothing behind) and read back through `/proc/self/fd`, which Linux opens afresh from the start.
private final class ConvertedEvents {
    let descriptor: Int32
    var path: String { "/proc/self/fd/\(descriptor)" }

    init(directory: String) throws(InputError) {
        var template = Array((directory + "/.import-XXXXXX.ndjson").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 7) }
        guard descriptor >= 0 else {
            throw .unwritable(
                path: directory, reason: "cannot create a temporary file: " + String(cString: strerror(errno)))
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }
}
