import PlaintEvents
import PlaintProjections
import PlaintViews

/// `plaint journey --customer C` as JSON and as text.
extension JourneyReports {
    /// A customer's cases, one object per case with its figures' members alongside (the JSON's
    /// `cases`, the `figures` object opened), for CSV.
    public static func caseObjects(_ customer: CustomerJourneys) -> [JSONValue] {
        guard case .object(let members) = json(customer),
            case .array(let cases)? = members.first(where: { $0.0 == "cases" })?.1
        else { return [] }
        return cases.map { item in
            guard case .object(let fields) = item else { return item }
            return .object(
                fields.flatMap { name, value -> [(String, JSONValue)] in
                    if name == "figures", case .object(let figures) = value { return figures }
                    return [(name, value)]
                })
        }
    }

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
