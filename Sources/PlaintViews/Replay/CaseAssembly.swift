import PlaintEvents
import PlaintLog
import PlaintProjections
import PlaintSystem

/// Replay's second step: walks the log's case index, whose postings hold each case's positions
/// together, and builds each case's journey from the decoded events at those positions.
///
/// The index walk replaces a hash lookup of every event's case, and yields the journeys in
/// the index's key order. Each posting is checked against the event it names (a fingerprint
/// of its case id), and the caller checks that the postings number the events with a case: a
/// damaged index is reported, never folded.
struct CaseAssembly: Sendable {
    /// The journeys, in case index key order.
    var journeys: [CaseJourney] = []
    /// Postings at or before the replay's last position.
    var postings = 0

    /// Assembles the cases whose index keys are at or after `start` (nil: from the first) and
    /// before `end` (nil: to the last), from the events up to `last` in `decoded` (which covers
    /// positions 1...`last` in order).
    /// `progress` gets the postings assembled so far every 65,536.
    static func assemble(
        _ reader: LogReader, from start: [UInt8]?, to end: [UInt8]?, upto last: UInt64, decoded: [DecodedEvents],
        progress: (Int) -> Void = { _ in }
    ) throws -> CaseAssembly {
        try DecodedEvents.withEventBuffers(decoded) { events in
            var builder = Builder(decoded: decoded, events: events, last: last)
            try reader.forEachPosting(in: .case, startingAt: start) { key, position in
                guard let added = try builder.take(key, position, end: end, reader) else { return false }
                if added, builder.assembly.postings & 0xFFFF == 0 { progress(builder.assembly.postings) }
                return true
            }
            try builder.finishCase(reader)
            return builder.assembly
        }
    }

    /// The walk's state: the case being gathered and the journeys so far.
    ///
    /// Events are read through buffer pointers: two threads read the same decoded arrays, and
    /// a copy of a `DecodedEvents` per posting would retain its arrays, contended, each time.
    private struct Builder {
        let decoded: [DecodedEvents]
        let events: [UnsafeBufferPointer<DecodedEvents.Event>]
        let last: UInt64
        var assembly = CaseAssembly()
        /// A brand is shared by many journeys; a customer by a few, not worth a lookup.
        var brands = SharedNames()
        var fullReader = StoredEventReader()
        /// The current case's index key (a copy, its buffer reused from case to case), its
        /// fingerprint and its entries so far.
        var key: [UInt8] = []
        var fingerprint: UInt32 = 0
        var entries: [JourneyEntry] = []
        /// The decoded range the last position looked up fell in.
        var part = 0
        var partEvents: UnsafeBufferPointer<DecodedEvents.Event>
        var partFirst: UInt64

        init(decoded: [DecodedEvents], events: [UnsafeBufferPointer<DecodedEvents.Event>], last: UInt64) {
            self.decoded = decoded
            self.events = events
            self.last = last
            partEvents = events[0]
            partFirst = decoded[0].first
        }

        /// Files the posting of `position` under `key`: whether it was added (false for a position
        /// after `last`), or nil once `key` reaches `end`.
        ///
        /// One mutating entry point for the walk: a call of a non-mutating method on the builder
        /// the walk's closure holds copies the whole builder first, retaining each of its arrays,
        /// once per posting.
        mutating func take(_ key: Span<UInt8>, _ position: UInt64, end: [UInt8]?, _ reader: LogReader) throws -> Bool? {
            if self.key.count != key.count || compareBytes(self.key, key) != 0 {
                try finishCase(reader)
                if let end, compareBytes(end, key) <= 0 { return nil }
                key.withUnsafeBytes { start($0) }
            }
            return try add(position)
        }

        private mutating func start(_ key: UnsafeRawBufferPointer) {
            self.key.removeAll(keepingCapacity: true)
            self.key.append(contentsOf: key)
            fingerprint = DecodedEvents.fingerprint(key)
        }

        /// Adds the event at `position` to the current case; false for a position after `last`.
        mutating func add(_ position: UInt64) throws -> Bool {
            guard position <= last else { return false }
            guard position >= 1 else {
                throw StoreError.corrupt(position: 0, reason: "the case index holds position 0, which no event has")
            }
            if position < partFirst || position - partFirst >= UInt64(partEvents.count) {
                part = CaseAssembly.part(of: position, in: decoded)
                partEvents = events[part]
                partFirst = decoded[part].first
            }
            let event = partEvents[Int(position - partFirst)]
            guard event.hasCase, event.caseFingerprint == fingerprint else {
                throw StoreError.corrupt(
                    position: position, reason: "the case index files this event under a case it does not name")
            }
            entries.append(DecodedEvents.entry(event, position: position))
            assembly.postings += 1
            return true
        }

        mutating func finishCase(_ reader: LogReader) throws {
            guard !entries.isEmpty else { return }
            let caseID = try CaseAssembly.caseID(
                key: key, firstPosition: entries[0].position, reader, &fullReader)
            let journey = CaseJourney(caseID: caseID, unordered: entries) { naming in
                let part = decoded[CaseAssembly.part(of: naming.position, in: decoded)]
                return part.withParties(part[naming.position]) { customer, brand, source in
                    (
                        Array(customer), brand.withSpan { brands.copy(of: $0) },
                        source.map { source in source.withSpan { brands.copy(of: $0) } }
                    )
                }
            }
            assembly.journeys.append(journey)
            entries.removeAll(keepingCapacity: true)
        }
    }

    /// The index in `decoded` (consecutive ranges from position 1) of the range holding
    /// `position`.
    private static func part(of position: UInt64, in decoded: [DecodedEvents]) -> Int {
        var part = decoded.count - 1
        while decoded[part].first > position { part -= 1 }
        return part
    }

    /// The case id of an index key: the key itself, unless the id was too long to be its own
    /// key; then it is read from the case's first event.
    private static func caseID(
        key: [UInt8], firstPosition: UInt64, _ reader: LogReader, _ fullReader: inout StoredEventReader
    ) throws -> [UInt8] {
        if key.count <= IndexKey.directLimit { return key }
        let event = try reader.withRecord(at: firstPosition) { record in
            record.withCanonical { try? fullReader.read(position: firstPosition, canonical: $0) }
        }
        guard let caseID = event?.caseID else {
            throw StoreError.corrupt(position: firstPosition, reason: "the stored event does not parse")
        }
        return caseID
    }
}
