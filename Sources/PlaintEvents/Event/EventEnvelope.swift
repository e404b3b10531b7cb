/// What every event says of itself whatever its type: the fields the log indexes and the
/// projections fold. An event being appended (`PreparedEvent`) and one read back
/// (`StoredEvent`) both carry one, and read its fields as their own.
public struct EventEnvelope: Sendable, Hashable {
    public var id: [UInt8]
    public var type: EventType
    /// The case it belongs to; nil only for relationship events without a case.
    public var caseID: [UInt8]?
    public var customer: [UInt8]
    public var brand: [UInt8]
    /// `meta.source`: where the event came from, when it says.
    public var source: [UInt8]?
    public var occurredAt: Timestamp
    /// The channel and `data` members the projections fold.
    public var facts: EventFacts

    public init(
        id: [UInt8], type: EventType, caseID: [UInt8]?, customer: [UInt8], brand: [UInt8], source: [UInt8]? = nil,
        occurredAt: Timestamp, facts: EventFacts
    ) {
        self.id = id
        self.type = type
        self.caseID = caseID
        self.customer = customer
        self.brand = brand
        self.source = source
        self.occurredAt = occurredAt
        self.facts = facts
    }
}

/// A value that carries an event's envelope and reads its fields as its own (`event.id`).
@dynamicMemberLookup
public protocol CarriesEnvelope {
    var envelope: EventEnvelope { get set }
}

extension CarriesEnvelope {
    @inlinable
    public subscript<Field>(dynamicMember field: WritableKeyPath<EventEnvelope, Field>) -> Field {
        get { envelope[keyPath: field] }
        set { envelope[keyPath: field] = newValue }
    }
}
