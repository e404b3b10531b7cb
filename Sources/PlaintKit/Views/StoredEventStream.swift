import PlaintEvents
import PlaintLog

/// Reads the log's events on another thread, in chunks, so that reading, decoding and numbering
/// run on one core while the caller folds on the other (replay).
final class StoredEventStream: Sendable {
    enum Chunk: Sendable {
        /// Events numbered by the reader, after the names first numbered among them.
        case events(NewNames, [NumberedEvent])
        case failed(StoreError)
        /// The last position read (the snapshot's head, or `upto`) and the numbering of every
        /// event read.
        case end(position: UInt64, numbering: EventNumbering)
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
            var numbering = EventNumbering()
            let last: UInt64 = try log.read { reader in
                let last = min(upto ?? .max, try reader.head().position)
                var events: [NumberedEvent] = []
                events.reserveCapacity(chunkSize)
                var decoder = NumberingDecoder()
                var stopped = false
                try reader.forEachRecord { record in
                    guard record.position <= last else { return false }
                    events.append(try decoder.decode(record, numbering: &numbering))
                    if events.count == chunkSize {
                        guard handOff.push(.events(numbering.takeNewNames(), events)) else {
                            stopped = true
                            return false
                        }
                        events.removeAll(keepingCapacity: true)
                    }
                    return true
                }
                if !stopped, !events.isEmpty { _ = handOff.push(.events(numbering.takeNewNames(), events)) }
                return last
            }
            _ = handOff.push(.end(position: last, numbering: numbering))
        } catch let error as StoreError {
            _ = handOff.push(.failed(error))
        } catch {
            _ = handOff.push(.failed(.io(path: log.path, reason: "\(error)")))
        }
    }
}

/// Turns a stored record into a `NumberedEvent` straight from its bytes when the scanner can
/// (no copies), else through a decoded `StoredEvent`.
struct NumberingDecoder {
    private let scanner = CanonicalEventScanner(readsID: false)
    private var decoder = StoredEventDecoder(readsIDs: false)

    mutating func decode(_ record: RecordView, numbering: inout EventNumbering) throws -> NumberedEvent {
        let canonical = record.canonical
        let fast: NumberedEvent? = canonical.withMemoryRebound(to: UInt8.self) { body in
            guard let scanned = scanner.scan(body), !scanned.hasEscapedParties else { return nil }
            let entry = JourneyEntry(
                position: record.position, occurredAt: scanned.occurredAt.microseconds, type: scanned.type,
                facts: scanned.facts)
            func bytes(_ string: ScannedString) -> UnsafeRawBufferPointer {
                UnsafeRawBufferPointer(rebasing: canonical[string.range])
            }
            return numbering.number(
                entry, caseID: scanned.caseID.map(bytes), customer: bytes(scanned.customer),
                brand: bytes(scanned.brand))
        }
        if let fast { return fast }
        return numbering.number(try decoder.decode(record))
    }
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
