/// The envelope and facts of one event read back from the log, for projections and replay.
public struct StoredEvent: CarriesEnvelope, Sendable, Hashable {
    public var position: UInt64
    public var envelope: EventEnvelope

    public init(
        position: UInt64, id: [UInt8], type: EventType, caseID: [UInt8]?, customer: [UInt8], brand: [UInt8],
        source: [UInt8]? = nil, occurredAt: Timestamp, facts: EventFacts
    ) {
        self.position = position
        envelope = EventEnvelope(
            id: id, type: type, caseID: caseID, customer: customer, brand: brand, source: source,
            occurredAt: occurredAt, facts: facts)
    }

    public init(position: UInt64, envelope: EventEnvelope) {
        self.position = position
        self.envelope = envelope
    }
}

extension StoredEvent {
    /// Calls `body` with the event's case id, customer, brand and source, lent.
    public func withBorrowedParties<Result>(
        _ body: (_ caseID: Span<UInt8>?, _ customer: Span<UInt8>, _ brand: Span<UInt8>, _ source: Span<UInt8>?) throws
            -> Result
    ) rethrows -> Result {
        try body(envelope.caseID?.span, envelope.customer.span, envelope.brand.span, envelope.source?.span)
    }
}

/// Reads `StoredEvent`s from canonical event bytes, reusing its parser between events.
///
/// The bytes were validated when appended; a body that no longer parses is reported, since
/// only corruption can cause it (`plaint verify` names the position).
public struct StoredEventReader: Sendable {
    private var parser = JSONParser()
    private static let names = (
        id: Array("id".utf8), type: Array("type".utf8), case: Array("case".utf8),
        customer: Array("customer".utf8), brand: Array("brand".utf8), occurredAt: Array("occurred_at".utf8),
        meta: Array("meta".utf8), source: Array("source".utf8)
    )

    public init() {}

    public struct Unreadable: Error, Sendable {
        public var position: UInt64
    }

    public mutating func read(position: UInt64, canonical: Span<UInt8>) throws(Unreadable) -> StoredEvent {
        try canonical.withUnsafeBufferPointer { (bytes) throws(Unreadable) in
            try read(position: position, canonical: bytes)
        }
    }

    mutating func read(position: UInt64, canonical: UnsafeBufferPointer<UInt8>) throws(Unreadable) -> StoredEvent {
        do { try parser.parse(canonical) } catch { throw Unreadable(position: position) }
        let tape = parser.tape
        let names = Self.names
        guard tape[0].kind == .object,
            let idNode = tape.member(names.id, of: 0),
            let typeIndex = tape.member(names.type, of: 0).flatMap({ EventType.vocabulary.index(of: $0, in: tape) }),
            let customerNode = tape.member(names.customer, of: 0),
            let brandNode = tape.member(names.brand, of: 0),
            let occurredNode = tape.member(names.occurredAt, of: 0),
            let occurredAt = Timestamp(rfc3339: tape.span(occurredNode))
        else { throw Unreadable(position: position) }
        let type = EventType.allCases[typeIndex]
        return StoredEvent(
            position: position, id: Array(tape.span(idNode)), type: type,
            caseID: tape.member(names.case, of: 0).map { Array(tape.span($0)) },
            customer: Array(tape.span(customerNode)), brand: Array(tape.span(brandNode)),
            source: tape.member(names.meta, of: 0).flatMap { meta in
                tape.member(names.source, of: meta).flatMap {
                    tape[$0].kind == .string && SourceRule.isUsable(tape.span($0)) ? Array(tape.span($0)) : nil
                }
            },
            occurredAt: occurredAt, facts: EventFacts(type: type, tape: tape))
    }
}
