import PlaintEvents
import PlaintLog
import PlaintProjections

/// `plaint journey --customer C`: the customer's cases across brands, with their outcomes, and
/// the relationship events (service changes, churn, renewal), all found through the customer's
/// own index.
public struct CustomerJourneys: Sendable {
    public struct Case: Sendable {
        public var journey: CaseJourney
        public var figures: CaseFigures
        public var status: RequestStatus?
    }

    public struct Relationship: Sendable {
        public var event: StoredEvent
    }

    public var customer: String
    public var at: Int64
    public var window: Int64
    /// Cases with an event by `at`, in order of filing (cases without a request last).
    public var cases: [Case]
    /// Relationship events in journey order.
    public var relationships: [Relationship]

    public static func load(_ customer: String, log: EventLog, at: Int64?, window: Int64) throws -> CustomerJourneys {
        try log.read { reader in
            let info = try JourneyViews.currentInfo(reader, log: log)
            let at = at ?? info.latestOccurredAt ?? 0
            let events = try CustomerEvents(Array(customer.utf8), in: reader)
            var relationships = events.relationshipEvents.map(Relationship.init(event:))
            guard !events.caseIDs.isEmpty || !relationships.isEmpty else {
                throw QueryError.unknownCustomer(customer)
            }
            var cases: [Case] = []
            for caseID in events.caseIDs {
                guard let journey = try JourneyViews.journey(caseID, in: reader.views) else { continue }
                let figures = CaseFigures(journey.entries, at: at)
                // A case none of whose events had occurred by `at` did not exist then.
                guard figures.events > 0 else { continue }
                cases.append(
                    Case(journey: journey, figures: figures, status: RequestStatus.of(figures, at: at, window: window)))
            }
            cases.sort {
                ($0.figures.filedAt ?? .max, $0.journey.caseName) < ($1.figures.filedAt ?? .max, $1.journey.caseName)
            }
            relationships.sort { JourneyEntry($0.event).precedes(JourneyEntry($1.event)) }
            return CustomerJourneys(
                customer: customer, at: at, window: window, cases: cases, relationships: relationships)
        }
    }
}
