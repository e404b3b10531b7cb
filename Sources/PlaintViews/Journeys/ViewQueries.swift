import PlaintEvents
import PlaintLog
import PlaintProjections

/// Why a query's arguments cannot be answered: the CLI reports these as missing things (exit 66).
public enum QueryError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownBrand(String)
    case unknownCase(String)
    case unknownCustomer(String)
    case noRelationship(customer: String, brand: String)

    public var description: String {
        switch self {
        case .unknownBrand(let brand): "no events for brand \"\(brand)\" in this store"
        case .unknownCase(let caseID): "no events for case \"\(caseID)\" in this store"
        case .unknownCustomer(let customer): "no events for customer \"\(customer)\" in this store"
        case .noRelationship(let customer, let brand):
            "customer \"\(customer)\" has no cases or relationship events with brand \"\(brand)\""
        }
    }
}

/// The responsiveness ranking, read from the brands' own journey rows.
public enum ResponsivenessView {
    /// - Parameters:
    ///   - brands: only these brands' figures (all when empty), each with its rank among every brand.
    ///   - at: evaluation time; nil means the latest `occurred_at` in the log.
    public static func ranking(
        _ log: EventLog, brands: [String] = [], at: Int64? = nil,
        configure: (inout ResponsivenessQuery) -> Void = { _ in }
    ) throws -> (query: ResponsivenessQuery, brands: [BrandResponsiveness]) {
        try log.read { reader in
            let info = try JourneyViews.currentInfo(reader, log: log)
            for brand in brands where try reader.count(in: .brand, key: Array(brand.utf8)) == 0 {
                throw QueryError.unknownBrand(brand)
            }
            var query = ResponsivenessQuery(at: at ?? info.latestOccurredAt ?? 0)
            configure(&query)
            // Every brand's journeys, even for one brand: its rank is among all of them.
            var report = ResponsivenessReport(query: query)
            try JourneyViews.forEachJourney(in: reader.views) { journey in report.add(journey) }
            let ranked = report.ranked
            guard !brands.isEmpty else { return (query, ranked) }
            // In ranking order; a brand with no journeys (relationship events only) has empty figures.
            var selected = ranked.filter { brands.contains($0.brand) }
            for brand in brands where !selected.contains(where: { $0.brand == brand }) {
                selected.append(BrandResponsiveness(brand: brand, figures: ResponsivenessFigures(), periods: []))
            }
            return (query, selected)
        }
    }
}
