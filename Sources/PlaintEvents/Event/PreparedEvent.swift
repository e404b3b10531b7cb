/// An input event that passed validation, reduced to what the log stores and indexes.
public struct PreparedEvent: CarriesEnvelope, Sendable, Equatable {
    public var envelope: EventEnvelope
    /// The case's version the writer expected before this event (optimistic concurrency).
    public var expectVersion: UInt64?
    /// The RFC 8785 bytes of the event as appended, without the fields the store adds.
    public var canonical: [UInt8]

    public init(
        id: [UInt8], type: EventType, caseID: [UInt8]?, customer: [UInt8], brand: [UInt8], source: [UInt8]? = nil,
        occurredAt: Timestamp, expectVersion: UInt64?, canonical: [UInt8], facts: EventFacts
    ) {
        envelope = EventEnvelope(
            id: id, type: type, caseID: caseID, customer: customer, brand: brand, source: source,
            occurredAt: occurredAt, facts: facts)
        self.expectVersion = expectVersion
        self.canonical = canonical
    }
}

/// A prepared event whose byte fields are still slices of the preparer's buffers
/// (`EventPreparer.prepareParts`): what a caller that copies them straight into a buffer of its
/// own needs, without five arrays allocated per event and freed again.
///
/// Valid as long as it is held, but holding it past the preparer's next line makes that line
/// copy the buffers: copy out what you need, then let it go.
public struct PreparedEventParts {
    public var id: ArraySlice<UInt8>
    public var type: EventType
    public var caseID: ArraySlice<UInt8>?
    public var customer: ArraySlice<UInt8>
    public var brand: ArraySlice<UInt8>
    public var source: ArraySlice<UInt8>?
    public var occurredAt: Timestamp
    public var expectVersion: UInt64?
    public var canonical: ArraySlice<UInt8>
    public var facts: EventFacts
}

extension PreparedEvent {
    /// Copies `parts` into an event of its own.
    public init(_ parts: PreparedEventParts) {
        self.init(
            id: Array(parts.id), type: parts.type, caseID: parts.caseID.map { Array($0) },
            customer: Array(parts.customer), brand: Array(parts.brand), source: parts.source.map { Array($0) },
            occurredAt: parts.occurredAt,
            expectVersion: parts.expectVersion,
            // An exact-size copy: sharing the preparer's buffer would make its next line
            // allocate a fresh one of the full capacity, and each event would keep one.
            canonical: parts.canonical.withUnsafeBufferPointer { Array($0) }, facts: parts.facts)
    }
}
