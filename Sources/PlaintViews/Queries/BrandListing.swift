import PlaintEvents
import PlaintLog
import PlaintProjections
import PlaintSystem

/// One line of `plaint brands`: what the store holds for a brand.
public struct BrandSummary: Equatable, Sendable {
    public var brand: String
    /// Events naming the brand, relationship events included.
    public var events = 0
    public var cases = 0
    /// Cases with a request (a customer message) by the evaluation time.
    public var requests = 0
    public var firstRequestAt: Int64?
    public var lastRequestAt: Int64?
    /// The `meta.source` values of the brand's cases, in byte order.
    public var sources: [String] = []

    public init(brand: String) { self.brand = brand }
}

/// `plaint brands`: every brand a stored event names, read from the journeys view and the brand index.
public enum BrandListing {
    /// - Parameter at: evaluation time; nil means the latest `occurred_at` in the log.
    public static func load(_ log: EventLog, at: Int64? = nil) throws -> [BrandSummary] {
        try log.read { reader in
            let info = try JourneyViews.currentInfo(reader, log: log)
            let at = at ?? info.latestOccurredAt ?? 0
            var summaries: [String: BrandSummary] = [:]
            var sources: [String: Set<String>] = [:]
            try reader.forEachKey(in: .brand) { key, count in
                // A brand longer than an index key is keyed by a prefix and a digest: its name
                // comes from its journeys below, without an event count.
                guard key.count <= IndexKey.directLimit else { return }
                let brand = String(decoding: key.bytes, as: UTF8.self)
                var summary = BrandSummary(brand: brand)
                summary.events = count
                summaries[brand] = summary
            }
            try JourneyViews.forEachJourney(in: reader.views) { journey in
                let brand = journey.brandName
                var summary = summaries[brand] ?? BrandSummary(brand: brand)
                summary.cases += 1
                if let source = journey.sourceName { sources[brand, default: []].insert(source) }
                let outcome = CaseFigures.outcome(journey.entries, at: at)
                if let filedAt = outcome.filedAt {
                    summary.requests += 1
                    summary.firstRequestAt = min(summary.firstRequestAt ?? .max, filedAt)
                    summary.lastRequestAt = max(summary.lastRequestAt ?? .min, filedAt)
                }
                summaries[brand] = summary
            }
            return summaries.values.map { summary in
                var summary = summary
                summary.sources = (sources[summary.brand] ?? []).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                return summary
            }
            .sorted { $0.brand.utf8.lexicographicallyPrecedes($1.brand.utf8) }
        }
    }
}
