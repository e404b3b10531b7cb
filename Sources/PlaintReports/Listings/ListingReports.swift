import PlaintEvents
import PlaintProjections
import PlaintViews

/// `plaint brands` and `plaint cases` as listings (table, JSON or CSV).
public enum ListingReports {
    public static func brands(_ brands: [BrandSummary]) -> Listing {
        var listing = Listing([
            .init("brand", heading: "brand"),
            .init("requests", heading: "requests", rightAligned: true),
            .init("cases", heading: "cases", rightAligned: true, dropPriority: 2),
            .init("events", heading: "events", rightAligned: true, dropPriority: 3),
            .init("first_request_at", heading: "first request", dropPriority: 1, text: Listing.timeText),
            .init("last_request_at", heading: "last request", dropPriority: 1, text: Listing.timeText),
            .init("sources", heading: "sources", dropPriority: 4),
        ])
        for brand in brands {
            listing.append([
                .string(brand.brand), .integer(Int64(brand.requests)), .integer(Int64(brand.cases)),
                .integer(Int64(brand.events)), time(brand.firstRequestAt), time(brand.lastRequestAt),
                .array(brand.sources.map { .string($0) }),
            ])
        }
        return listing
    }

    public static func cases(_ cases: [CaseSummary]) -> Listing {
        var listing = Listing([
            .init("case", heading: "case"),
            .init("brand", heading: "brand"),
            .init("customer", heading: "customer", dropPriority: 2),
            .init("channel", heading: "channel", dropPriority: 3),
            .init("filed_at", heading: "filed", text: Listing.timeText),
            .init("state", heading: "state", dropPriority: 4),
            .init("outcome", heading: "outcome"),
            .init("first_response_seconds", heading: "first response", rightAligned: true, text: Listing.durationText),
            .init("first_response_kind", heading: "kind", dropPriority: 5),
            .init("age_seconds", heading: "open for", rightAligned: true, dropPriority: 1, text: Listing.durationText),
            .init("events", heading: "events", rightAligned: true, dropPriority: 6),
            .init("source", heading: "source", dropPriority: 7),
        ])
        for summary in cases {
            let figures = summary.figures
            let journey = summary.journey
            let row: [JSONValue] = [
                .string(journey.caseName), .string(journey.brandName), .string(journey.customerName),
                text(figures.requestChannel?.rawValue), time(figures.filedAt), text(figures.state?.rawValue),
                text(summary.status?.rawValue), seconds(figures.firstResponseTime),
                text(figures.firstResponseKind?.name), seconds(summary.age), .integer(Int64(figures.events)),
                text(journey.sourceName),
            ]
            listing.append(row)
        }
        return listing
    }

    static func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }

    static func time(_ microseconds: Int64?) -> JSONValue {
        microseconds.map { .string(Human.time($0)) } ?? .null
    }
}
