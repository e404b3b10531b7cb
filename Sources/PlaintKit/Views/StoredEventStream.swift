import PlaintEvents
import PlaintLog

/// Reads the log's events on another thread, in chunks, so that reading and decoding run on one
/// core while the caller folds on the other (replay).
final class StoredEventStream: Sendable {
    enum Chunk: Sendable {
        case events([StoredEvent])
        case failed(StoreError)
        /// The last position read: the snapshot's head, or `upto`.
        case end(position: UInt64)
    }

    private let handOff: HandOff<Chunk>

    /// Starts reading positions 1...`upto` (all when nil) of one snapshot of `log` at once.
    init(log: EventLog, upto: UInt64?, chunkSize: Int = 4096, depth: Int = 8) {
        handOff = HandOff(depth: depth)
        runOnOwnThread("replay-reader") { [self] in
            produce(log: log, upto: upto, chunkSize: chunkSize)
        }
    }

    func next() -> Chunk { handOff.next() ?? .failed(.io(path: "", reason: "the reader was cancelled")) }

    func cancel() { handOff.cancel() }

    private func produce(log: EventLog, upto: UInt64?, chunkSize: Int) {
        do {
            let last: UInt64 = try log.read { reader in
                let last = min(upto ?? .max, try reader.head().position)
                var events: [StoredEvent] = []
                events.reserveCapacity(chunkSize)
                var decoder = StoredEventDecoder(readsIDs: false)
                var stopped = false
                try reader.forEachRecord { record in
                    guard record.position <= last else { return false }
                    events.append(try decoder.decode(record))
                    if events.count == chunkSize {
                        guard push(.events(events)) else {
                            stopped = true
                            return false
                        }
                        events.removeAll(keepingCapacity: true)
                    }
                    return true
                }
                if !stopped, !events.isEmpty { _ = push(.events(events)) }
                return last
            }
            _ = push(.end(position: last))
        } catch let error as StoreError {
            _ = push(.failed(error))
        } catch {
            _ = push(.failed(.io(path: log.path, reason: "\(error)")))
        }
    }

    private func push(_ chunk: Chunk) -> Bool { handOff.push(chunk) }
}

/// Turns a stored record into a `StoredEvent`: the fast scanner first, the full parser when the
/// scanner declines (and to name the position of a body that no longer parses).
struct StoredEventDecoder {
    private var scanner: CanonicalEventScanner
    private var reader = StoredEventReader()

    /// - Parameter readsIDs: false leaves `id` empty (folds do not need it).
    init(readsIDs: Bool = true) { scanner = CanonicalEventScanner(readsID: readsIDs) }

    mutating func decode(_ record: RecordView) throws -> StoredEvent {
        try record.canonical.withMemoryRebound(to: UInt8.self) { body in
            if let event = scanner.scan(position: record.position, canonical: body) { return event }
            do {
                var event = try reader.read(position: record.position, canonical: body)
                if !scanner.readsID { event.id = [] }
                return event
            } catch {
                throw StoreError.corrupt(position: record.position, reason: "the stored event does not parse")
            }
        }
    }
}
