import PlaintEvents
import PlaintLog

/// Reads a spool back as batches of events ready to store, on other threads while the caller
/// stores the previous batch: each event's canonical form written, and the batch's chain hashes.
///
/// Writing the canonical forms costs more than storing the events, so it runs on `workers`
/// threads: one thread reads the spool's records a batch at a time and gives batch `n` to
/// worker `n % workers`; another takes the batches back from the workers in turn, links their
/// hashes (a chain, so one batch after the other) and hands them to the caller. Memory stays
/// bounded: at most `depth` batches wait in each queue.
final class SpoolBatches: Sendable {
    struct Batch: Sendable {
        var events: [PreparedEvent]
        /// The events' chain hashes, if the log's head is still the one they were linked after.
        var links: ChainLinks
    }

    enum Chunk: Sendable {
        case events(Batch)
        case failed(InputError)
        case end
    }

    /// A batch's records as read, back to back, each with its length.
    private struct Records: Sendable {
        var bytes: [UInt8] = []
        var count = 0
    }

    private enum Work<Item: Sendable>: Sendable {
        case batch(Item)
        case failed(InputError)
        case end
    }

    private let records: [HandOff<Work<Records>>]
    private let decoded: [HandOff<Work<[PreparedEvent]>>]
    private let handOff = HandOff<Chunk>(depth: 3)
    private let finished = RecycleBin<[PreparedEvent]>()

    /// Starts reading at once; the reader's descriptors are closed when it is done.
    /// - Parameter head: the log's head before the first batch: the caller holds the writer
    ///   lock, so every event is linked after it.
    init(_ reader: SpoolReader, batchSize: Int, after head: LogHead, workers: Int = 2, depth: Int = 3) {
        records = (0..<workers).map { _ in HandOff(depth: depth) }
        decoded = (0..<workers).map { _ in HandOff(depth: depth) }
        let directory = reader.directory
        runOnOwnThread("append-spool") { [self] in read(reader, batchSize: batchSize) }
        for worker in 0..<workers {
            runOnOwnThread("append-canonical-\(worker)") { [self] in decode(worker: worker, directory: directory) }
        }
        runOnOwnThread("append-link") { [self] in link(after: head) }
    }

    /// The next batch, waiting for it; `.end` or `.failed` comes last.
    func next() -> Chunk { handOff.next() ?? .end }

    /// Hands back a batch the caller has written, for another thread to free.
    func recycle(_ batch: consuming Batch) { finished.put(batch.events) }

    /// Stops every thread early (the caller gave up).
    func cancel() {
        handOff.cancel()
        for queue in records { queue.cancel() }
        for queue in decoded { queue.cancel() }
    }

    private func read(_ reader: SpoolReader, batchSize: Int) {
        var reader = reader
        defer { reader.close() }
        var sequence = 0
        defer {
            // Every worker stops at its `.end`; the linker sees only the one whose turn it is.
            for queue in records { _ = queue.push(.end) }
        }
        do {
            var batch = Records()
            while try reader.appendNextRecord(to: &batch.bytes) {
                batch.count += 1
                if batch.count == batchSize {
                    guard records[sequence % records.count].push(.batch(batch)) else { return }
                    sequence += 1
                    batch = Records()
                }
            }
            if batch.count > 0 {
                guard records[sequence % records.count].push(.batch(batch)) else { return }
                sequence += 1
            }
        } catch {
            _ = records[sequence % records.count].push(.failed(error))
        }
    }

    private func decode(worker: Int, directory: String) {
        var preparer = EventPreparer()
        while let item = records[worker].next() {
            let result: Work<[PreparedEvent]>
            switch item {
            case .batch(let batch):
                do throws(InputError) {
                    result = .batch(try Self.decode(batch, with: &preparer, directory: directory))
                } catch {
                    result = .failed(error)
                }
            case .failed(let error): result = .failed(error)
            case .end:
                _ = decoded[worker].push(.end)
                return
            }
            guard decoded[worker].push(result) else { return }
        }
    }

    private static func decode(_ batch: Records, with preparer: inout EventPreparer, directory: String)
        throws(InputError) -> [PreparedEvent]
    {
        var events: [PreparedEvent] = []
        events.reserveCapacity(batch.count)
        var start = 0
        while start < batch.bytes.count {
            let size = batch.bytes.withUnsafeBytes { SpoolRecord.size(at: start, in: $0) }
            events.append(
                try SpoolReader.decode(
                    batch.bytes[start + 4..<start + size], canonicalizingWith: &preparer, directory: directory
                ).event)
            start += size
        }
        return events
    }

    private func link(after head: LogHead) {
        var links = ChainLinks(after: head)
        var turn = 0
        while true {
            let item = decoded[turn].next() ?? .end
            turn = (turn + 1) % decoded.count
            finished.empty()
            switch item {
            case .batch(let events):
                for event in events { links.link(canonical: event.canonical) }
                let next = ChainLinks(after: links.last)
                guard handOff.push(.events(Batch(events: events, links: links))) else { return }
                links = next
            case .failed(let error):
                _ = handOff.push(.failed(error))
                return
            case .end:
                _ = handOff.push(.end)
                return
            }
        }
    }
}
