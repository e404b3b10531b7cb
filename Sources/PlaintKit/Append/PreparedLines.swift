import PlaintEvents
import Synchronization

/// Reads an input's lines on one thread and prepares them (parses and validates them) on
/// `workers` others, handing them to the caller in input order, in chunks. Their canonical form
/// is written later, when they are read back from the spool to be stored (`SpoolRecord`).
///
/// Preparing is the costliest step of an append, several times the cost of reading and of
/// checking; with two preparers the caller's checking and storing keep both cores busy. Chunk
/// `n` goes to worker `n % workers` and is taken back from it in turn, so the order needs no
/// sorting. Memory stays bounded: at most `depth` chunks wait in each queue.
final class PreparedLines: Sendable {
    /// Prepared lines, their events written as spool records into one buffer: a chunk of 512
    /// events is two allocations, not five per event.
    struct Lines: Sendable {
        /// The valid lines' `SpoolRecord`s, back to back.
        var records: [UInt8] = []
        var lines: [Line] = []
    }

    struct Line: Sendable {
        enum Outcome: Sendable {
            /// The record's offset in `Lines.records`.
            case record(at: Int)
            case invalid(EventValidationError)
        }

        let number: Int
        let outcome: Outcome
        /// An invalid line as read, kept only when a rejects file may need it (a valid line's
        /// record holds its text).
        let raw: [UInt8]
    }

    enum Chunk: Sendable {
        case lines(Lines)
        case failed(InputError)
        case end
    }

    /// Lines as read, copied out of the reader's buffer: `bytes` holds them back to back.
    private struct RawLines: Sendable {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        var numbers: [Int] = []
    }

    private enum Work: Sendable {
        case lines(RawLines)
        case failed(InputError)
        case end
    }

    private let work: [HandOff<Work>]
    private let results: [HandOff<Chunk>]
    /// The worker whose result comes next. Only the caller's thread reads and advances it, so a
    /// load and a store suffice.
    private let turn = Atomic<Int>(0)
    /// Chunks the caller is done with, for the worker that prepared them to free.
    private let finished: [RecycleBin<Lines>]

    /// Starts reading `path` (`-` for standard input) at once; `input` goes into each record.
    init(path: String, input: Int = 0, keepRaw: Bool, chunkSize: Int = 512, workers: Int = 2, depth: Int = 4) {
        work = (0..<workers).map { _ in HandOff(depth: depth) }
        results = (0..<workers).map { _ in HandOff(depth: depth) }
        finished = (0..<workers).map { _ in RecycleBin() }
        runOnOwnThread("append-reader") { [self] in read(path: path, chunkSize: chunkSize) }
        for worker in 0..<workers {
            runOnOwnThread("append-preparer-\(worker)") { [self] in
                prepare(worker: worker, input: input, keepRaw: keepRaw)
            }
        }
    }

    /// The next chunk, waiting for it; `.end` or `.failed` comes last.
    func next() -> Chunk {
        let worker = turn.load(ordering: .relaxed)
        turn.store((worker + 1) % results.count, ordering: .relaxed)
        return results[worker].next() ?? .end
    }

    /// Hands back the chunk last returned by `next()`, for its worker to free. Optional: a chunk
    /// not handed back is freed by the caller as usual.
    func recycle(_ lines: consuming Lines) {
        let worker = (turn.load(ordering: .relaxed) + results.count - 1) % results.count
        finished[worker].put(lines)
    }

    /// Stops the reader and the workers early (the consumer gave up).
    func cancel() {
        for queue in work { queue.cancel() }
        for queue in results { queue.cancel() }
    }

    private func read(path: String, chunkSize: Int) {
        var sequence = 0
        defer {
            // Every worker stops at its `.end`; the caller sees only the one whose turn it is.
            for queue in work { _ = queue.push(.end) }
        }
        do {
            var reader = try LineReader(path: path)
            var raw = RawLines()
            while case .line(let number, let bytes) = try reader.next() {
                raw.bytes.append(contentsOf: bytes)
                raw.ends.append(raw.bytes.count)
                raw.numbers.append(number)
                if raw.numbers.count == chunkSize {
                    guard work[sequence % work.count].push(.lines(raw)) else { return }
                    sequence += 1
                    raw = RawLines()
                }
            }
            if !raw.numbers.isEmpty {
                guard work[sequence % work.count].push(.lines(raw)) else { return }
                sequence += 1
            }
        } catch {
            _ = work[sequence % work.count].push(.failed(error))
        }
    }

    private func prepare(worker: Int, input: Int, keepRaw: Bool) {
        var preparer = EventPreparer()
        while let item = work[worker].next() {
            finished[worker].empty()
            let chunk: Chunk
            switch item {
            case .lines(let raw):
                chunk = .lines(Self.prepare(raw, input: input, with: &preparer, keepRaw: keepRaw))
            case .failed(let error): chunk = .failed(error)
            case .end:
                _ = results[worker].push(.end)
                return
            }
            guard results[worker].push(chunk) else { return }
        }
    }

    private static func prepare(_ raw: RawLines, input: Int, with preparer: inout EventPreparer, keepRaw: Bool)
        -> Lines
    {
        var prepared = Lines()
        // A record is the line plus about 100 bytes.
        prepared.records.reserveCapacity(raw.bytes.count + raw.bytes.count / 2)
        prepared.lines.reserveCapacity(raw.numbers.count)
        raw.bytes.withUnsafeBufferPointer { bytes in
            var start = 0
            for (number, end) in zip(raw.numbers, raw.ends) {
                let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
                let outcome: Line.Outcome
                do throws(EventValidationError) {
                    let parts = try preparer.validateParts(line)
                    outcome = .record(at: prepared.records.count)
                    SpoolRecord.append(parts, text: line, input: input, line: number, to: &prepared.records)
                } catch {
                    outcome = .invalid(error)
                }
                // A valid line's record holds its text; only an invalid one needs a copy.
                let isInvalid = if case .invalid = outcome { true } else { false }
                prepared.lines.append(
                    Line(number: number, outcome: outcome, raw: keepRaw && isInvalid ? Array(line) : []))
                start = end
            }
        }
        return prepared
    }
}
