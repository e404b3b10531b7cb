import PlaintEvents
import PlaintLog
import PlaintProjections

/// `plaint loyalty`: L, B and the gap, computed from the stored ledgers and journeys with a
/// model at query time. Each query reads its own rows: one relationship reads its ledger and
/// its cases; a brand reads its own key ranges.
public enum LoyaltyView {
    /// One relationship, with the ids of the events its contributions came from.
    public struct Explained: Sendable {
        public var score: RelationshipScore
        /// Event id by log position, for every contribution of L and B.
        public var eventIDs: [UInt64: String]
    }

    public struct CustomerResult: Sendable {
        public var at: Int64
        public var model: LoyaltyModel
        public var customer: String
        public var relationships: [Explained]
    }

    public struct BrandResult: Sendable {
        public var at: Int64
        public var summary: BrandLoyaltySummary
    }

    /// `--customer C`, optionally `--brand B`: every relationship of the customer (or one).
    public static func customer(
        _ customer: String, brand: String? = nil, log: EventLog, model: LoyaltyModel, at: Int64?
    ) throws -> CustomerResult {
        try log.read { reader in
            let info = try JourneyViews.currentInfo(reader, log: log)
            let at = at ?? info.latestOccurredAt ?? 0
            let customerBytes = Array(customer.utf8)
            var brands = try JourneyViews.brands(ofCustomer: customerBytes, in: reader.views)
            if brands.isEmpty, try reader.count(in: .customer, key: customerBytes) == 0 {
                throw QueryError.unknownCustomer(customer)
            }
            if let brand {
                let brandBytes = Array(brand.utf8)
                if try reader.count(in: .brand, key: brandBytes) == 0 { throw QueryError.unknownBrand(brand) }
                guard brands.contains(brandBytes) else {
                    throw QueryError.noRelationship(customer: customer, brand: brand)
                }
                brands = [brandBytes]
            }
            var relationships: [Explained] = []
            for brandBytes in brands {
                guard let ledger = try JourneyViews.ledger(PairKey(brand: brandBytes, customer: customerBytes), in: reader.views)
                else { continue }
                let journeys = try ledger.cases.map { caseID in
                    guard let journey = try JourneyViews.journey(caseID, in: reader.views) else {
                        throw StoreError.corrupt(position: 0, reason: "a loyalty ledger names a case the views lack")
                    }
                    return journey
                }
                var median = BrandFirstResponseMedian(at: at)
                try JourneyViews.forEachJourney(in: reader.views, brand: brandBytes) { median.add($0) }
                let score = RelationshipScore(
                    ledger: ledger, journeys: journeys, brandFRTP50: median.value, model: model, at: at)
                relationships.append(Explained(score: score, eventIDs: try eventIDs(of: score, in: reader)))
            }
            return CustomerResult(at: at, model: model, customer: customer, relationships: relationships)
        }
    }

    /// `--brand B`: the distribution over all of the brand's relationships.
    public static func brand(_ brand: String, log: EventLog, model: LoyaltyModel, at: Int64?) throws -> BrandResult {
        try log.read { reader in
            let info = try JourneyViews.currentInfo(reader, log: log)
            let at = at ?? info.latestOccurredAt ?? 0
            let brandBytes = Array(brand.utf8)
            if try reader.count(in: .brand, key: brandBytes) == 0 { throw QueryError.unknownBrand(brand) }
            var journeys: [[UInt8]: CaseJourney] = [:]
            var median = BrandFirstResponseMedian(at: at)
            try JourneyViews.forEachJourney(in: reader.views, brand: brandBytes) { journey in
                median.add(journey)
                journeys[journey.caseID] = journey
            }
            let brandFRTP50 = median.value
            var scores: [RelationshipScore] = []
            try JourneyViews.forEachLedger(in: reader.views, brand: brandBytes) { ledger in
                let cases = try ledger.cases.map { caseID in
                    guard let journey = journeys[caseID] else {
                        throw StoreError.corrupt(position: 0, reason: "a loyalty ledger names a case the views lack")
                    }
                    return journey
                }
                scores.append(
                    RelationshipScore(ledger: ledger, journeys: cases, brandFRTP50: brandFRTP50, model: model, at: at))
            }
            return BrandResult(at: at, summary: BrandLoyaltySummary(brand: brand, scores: scores))
        }
    }

    /// The ids of the events behind a score's contributions, read from the log by position.
    static func eventIDs(of score: RelationshipScore, in reader: LogReader) throws -> [UInt64: String] {
        var ids: [UInt64: String] = [:]
        var eventReader = StoredEventReader()
        let positions = score.loyalty.contributions.map(\.position) + score.devotion.penalties.map(\.position)
        for position in positions where ids[position] == nil {
            guard let record = try reader.record(at: position) else {
                throw StoreError.corrupt(position: position, reason: "a ledger names a position the log lacks")
            }
            let event = try record.canonical.withMemoryRebound(to: UInt8.self) { body in
                do { return try eventReader.read(position: position, canonical: body) } catch {
                    throw StoreError.corrupt(position: position, reason: "the stored event does not parse")
                }
            }
            ids[position] = String(decoding: event.id, as: UTF8.self)
        }
        return ids
    }
}
