import Glibc
import PlaintEvents

/// The two passes of `plaint import twcs` over one file (README, "Importing the Twitter customer-support dataset"). The first pass keeps
/// a few numbers per tweet (`TwcsThreads`), never the rows; the second reads the file again and
/// turns each row into an event or a counted skip. Memory grows with the number of tweets, not
/// with the size of their text.
public struct TwcsImport: Sendable {
    public let path: String
    /// Skip and count rows whose fields are not what the format says, instead of failing.
    public var skipsMalformedRows = false

    /// How many problem rows an error lists before it only counts the rest.
    public static let listedProblems = 20

    public init(path: String, skipsMalformedRows: Bool = false) {
        self.path = path
        self.skipsMalformedRows = skipsMalformedRows
    }

    /// The first pass: every tweet's thread, resolved. Counts the rows read and the malformed
    /// ones, which are an error (listing the first few) unless `skipsMalformedRows`.
    /// - Parameters:
    ///   - reportMalformed: with `skipsMalformedRows`, sees the first few skipped rows.
    ///   - progress: sees the bytes read so far and the file's size, now and then.
    public func readThreads(
        counts: inout TwcsImportCounts, reportMalformed: (TwcsRowProblem) -> Void = { _ in },
        progress: (Int64, Int64) -> Void = { _, _ in }
    ) throws -> TwcsThreads {
        var threads = TwcsThreads()
        var problems: [TwcsRowProblem] = []
        var malformed = 0
        threads.source = try forEachRow(progress: progress) { row, _ in
            counts.rows += 1
            switch row {
            case .success(let tweet):
                threads.add(tweet)
            case .failure(let problem):
                malformed += 1
                if skipsMalformedRows {
                    if malformed <= Self.listedProblems { reportMalformed(problem) }
                } else if problems.count < Self.listedProblems {
                    problems.append(problem)
                }
            }
        }
        if malformed > 0, !skipsMalformedRows { throw TwcsImportError.malformedRows(problems, total: malformed) }
        if malformed > 0 { counts.skipped[.malformed] = malformed }
        threads.resolve()
        return threads
    }

    /// The second pass: hands each event, as one NDJSON line ending in a line feed, to `emit`
    /// with the file line its row starts on; counts events by type and skipped rows by reason.
    public func convert(
        _ threads: TwcsThreads, counts: inout TwcsImportCounts, progress: (Int64, Int64) -> Void = { _, _ in },
        emit: (_ line: [UInt8], _ fileLine: Int) throws -> Void
    ) throws {
        var line: [UInt8] = []
        line.reserveCapacity(4096)
        let source = try forEachRow(progress: progress) { row, fileLine in
            // The first pass counted the malformed rows.
            guard case .success(let tweet) = row else { return }
            switch TwcsEvents.event(for: tweet, in: threads) {
            case .success(let event):
                line.removeAll(keepingCapacity: true)
                event.json.write(into: &line)
                line.append(0x0A)
                counts.events[event.type, default: 0] += 1
                if let destination = event.redirectedTo { counts.redirects[destination.rawValue, default: 0] += 1 }
                try emit(line, fileLine)
            case .failure(let skip):
                counts.skipped[skip.reason, default: 0] += 1
            }
        }
        // Events from two different versions of a file would not be one consistent import.
        if let first = threads.source, first != source { throw TwcsImportError.fileChanged(path: path) }
    }

    /// Reads the header, then hands every data row to `body` as a tweet or what is wrong with
    /// it, with the line it starts on. Returns the file's identity, the same before and after.
    private func forEachRow(
        progress: (Int64, Int64) -> Void, _ body: (Result<TwcsTweet, TwcsRowProblem>, Int) throws -> Void
    ) throws -> FileIdentity {
        var reader = try CSVRecordReader(path: path)
        let identity = FileIdentity(path)
        let size = identity?.size ?? 0
        guard let header = try reader.next() else { throw TwcsImportError.noHeader(path: path) }
        let columns: TwcsColumns
        do {
            columns = try TwcsColumns(header: header)
        } catch {
            throw TwcsImportError.header(path: path, error)
        }
        var rows = 0
        while let fields = try reader.next() {
            rows += 1
            if rows & 0x3FFF == 0 { progress(reader.bytesConsumed, size) }
            let row: Result<TwcsTweet, TwcsRowProblem>
            do {
                row = .success(try columns.tweet(fields))
            } catch {
                row = .failure(TwcsRowProblem(path: path, line: reader.line, problem: error))
            }
            try body(row, reader.line)
        }
        progress(size, size)
        guard let identity, FileIdentity(path) == identity else { throw TwcsImportError.fileChanged(path: path) }
        return identity
    }
}

/// Which file, and which version of it: the twcs passes must read the same bytes.
struct FileIdentity: Equatable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int

    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modifiedSeconds = info.st_mtim.tv_sec
        modifiedNanoseconds = info.st_mtim.tv_nsec
    }
}

/// What an import read, made and skipped (`import twcs --json` prints these).
public struct TwcsImportCounts: Equatable, Sendable {
    /// Data rows read (the header is not counted).
    public var rows = 0
    /// Events made from rows, by type.
    public var events: [EventType: Int] = [:]
    /// Brand replies read as redirects, by destination (`dm`, `email`, `phone`).
    public var redirects: [String: Int] = [:]
    /// Rows that became no event, by reason.
    public var skipped: [TwcsSkip: Int] = [:]

    public init() {}

    public var eventCount: Int { events.values.reduce(0, +) }
    public var skippedCount: Int { skipped.values.reduce(0, +) }
}

/// A row of a twcs file whose fields are not what the format says.
public struct TwcsRowProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var problem: TwcsProblem

    public var description: String { "\(path):\(line): \(problem)" }
}

public enum TwcsImportError: Error, Sendable, CustomStringConvertible {
    case noHeader(path: String)
    case header(path: String, TwcsProblem)
    /// Rows that are not twcs rows; `total` counts them all, the list holds the first few.
    case malformedRows([TwcsRowProblem], total: Int)
    /// The file was replaced or written to while the import read it.
    case fileChanged(path: String)

    public var description: String {
        switch self {
        case .noHeader(let path): "\(path): empty file, no header row"
        case .header(let path, let problem): "\(path):1: \(problem)"
        case .fileChanged(let path):
            "\(path): the file changed while plaint read it; nothing was appended (with --emit, the events printed are incomplete)"
        case .malformedRows(let problems, let total):
            (problems.map(\.description) + (total > problems.count ? ["... and \(total - problems.count) more"] : []))
                .joined(separator: "\n")
        }
    }
}
