import Dispatch
import PlaintEvents
import PlaintSystem
import Synchronization

/// Reads an input's lines on one thread and prepares them (parses, validates and canonicalizes
/// them) on `workers` others, handing them to the caller in input order, in chunks, as spool
/// records (`SpoolRecord`).
///
/// Preparing is the costliest step of an append, several times the cost of reading and of
/// checking; with two preparers the caller's checking and storing keep both cores busy. The
/// workers take chunks from one queue, so none waits while another falls behind, and the
/// caller takes them back in input order (`ReorderBuffer`). Memory stays bounded: at most
/// `depth` chunks are in flight, queued, being prepared or waiting for the caller.
final class PreparedLines: Sendable {
    /// Prepared lines, their events written as spool records into one buffer: a chunk of 512
    /// events is two allocations, not five per event.
    struct Lines: Sendable {
        /// The valid lines' `SpoolRecord`s, back to back.
        var records: [UInt8] = []
        var lines: [Line] = []
        /// About how many bytes of the input the chunk covers (its lines and their line ends),
        /// for progress through a file of known size.
        var inputBytes = 0
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
        /// Indexes of lines longer than `LineReader.maximumLineLength`: bad lines, whose bytes
        /// are kept whole only when a rejects file may need them.
        var tooLong: Set<Int> = []
    }

    /// Why a line longer than the limit is refused: one more bad line, named like the others.
    static let tooLongProblem = EventValidationError(
        field: nil,
        message: "line longer than \(LineReader.maximumLineLength) bytes (one event per line, at most 1 MiB)")

    /// A chunk to prepare, with its place in the input; nil tells a worker to stop.
    private let work: HandOff<(sequence: Int, lines: RawLines)?>
    /// Prepared chunks, with the worker that prepared each (to free it).
    private let results = ReorderBuffer<(worker: Int, chunk: Chunk)>()
    /// One permit per chunk in flight: the reader takes one per chunk, the caller gives it back.
    private let permits = DispatchSemaphore(value: 0)
    private let cancelled = Atomic<Bool>(false)
    /// The sequence of the next chunk for the caller, and the worker that prepared the last
    /// one. Only the caller's thread reads and writes them, so a load and a store suffice.
    private let nextSequence = Atomic<Int>(0)
    private let lastWorker = Atomic<Int>(0)
    /// Chunks the caller is done with, for the worker that prepared them to free.
    private let finished: [RecycleBin<Lines>]

    /// Starts reading `path` (`-` for standard input) at once; `input` goes into each record.
    init(path: String, input: Int = 0, keepRaw: Bool, chunkSize: Int = 512, workers: Int = 2, depth: Int = 16) {
        work = HandOff(depth: depth)
        finished = (0..<workers).map { _ in RecycleBin() }
        // Counted up from 0 (see `HandOff.init`).
        for _ in 0..<depth { permits.signal() }
        runOnOwnThread("append-reader") { [self] in
            read(path: path, chunkSize: chunkSize, workers: workers, keepRaw: keepRaw)
        }
        for worker in 0..<workers {
            runOnOwnThread("append-preparer-\(worker)") { [self] in
                prepare(worker: worker, input: input, keepRaw: keepRaw)
            }
        }
    }

    /// The next chunk, waiting for it; `.end` or `.failed` comes last.
    func next() -> Chunk {
        let sequence = nextSequence.load(ordering: .relaxed)
        guard let (worker, chunk) = results.take(sequence) else { return .end }
        nextSequence.store(sequence + 1, ordering: .relaxed)
        lastWorker.store(worker, ordering: .relaxed)
        permits.signal()
        return chunk
    }

    /// Hands back the chunk last returned by `next()`, for its worker to free. Optional: a chunk
    /// not handed back is freed by the caller as usual.
    func recycle(_ lines: consuming Lines) {
        finished[lastWorker.load(ordering: .relaxed)].put(lines)
    }

    /// Stops the reader and the workers early (the consumer gave up).
    func cancel() {
        guard !cancelled.exchange(true, ordering: .relaxed) else { return }
        work.cancel()
        results.cancel()
        permits.signal()
    }

    private func read(path: String, chunkSize: Int, workers: Int, keepRaw: Bool) {
        var sequence = 0
        defer {
            for _ in 0..<workers { _ = work.push(nil) }
        }
        /// Queues a chunk once a permit is free; false once cancelled.
        func send(_ raw: RawLines) -> Bool {
            permits.wait()
            guard !cancelled.load(ordering: .relaxed), work.push((sequence, raw)) else {
                permits.signal()
                return false
            }
            sequence += 1
            return true
        }
        do {
            var reader = try LineReader(path: path)
            var raw = RawLines()
            reading: while true {
                switch try reader.next() {
                case .end, .timedOut:
                    break reading
                case .line(let number):
                    reader.withLine { raw.bytes.append(contentsOf: $0) }
                    raw.numbers.append(number)
                case .tooLong(let number):
                    raw.tooLong.insert(raw.numbers.count)
                    raw.numbers.append(number)
                    if keepRaw {
                        reader.withLine { raw.bytes.append(contentsOf: $0) }
                        try reader.readRestOfLine { (piece) throws(InputError) in raw.bytes.append(contentsOf: piece) }
                    }
                }
                raw.ends.append(raw.bytes.count)
                if raw.numbers.count == chunkSize {
                    guard send(raw) else { return }
                    raw = RawLines()
                }
            }
            if !raw.numbers.isEmpty {
                guard send(raw) else { return }
            }
            results.put((0, .end), at: sequence)
        } catch {
            results.put((0, .failed(error)), at: sequence)
        }
    }

    private func prepare(worker: Int, input: Int, keepRaw: Bool) {
        var preparer = EventPreparer()
        // nil from the queue: cancelled; a nil item: the input is done.
        while let item = work.next(), let chunk = item {
            finished[worker].empty()
            let lines = Self.prepare(chunk.lines, input: input, with: &preparer, keepRaw: keepRaw)
            results.put((worker, .lines(lines)), at: chunk.sequence)
        }
    }

    private static func prepare(_ raw: RawLines, input: Int, with preparer: inout EventPreparer, keepRaw: Bool)
        -> Lines
    {
        var prepared = Lines()
        prepared.inputBytes = raw.bytes.count + raw.numbers.count
        // A record is the line plus about 100 bytes.
        prepared.records.reserveCapacity(raw.bytes.count + raw.bytes.count / 2)
        prepared.lines.reserveCapacity(raw.numbers.count)
        raw.bytes.withUnsafeBufferPointer { bytes in
            var start = 0
            for (index, (number, end)) in zip(raw.numbers, raw.ends).enumerated() {
                let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
                let outcome: Line.Outcome
                if !raw.tooLong.isEmpty, raw.tooLong.contains(index) {
                    prepared.lines.append(Line(number: number, outcome: .invalid(tooLongProblem), raw: Array(line)))
                    start = end
                    continue
                }
                do throws(EventValidationError) {
                    let parts = try preparer.prepareParts(line.span)
                    outcome = .record(at: prepared.records.count)
                    SpoolRecord.append(
                        parts, raw: keepRaw ? line : nil, input: input, line: number, to: &prepared.records)
                } catch {
                    outcome = .invalid(error)
                }
                // A valid line's record holds its text if needed; only an invalid one needs a copy.
                let isInvalid = if case .invalid = outcome { true } else { false }
                prepared.lines.append(
                    Line(number: number, outcome: outcome, raw: keepRaw && isInvalid ? Array(line) : []))
                start = end
            }
        }
        return prepared
    }
}
