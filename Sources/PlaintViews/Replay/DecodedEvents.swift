import PlaintEvents
import PlaintLog
import PlaintProjections

/// The events of one range of positions, decoded into what replay's fold needs: per event its
/// time, type and facts, a fingerprint of its case id, and its customer and brand bytes.
///
/// Replay decodes the log's halves on two threads into two of these, then gathers each case's
/// events through the log's case index (`CaseAssembly`) instead of looking every event's case
/// up in a table. Nothing here points into the store: the bytes it keeps are copies.
struct DecodedEvents: Sendable {
    /// One event; its position is `first` plus its index.
    struct Event: Sendable {
        var occurredAt: Int64
        /// Where its customer, then its brand, then its source start in `parties`.
        var partiesStart: Int
        var customerLength: UInt16
        var brandLength: UInt16
        /// `DecodedEvents.fingerprint` of its case id; meaningless when `hasCase` is false.
        var caseFingerprint: UInt32
        var type: EventType
        var hasCase: Bool
        /// `EventFacts.packed`.
        var facts: (UInt8, UInt8, UInt8)
        /// `DecodedEvents.noSource` when the event names no source. Last, so that the event
        /// stays 32 bytes.
        var sourceLength: UInt16
    }

    let first: UInt64
    private(set) var events: [Event] = []
    static let noSource = UInt16.max
    /// Customers, brands and sources, end to end.
    private(set) var parties: [UInt8] = []
    /// Indexes in `events` of relationship events (README, "Loyalty, both ways"), in position order.
    private(set) var relationshipIndexes: [Int] = []
    /// How many events name a case: each must be found once in the case index.
    private(set) var casedEvents = 0
    private(set) var latestOccurredAt: Int64?
    /// Every `sampleSpacing`-th case id met, for choosing where to split the case index.
    private(set) var sampledCases: [[UInt8]] = []
    static let sampleSpacing = 4096

    private init(first: UInt64) { self.first = first }

    /// Decodes positions `range` of `reader`'s snapshot, calling `progress` with the count done
    /// every 65,536 events.
    static func decode(
        _ reader: LogReader, positions range: ClosedRange<UInt64>, progress: (UInt64) -> Void = { _ in }
    ) throws -> DecodedEvents {
        var decoded = DecodedEvents(first: range.lowerBound)
        let count = Int(range.upperBound - range.lowerBound + 1)
        decoded.events.reserveCapacity(count)
        decoded.parties.reserveCapacity(count * 24)
        let scanner = CanonicalEventScanner()
        var fullReader = StoredEventReader()
        var expected = range.lowerBound
        try reader.forEachRecord(from: range.lowerBound) { record in
            guard record.position <= range.upperBound else { return false }
            // The fold finds events by position: a hole would shift every later one.
            guard record.position == expected else {
                throw StoreError.corrupt(position: expected, reason: "the log has no record at this position")
            }
            let position = record.position
            try record.withCanonical { bytes in
                try decoded.append(position: position, bytes, scanner: scanner, fullReader: &fullReader)
            }
            expected += 1
            if expected & 0xFFFF == 0 { progress(expected - range.lowerBound) }
            return true
        }
        guard expected == range.upperBound + 1 else {
            throw StoreError.corrupt(position: expected, reason: "the log has no record at this position")
        }
        return decoded
    }

    private mutating func append(
        position: UInt64, _ bytes: Span<UInt8>, scanner: CanonicalEventScanner,
        fullReader: inout StoredEventReader
    ) throws {
        if let scanned = scanner.scan(bytes), !scanned.hasEscapedParties {
            bytes.withUnsafeBytes { raw in
                func string(_ string: ScannedString) -> UnsafeRawBufferPointer {
                    UnsafeRawBufferPointer(rebasing: raw[string.range])
                }
                append(
                    occurredAt: scanned.occurredAt.microseconds, type: scanned.type, facts: scanned.facts,
                    caseID: scanned.caseID.map(string), customer: string(scanned.customer),
                    brand: string(scanned.brand), source: scanned.source.map(string))
            }
            return
        }
        // Escapes in its names, or bytes the scanner declines: the full parser decodes it.
        let event: StoredEvent
        do {
            event = try fullReader.read(position: position, canonical: bytes)
        } catch {
            throw StoreError.corrupt(position: position, reason: "the stored event does not parse")
        }
        func withBytes(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> Void) {
            guard let bytes else { return body(nil) }
            bytes.withUnsafeBytes { body($0) }
        }
        withBytes(event.caseID) { caseID in
            withBytes(event.source) { source in
                event.customer.withUnsafeBytes { customer in
                    event.brand.withUnsafeBytes { brand in
                        append(
                            occurredAt: event.occurredAt.microseconds, type: event.type, facts: event.facts,
                            caseID: caseID, customer: customer, brand: brand, source: source)
                    }
                }
            }
        }
    }

