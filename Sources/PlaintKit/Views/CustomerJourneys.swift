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
    /// Cases in order of filing (cases without a request last).
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

extension JourneyReports {
    public static func json(_ customer: CustomerJourneys) -> JSONValue {
        .object([
            ("customer", .string(customer.customer)),
            ("at", .string(Human.time(customer.at))),
            ("window_seconds", seconds(customer.window)),
            (
                "cases",
                .array(
                    customer.cases.map { item in
                        .object([
                            ("case", .string(item.journey.caseName)),
                            ("brand", .string(item.journey.brandName)),
                            ("status", item.status.map { .string($0.rawValue) } ?? .null),
                            ("state", item.figures.state.map { .string($0.rawValue) } ?? .null),
                            ("events", .integer(Int64(item.figures.events))),
                            ("figures", figuresJSON(item.figures)),
                        ])
                    })
            ),
            (
                "relationship_events",
                .array(
                    customer.relationships.map { item in
                        let event = item.event
                        return .object([
                            ("position", .integer(Int64(event.position))),
                            ("id", .string(String(decoding: event.id, as: UTF8.self))),
                            ("occurred_at", .string(event.occurredAt.description)),
                            ("brand", .string(String(decoding: event.brand, as: UTF8.self))),
                            ("type", .string(event.type.rawValue)),
                            ("change", event.facts.serviceChange.map { .string($0.name) } ?? .null),
                            ("consented", event.facts.consented.map { .bool($0) } ?? .null),
                        ])
                    })
            ),
        ])
    }

    public static func text(_ customer: CustomerJourneys) -> String {
        var text =
            "customer \(customer.customer) at \(Human.time(customer.at)) (window \(Human.window(customer.window)))\n\n"
        var rows: [[String]] = [
            ["case", "brand", "filed", "request", "state", "first response", "resolution", "events"]
        ]
        for item in customer.cases {
            rows.append([
                item.journey.caseName, item.journey.brandName, item.figures.filedAt.map(Human.time) ?? "-",
                item.status?.rawValue ?? "-", item.figures.state?.rawValue ?? "-",
                Human.duration(item.figures.firstResponseTime), Human.duration(item.figures.timeToResolution),
                "\(item.figures.events)",
            ])
        }
        text += customer.cases.isEmpty ? "no cases\n" : Human.table(rows)
        text += "\nrelationship events:\n"
        if customer.relationships.isEmpty { return text + "  none\n" }
        var relationshipRows: [[String]] = []
        for item in customer.relationships {
            let event = item.event
            relationshipRows.append([
                "  " + event.occurredAt.description, String(decoding: event.brand, as: UTF8.self),
                JourneyReports.eventLabel(JourneyEntry(event)),
            ])
        }
        return text + Human.table(relationshipRows)
    }
}
