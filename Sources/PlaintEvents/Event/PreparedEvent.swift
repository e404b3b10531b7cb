/// An input event that passed validation, reduced to what the log stores and indexes.
public struct PreparedEvent: Sendable, Equatable {
    public var id: [UInt8]
    public var type: EventType
    /// The case it belongs to; nil only for relationship events without a case.
    public var caseID: [UInt8]?
    public var customer: [UInt8]
    public var brand: [UInt8]
    public var occurredAt: Timestamp
    /// The case's version the writer expected before this event (optimistic concurrency).
    public var expectVersion: UInt64?
    /// The RFC 8785 bytes of the event as appended, without the fields the store adds.
    public var canonical: [UInt8]
    /// The channel and `data` members the projections fold.
    public var facts: EventFacts

    public init(
        id: [UInt8], type: EventType, caseID: [UInt8]?, customer: [UInt8], brand: [UInt8],
        occurredAt: Timestamp, expectVersion: UInt64?, canonical: [UInt8], facts: EventFacts
    ) {
        self.id = id
        self.type = type
        self.caseID = caseID
        self.customer = customer
        self.brand = brand
        self.occurredAt = occurredAt
        self.expectVersion = expectVersion
        self.canonical = canonical
        self.facts = facts
    }
}