    private mutating func append(
        occurredAt: Int64, type: EventType, facts: EventFacts, caseID: UnsafeRawBufferPointer?,
        customer: UnsafeRawBufferPointer, brand: UnsafeRawBufferPointer, source: UnsafeRawBufferPointer?
    ) {
        if type.isRelationship { relationshipIndexes.append(events.count) }
        if let caseID {
            if casedEvents % Self.sampleSpacing == 0 { sampledCases.append(Array(caseID)) }
            casedEvents += 1
        }
        latestOccurredAt = max(latestOccurredAt ?? .min, occurredAt)
        events.append(
            Event(
                occurredAt: occurredAt, partiesStart: parties.count, customerLength: UInt16(customer.count),
                brandLength: UInt16(brand.count), caseFingerprint: caseID.map(Self.fingerprint) ?? 0, type: type,
                hasCase: caseID != nil, facts: facts.packed,
                sourceLength: source.map { UInt16($0.count) } ?? Self.noSource))
        parties.append(contentsOf: customer)
        parties.append(contentsOf: brand)
        if let source { parties.append(contentsOf: source) }
    }

    /// The event at `position` (which must be in range).
    subscript(position: UInt64) -> Event { events[Int(position - first)] }

    static func entry(_ event: Event, position: UInt64) -> JourneyEntry {
        JourneyEntry(
            position: position, occurredAt: event.occurredAt, type: event.type,
            facts: EventFacts(type: event.type, packed: event.facts))
    }

    /// Calls `body` with the events of each of `parts`, as buffers, in order.
    static func withEventBuffers<Result>(
        _ parts: [DecodedEvents], _ body: ([UnsafeBufferPointer<Event>]) throws -> Result
    ) throws -> Result {
        func nest(_ index: Int, _ buffers: [UnsafeBufferPointer<Event>]) throws -> Result {
            guard index < parts.count else { return try body(buffers) }
            return try parts[index].events.withUnsafeBufferPointer { try nest(index + 1, buffers + [$0]) }
        }
        return try nest(0, [])
    }

    /// Calls `body` with the event's customer, brand and source bytes.
    func withParties<Result>(
        _ event: Event,
        _ body: (
            _ customer: UnsafeRawBufferPointer, _ brand: UnsafeRawBufferPointer, _ source: UnsafeRawBufferPointer?
        ) throws -> Result
    ) rethrows -> Result {
        try parties.withUnsafeBytes { parties in
            let customerEnd = event.partiesStart + Int(event.customerLength)
            let brandEnd = customerEnd + Int(event.brandLength)
            let source =
                event.sourceLength == Self.noSource
                ? nil : UnsafeRawBufferPointer(rebasing: parties[brandEnd..<brandEnd + Int(event.sourceLength)])
            return try body(
                UnsafeRawBufferPointer(rebasing: parties[event.partiesStart..<customerEnd]),
                UnsafeRawBufferPointer(rebasing: parties[customerEnd..<brandEnd]), source)
        }
    }

    /// A cheap hash of a case id as the case index keys it: its first `IndexKey.directLimit - 1`
    /// bytes, which an id and its index key share even when the key is shortened. Replay checks
    /// each posting of the case index against the event it names, so a damaged index cannot
    /// silently move an event to another case.
    static func fingerprint(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes.prefix(IndexKey.directLimit - 1) { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return UInt32(truncatingIfNeeded: hash ^ hash >> 32)
    }
}
