import PlaintEvents
import PlaintLog
import PlaintSystem

/// What `plaint append` is asked to do.
public struct AppendRequest: Sendable {
    public static let defaultBatchSize = 2_500

    /// Input paths; `-` is standard input.
    public var inputs: [String]
    /// Where bad lines go instead of failing the whole input.
    public var rejectsPath: String?
    /// Commit as lines arrive (every `streamBatchSize` events or `streamInterval`) instead of
    /// checking the whole input first.
    public var stream: Bool
    public var streamBatchSize: Int
    public var streamIntervalNanoseconds: UInt64
    /// Events per write transaction when appending a checked input: exactly, or at most when
    /// `adaptsBatchSize` (fewer while a transaction would take the resident set past the
    /// writing's peak, see `BatchLimiter`).
    public var batchSize: Int
    public var adaptsBatchSize: Bool
    /// fsync every commit (the default), or only once at the end.
    public var sync: Bool
    /// Accepted events the check keeps in memory before its tables spill to disk (nil: the
    /// default, 1,500,000). Tests set it low to make small inputs spill.
    public var checkTableLimit: Int?

    public init(
        inputs: [String], rejectsPath: String? = nil, stream: Bool = false, streamBatchSize: Int = 1000,
        streamIntervalNanoseconds: UInt64 = 1_000_000_000, batchSize: Int? = nil, sync: Bool = true
    ) {
        self.inputs = inputs.isEmpty ? ["-"] : inputs
        self.rejectsPath = rejectsPath
        self.stream = stream
        self.streamBatchSize = streamBatchSize
        self.streamIntervalNanoseconds = streamIntervalNanoseconds
        self.batchSize = batchSize ?? Self.defaultBatchSize
        adaptsBatchSize = batchSize == nil
        self.sync = sync
    }
}

/// Counts of what an append did (`append --json` prints these names).
public struct AppendSummary: Equatable, Sendable {
    public var appended = 0
    public var duplicates = 0
    public var rejected = 0
    public var firstPosition: UInt64?
    public var lastPosition: UInt64?

    public init() {}

    mutating func record(_ results: [AppendResult]) {
        for result in results {
            switch result {
            case .appended(let position, _):
                appended += 1
                if firstPosition == nil { firstPosition = position }
                lastPosition = position
            case .duplicate:
                duplicates += 1
            }
        }
    }
}

/// One input line that cannot be appended, located by file and line number.
public struct LineProblem: Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        case invalid(EventValidationError)
        case conflict(String)
    }

    public var input: String
    public var line: Int
    public var kind: Kind

    public init(input: String, line: Int, kind: Kind) {
        self.input = input
        self.line = line
        self.kind = kind
    }

    public var description: String {
        switch kind {
        case .invalid(let error): "\(input):\(line): \(error)"
        case .conflict(let reason): "\(input):\(line): \(reason)"
        }
    }
}

/// Why an append stopped. `committed` says what was stored before it (always nothing unless
/// `--stream` was given).
public enum AppendError: Error, Sendable {
    /// Lines that are not valid events; `total` counts them all, `problems` lists the first few.
    case invalidInput(problems: [LineProblem], total: Int, committed: AppendSummary)
    /// Ids stored with other content, or `expect_version` mismatches.
    case conflict(problems: [LineProblem], total: Int, committed: AppendSummary)
    case input(InputError, committed: AppendSummary)
    case store(StoreError, committed: AppendSummary)

    public var committed: AppendSummary {
        switch self {
        case .invalidInput(_, _, let committed), .conflict(_, _, let committed), .input(_, let committed),
            .store(_, let committed):
            committed
        }
    }
}
