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
                let pair = PairKey(brand: brandBytes, customer: customerBytes)
                guard let ledger = try JourneyViews.ledger(pair, in: reader.views) else { continue }
                var journeys: [CaseJourney] = []
                try JourneyViews.forEachJourney(in: reader.views, of: pair) { journeys.append($0) }
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
            // Two sweeps in the same key order, merged: the brand's ledgers (brand, customer) and
            // its journeys (brand, customer, case). Every case of the brand belongs to exactly one
            // relationship, so their first response times give the brand's median, which settles
            // each B's speed afterwards.
            var ledgers: [LoyaltyLedger] = []
            try JourneyViews.forEachLedger(in: reader.views, brand: brandBytes) { ledgers.append($0) }
            var scores: [(headline: RelationshipHeadline, devotion: BrandDevotion)] = []
            scores.reserveCapacity(ledgers.count)
            var responseTimes: [Int64] = []
            var next = 0
            var cases: [CaseJourney] = []
            func scoreNext() throws {
                let ledger = ledgers[next]
                guard cases.count == ledger.cases.count else {
                    throw StoreError.corrupt(
                        position: 0, reason: "a loyalty ledger disagrees with the journeys view; run `plaint replay`")
                }
                let score = RelationshipScore(ledger: ledger, journeys: cases, brandFRTP50: nil, model: model, at: at)
                responseTimes += score.devotion.responseTimes
                scores.append((score.headline, score.devotion))
                cases.removeAll(keepingCapacity: true)
                next += 1
            }
            try JourneyViews.forEachJourney(in: reader.views, brand: brandBytes) { journey in
                while next < ledgers.count, ledgers[next].customer != journey.customer { try scoreNext() }
                guard next < ledgers.count else {
                    throw StoreError.corrupt(
                        position: 0, reason: "a journey has no loyalty ledger; run `plaint replay`")
                }
                cases.append(journey)
            }
            while next < ledgers.count { try scoreNext() }
            let brandFRTP50 = NearestRank.percentile(50, of: responseTimes.sorted())
            let headlines = scores.map { item in
                var devotion = item.devotion
                devotion.settle(brandFRTP50: brandFRTP50, model: model)
                var headline = item.headline
                headline.devotionCents = devotion.scoreCents
                return headline
            }
            return BrandResult(at: at, summary: BrandLoyaltySummary(brand: brand, scores: headlines))
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
