import PlaintEvents

/// One event of a case as its journey keeps it: when it happened, where it sits in the log,
/// and the facts that drive the figures. Fixed-size, so a case's journey stays small.
public struct JourneyEntry: Hashable, Sendable {
    public var position: UInt64
    /// `occurred_at`, microseconds since 1970 (UTC).
    public var occurredAt: Int64
    public var type: EventType
    public var facts: EventFacts

    public init(position: UInt64, occurredAt: Int64, type: EventType, facts: EventFacts) {
        self.position = position
        self.occurredAt = occurredAt
        self.type = type
        self.facts = facts
    }

    public init(_ event: borrowing StoredEvent) {
        self.init(
            position: event.position, occurredAt: event.occurredAt.microseconds, type: event.type,
            facts: event.facts)
    }

    /// Journey order (README, "Journeys and vendor responsiveness"): by `occurred_at`, ties by position. Never by arrival.
    public func precedes(_ other: JourneyEntry) -> Bool {
        (occurredAt, position) < (other.occurredAt, other.position)
    }

    /// A customer message: the events that open or renew a request.
    public var isCustomerMessage: Bool { type == .complaintFiled || type == .customerFollowedUp }

    /// A brand reply that stops the response clock (automatic replies do not).
    public var isResponse: Bool { type == .brandReplied && facts.replyKind != .auto }
}
