import PlaintEvents
import PlaintProjections
import PlaintViews

/// `plaint brands` and `plaint cases` as listings (table, JSON or CSV).
public enum ListingReports {
    public static func brands(_ brands: [BrandSummary]) -> Listing {
        var listing = Listing([
            .init("brand", heading: "brand"),
            .init("requests", heading: "requests", rightAligned: true),
            .init("cases", heading: "cases", rightAligned: true),
            .init("events", heading: "events", rightAligned: true),
            .init("first_request_at", heading: "first request", text: Listing.timeText),
            .init("last_request_at", heading: "last request", text: Listing.timeText),
            .init("sources", heading: "sources"),
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
            .init("customer", heading: "customer"),
            .init("channel", heading: "channel"),
            .init("filed_at", heading: "filed", text: Listing.timeText),
            .init("state", heading: "state"),
            .init("outcome", heading: "outcome"),
            .init("first_response_seconds", heading: "first response", rightAligned: true, text: Listing.durationText),
            .init("first_response_kind", heading: "kind"),
            .init("age_seconds", heading: "open for", rightAligned: true, text: Listing.durationText),
            .init("events", heading: "events", rightAligned: true),
            .init("source", heading: "source"),
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
