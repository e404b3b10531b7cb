import PlaintEvents
import PlaintLog
import PlaintSystem

/// Decodes a spool into batches of events and links each event's chain hash, on two threads of
/// their own, so that this runs beside the caller, which writes the previous batches.
///
/// The two steps are apart because the caller waits for a whole transaction's batches before it
/// writes them: while it waits, the other core decodes the next batch as this one's events are
/// hashed (the chain is a sequence, hashed on one thread; decoding is not).
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

    /// Decoded, not yet linked.
    private enum Decoded: Sendable {
        case events([PreparedEvent])
        case failed(InputError)
    }

    /// Few batches wait between the steps and for the caller: the memory they hold counts in
    /// the size of the caller's transactions (`BatchLimiter`).
    private let decoded = HandOff<Decoded>(depth: 1)
    private let handOff = HandOff<Chunk>(depth: 2)
    private let finished = RecycleBin<[PreparedEvent]>()

    /// Starts reading at once; the reader's descriptor is closed when it is done.
    /// - Parameter head: the log's head before the first batch: the caller holds the writer
    ///   lock, so every event is linked after it.
    init(_ reader: SpoolReader, batchSize: Int, after head: LogHead) {
        runOnOwnThread("append-spool") { [self] in decode(reader, batchSize: batchSize) }
        runOnOwnThread("append-links") { [self] in link(after: head) }
    }

    /// The next batch, waiting for it; `.end` or `.failed` comes last.
    func next() -> Chunk { handOff.next() ?? .end }

    /// Hands back a batch the caller has written, for the decoding thread to free.
    func recycle(_ batch: consuming Batch) { finished.put(batch.events) }

    /// Stops both threads early (the caller gave up).
    func cancel() {
        handOff.cancel()
        decoded.cancel()
    }

    private func decode(_ reader: SpoolReader, batchSize: Int) {
        var reader = reader
        defer { reader.close() }
        do {
            var events: [PreparedEvent] = []
            events.reserveCapacity(batchSize)
            while let entry = try reader.next() {
                events.append(entry.event)
                if events.count == batchSize {
                    guard decoded.push(.events(events)) else { return }
                    events = []
                    events.reserveCapacity(batchSize)
                    finished.empty()
                }
            }
            if !events.isEmpty, !decoded.push(.events(events)) { return }
        } catch {
            _ = decoded.push(.failed(error))
        }
        // The end: the linking thread finds the queue cancelled once it has drained it.
        decoded.cancel()
    }

    private func link(after head: LogHead) {
        var last = head
        while let chunk = decoded.next() {
            switch chunk {
            case .events(let events):
                var links = ChainLinks(after: last)
                for event in events { links.link(canonical: event.canonical) }
                last = links.last
                guard handOff.push(.events(Batch(events: events, links: links))) else {
                    decoded.cancel()
                    return
                }
            case .failed(let error):
                _ = handOff.push(.failed(error))
                decoded.cancel()
                return
            }
        }
        _ = handOff.push(.end)
    }
}
