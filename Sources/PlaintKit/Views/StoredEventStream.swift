import PlaintEvents
import PlaintLog

/// Reads the log's events on another thread, in chunks, for replay's fold on the caller's.
///
/// The reader decodes (scans) a chunk itself while the folder is busy; when the folder has
/// nothing queued it hands the chunk over as stored, copied, for the folder to decode. So
/// decoding, the bulk of the work, is shared between the two cores as they have time.
final class StoredEventStream: Sendable {
    enum Chunk: Sendable {
        case scanned(ScannedChunk)
        case stored(StoredChunk)
        case failed(StoreError)
        /// The last position read: the snapshot's head, or `upto`.
        case end(position: UInt64)
    }

    /// Who decodes a chunk.
    enum Sharing: Sendable {
        /// The folder when it has nothing queued, else the reader.
        case balanced
        /// Always the reader, or always the folder (for tests of each path).
        case reader, folder
    }

    private let handOff: HandOff<Chunk>
    private let sharing: Sharing

    /// Starts reading positions 1...`upto` (all when nil) of one snapshot of `log` at once.
    init(log: EventLog, upto: UInt64?, chunkSize: Int = 2048, depth: Int = 8, sharing: Sharing = .balanced) {
        handOff = HandOff(depth: depth)
        self.sharing = sharing
        runOnOwnThread("replay-reader") { [self] in
            produce(log: log, upto: upto, chunkSize: chunkSize)
        }
    }

    /// Whether the chunk about to be read goes to the folder undecoded.
    private var handsOver: Bool {
        switch sharing {
        case .balanced: handOff.waiting == 0
        case .reader: false
        case .folder: true
        }
    }

    func next() -> Chunk { handOff.next() ?? .failed(.io(path: "", reason: "the reader was cancelled")) }

    func cancel() { handOff.cancel() }

    private func produce(log: EventLog, upto: UInt64?, chunkSize: Int) {
        do {
            let last: UInt64 = try log.read { reader in
                let last = min(upto ?? .max, try reader.head().position)
                var decoder = StoredEventDecoder(readsIDs: false)
                var scanned = ScannedChunk()
                var stored = StoredChunk()
                var count = 0
                var handsOver = false
                var stopped = false
                try reader.forEachRecord { record in
                    guard record.position <= last else { return false }
                    // Each chunk: decode it here while the folder has work queued, else let it.
                    if count == 0 { handsOver = self.handsOver }
                    if handsOver {
                        stored.append(record)
                    } else {
                        try scanned.append(record, decoder: &decoder)
                    }
                    count += 1
                    guard count == chunkSize else { return true }
                    count = 0
                    guard flush(&scanned, &stored) else {
                        stopped = true
                        return false
                    }
                    return true
                }
                if !stopped { _ = flush(&scanned, &stored) }
                return last
            }
            _ = handOff.push(.end(position: last))
        } catch let error as StoreError {
            _ = handOff.push(.failed(error))
        } catch {
            _ = handOff.push(.failed(.io(path: log.path, reason: "\(error)")))
        }
    }

    /// Queues whichever chunk holds events; false once cancelled.
    private func flush(_ scanned: inout ScannedChunk, _ stored: inout StoredChunk) -> Bool {
        if !scanned.isEmpty {
            defer { scanned = ScannedChunk() }
            return handOff.push(.scanned(scanned))
        }
        if !stored.isEmpty {
            defer { stored = StoredChunk() }
            return handOff.push(.stored(stored))
        }
        return true
    }
}

/// Events the reader decoded: each one's journey entry and the bytes of its case id, customer
/// and brand, end to end in `names`.
struct ScannedChunk: Sendable {
    private var entries: [JourneyEntry] = []
    /// Per event, where its case id, customer and brand end in `names`; it starts where the
    /// previous event's brand ends. `caseEnd` is -1 for an event without a case.
    private var ends: [(caseEnd: Int32, customerEnd: Int32, brandEnd: Int32)] = []
    private var names: [UInt8] = []
    private let scanner = CanonicalEventScanner(readsID: false)

