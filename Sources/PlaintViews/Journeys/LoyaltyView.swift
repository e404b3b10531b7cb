import PlaintEvents
import PlaintLog
import PlaintProjections
import PlaintSystem

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
        public var model: LoyaltyModel
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
            let events = try CustomerEvents(customerBytes, in: reader)
            var brands = events.brands
            if brands.isEmpty { throw QueryError.unknownCustomer(customer) }
            if let brand {
                let brandBytes = Array(brand.utf8)
                if try reader.count(in: .brand, key: brandBytes) == 0 { throw QueryError.unknownBrand(brand) }
                brands = [brandBytes]
            }
            let journeysByBrand = try JourneyViews.journeysByBrand(
                of: customerBytes, cases: events.caseIDs, in: reader.views)
            var relationships: [Explained] = []
            for brandBytes in brands {
                let pair = PairKey(brand: brandBytes, customer: customerBytes)
                let journeys = journeysByBrand[brandBytes] ?? []
                guard let ledger = try JourneyViews.ledger(pair, journeys: journeys, in: reader.views) else { continue }
                var median = BrandFirstResponseMedian(at: at)
                try JourneyViews.forEachJourney(in: reader.views, brand: brandBytes) { median.add($0) }
                let score = RelationshipScore(
                    ledger: ledger, journeys: journeys, brandFRTP50: median.value, model: model, at: at)
                relationships.append(Explained(score: score, eventIDs: try eventIDs(of: score, in: reader)))
            }
            if let brand, relationships.isEmpty { throw QueryError.noRelationship(customer: customer, brand: brand) }
            return CustomerResult(at: at, model: model, customer: customer, relationships: relationships)
        }
    }

    /// `--brand B`: the distribution over all of the brand's relationships.
    public static func brand(_ brand: String, log: EventLog, model: LoyaltyModel, at: Int64?) throws -> BrandResult {
        try log.read { reader in
            let info = try JourneyViews.currentInfo(reader, log: log)
            let at = at ?? info.latestOccurredAt ?? 0
            if try reader.count(in: .brand, key: Array(brand.utf8)) == 0 { throw QueryError.unknownBrand(brand) }
            return BrandResult(
                at: at, model: model, summary: try summary(brand, in: reader.views, model: model, at: at))
        }
    }

    /// A brand's loyalty summary, read inside a transaction (the audit shares it).
    static func summary(_ brand: String, in views: ViewReader, model: LoyaltyModel, at: Int64) throws
        -> BrandLoyaltySummary
    {
        let brandBytes = Array(brand.utf8)
        // The brand's relationships: its customers with cases, each with its relationship row
        // if it has one, then those with relationship events only. Every case of the brand
        // belongs to exactly one relationship, so their first response times give the brand's
        // median, which settles each B's speed after.
        var rows: [LoyaltyLedger] = []
        try JourneyViews.forEachRelationshipRow(in: views, brand: brandBytes) { _, ledger in rows.append(ledger) }
        var scores: [(headline: RelationshipHeadline, devotion: BrandDevotion)] = []
        var responseTimes: [Int64] = []
        func score(_ ledger: LoyaltyLedger, _ journeys: [CaseJourney]) {
            let score = RelationshipScore(
                ledger: ledger, journeys: journeys, brandFRTP50: nil, model: model, at: at)
            responseTimes += score.devotion.responseTimes
            scores.append((score.headline, score.devotion))
        }
        var hasCases = [Bool](repeating: false, count: rows.count)
        try views.withRows(JourneyViews.journeys, prefix: ViewKey.prefix(brandBytes)) { journeyRows in
            let groups = try BrandJourneyGroups(brand: brandBytes, rows: journeyRows)
            // The relationship row of each customer with cases, by the customer's number.
            var rowOfCustomer = [Int?](repeating: nil, count: groups.customers.count)
            for (row, ledger) in rows.enumerated() {
                guard let customer = groups.customers.existingNumber(of: ledger.customer) else { continue }
                rowOfCustomer[customer] = row
                hasCases[row] = true
            }
            try groups.forEachGroup(in: journeyRows) { number, customer, journeys in
                var ledger =
                    rowOfCustomer[number].map { rows[$0] } ?? LoyaltyLedger(brand: brandBytes, customer: customer)
                for journey in journeys { ledger.addCase(journey.caseID) }
                score(ledger, journeys)
            }
        }
        for (row, ledger) in rows.enumerated() where !hasCases[row] { score(ledger, []) }
        let brandFRTP50 = NearestRank.percentile(50, of: responseTimes.sorted())
        let headlines = scores.map { item in
            var devotion = item.devotion
            devotion.settle(brandFRTP50: brandFRTP50, model: model)
            var headline = item.headline
            headline.devotionCents = devotion.scoreCents
            return headline
        }
        return BrandLoyaltySummary(brand: brand, scores: headlines)
    }

    /// The ids of the events behind a score's contributions, read from the log by position.
    static func eventIDs(of score: RelationshipScore, in reader: LogReader) throws -> [UInt64: String] {
        var ids: [UInt64: String] = [:]
        var eventReader = StoredEventReader()
        let positions = score.loyalty.contributions.map(\.position) + score.devotion.penalties.map(\.position)
        for position in positions where ids[position] == nil {
            let event = try reader.withRecord(at: position) { record in
                try record.withCanonical { body in
                    do { return try eventReader.read(position: position, canonical: body) } catch {
                        throw StoreError.corrupt(position: position, reason: "the stored event does not parse")
                    }
                }
            }
            ids[position] = String(decoding: event.id, as: UTF8.self)
        }
        return ids
    }
}
