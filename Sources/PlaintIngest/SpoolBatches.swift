import PlaintEvents
import PlaintLog
import PlaintSystem

/// Decodes a spool into batches of events on another thread, linking each event's chain hash,
/// so that this runs on one core while the caller writes the previous batch on the other.
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

    private let handOff = HandOff<Chunk>(depth: 3)
    private let finished = RecycleBin<[PreparedEvent]>()

    /// Starts reading at once; the reader's descriptor is closed when it is done.
    /// - Parameter head: the log's head before the first batch: the caller holds the writer
    ///   lock, so every event is linked after it.
    init(_ reader: SpoolReader, batchSize: Int, after head: LogHead) {
        runOnOwnThread("append-spool") { [self] in produce(reader, batchSize: batchSize, after: head) }
    }

    /// The next batch, waiting for it; `.end` or `.failed` comes last.
    func next() -> Chunk { handOff.next() ?? .end }

    /// Hands back a batch the caller has written, for the decoding thread to free.
    func recycle(_ batch: consuming Batch) { finished.put(batch.events) }

    /// Stops the reader early (the caller gave up).
    func cancel() { handOff.cancel() }

    private func produce(_ reader: SpoolReader, batchSize: Int, after head: LogHead) {
        var reader = reader
        defer { reader.close() }
        do {
            var batch = Batch(events: [], links: ChainLinks(after: head))
            batch.events.reserveCapacity(batchSize)
            while let entry = try reader.next() {
                batch.links.link(canonical: entry.event.canonical)
                batch.events.append(entry.event)
                if batch.events.count == batchSize {
                    let next = ChainLinks(after: batch.links.last)
                    guard handOff.push(.events(batch)) else { return }
                    batch.events.removeAll(keepingCapacity: true)
                    batch.links = next
                    finished.empty()
                }
            }
            if !batch.events.isEmpty, !handOff.push(.events(batch)) { return }
            _ = handOff.push(.end)
        } catch {
            _ = handOff.push(.failed(error))
        }
    }
}