    var isEmpty: Bool { entries.isEmpty }
    var lastPosition: UInt64? { entries.last?.position }

    mutating func append(_ record: RecordView, decoder: inout StoredEventDecoder) throws {
        let canonical = record.canonical
        let scanned = canonical.withMemoryRebound(to: UInt8.self) { scanner.scan($0) }
        if let scanned, !scanned.hasEscapedParties {
            entries.append(
                JourneyEntry(
                    position: record.position, occurredAt: scanned.occurredAt.microseconds, type: scanned.type,
                    facts: scanned.facts))
            let caseEnd: Int32
            if let caseID = scanned.caseID {
                names.append(contentsOf: canonical[caseID.range])
                caseEnd = Int32(names.count)
            } else {
                caseEnd = -1
            }
            names.append(contentsOf: canonical[scanned.customer.range])
            let customerEnd = Int32(names.count)
            names.append(contentsOf: canonical[scanned.brand.range])
            ends.append((caseEnd, customerEnd, Int32(names.count)))
        } else {
            let event = try decoder.decode(record)
            entries.append(JourneyEntry(event))
            var caseEnd: Int32 = -1
            if let caseID = event.caseID {
                names.append(contentsOf: caseID)
                caseEnd = Int32(names.count)
            }
            names.append(contentsOf: event.customer)
            let customerEnd = Int32(names.count)
            names.append(contentsOf: event.brand)
            ends.append((caseEnd, customerEnd, Int32(names.count)))
        }
    }

    func fold(into projection: inout JourneyProjection) {
        names.withUnsafeBytes { names in
            var start = 0
            for (entry, end) in zip(entries, ends) {
                let customerStart = end.caseEnd < 0 ? start : Int(end.caseEnd)
                let caseID = end.caseEnd < 0 ? nil : UnsafeRawBufferPointer(rebasing: names[start..<customerStart])
                projection.apply(
                    entry, caseID: caseID,
                    customer: UnsafeRawBufferPointer(rebasing: names[customerStart..<Int(end.customerEnd)]),
                    brand: UnsafeRawBufferPointer(rebasing: names[Int(end.customerEnd)..<Int(end.brandEnd)]))
                start = Int(end.brandEnd)
            }
        }
    }
}

/// Events as stored, copied for the folding thread to decode.
struct StoredChunk: Sendable {
    private var positions: [UInt64] = []
    private var ends: [Int] = []
    private var bodies: [UInt8] = []

    var isEmpty: Bool { positions.isEmpty }
    var lastPosition: UInt64? { positions.last }

    mutating func append(_ record: RecordView) {
        positions.append(record.position)
        bodies.append(contentsOf: record.canonical)
        ends.append(bodies.count)
    }

    func fold(
        into projection: inout JourneyProjection, scanner: CanonicalEventScanner, reader: inout StoredEventReader
    ) throws {
        try bodies.withUnsafeBufferPointer { bodies in
            var start = 0
            for (position, end) in zip(positions, ends) {
                let body = UnsafeBufferPointer(rebasing: bodies[start..<end])
                start = end
                let raw = UnsafeRawBufferPointer(body)
                if let scanned = scanner.scan(body), !scanned.hasEscapedParties {
                    let entry = JourneyEntry(
                        position: position, occurredAt: scanned.occurredAt.microseconds, type: scanned.type,
                        facts: scanned.facts)
                    projection.apply(
                        entry, caseID: scanned.caseID.map { UnsafeRawBufferPointer(rebasing: raw[$0.range]) },
                        customer: UnsafeRawBufferPointer(rebasing: raw[scanned.customer.range]),
                        brand: UnsafeRawBufferPointer(rebasing: raw[scanned.brand.range]))
                } else {
                    do {
                        projection.apply(try reader.read(position: position, canonical: body))
                    } catch {
                        throw StoreError.corrupt(position: position, reason: "the stored event does not parse")
                    }
                }
            }
        }
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
