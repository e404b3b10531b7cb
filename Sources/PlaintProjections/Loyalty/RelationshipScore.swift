import PlaintEvents

/// L, B and the gap of one customer × brand relationship at `at`.
public struct RelationshipScore: Hashable, Sendable {
    public var brand: [UInt8]
    public var customer: [UInt8]
    public var loyalty: CustomerLoyalty
    public var devotion: BrandDevotion
    /// The brand imposed at least one adverse service change without consent by `at`.
    public var hadUnconsentedAdverseChange: Bool

    /// L − B, in hundredths: large either way flags loyalty eroding on one side only.
    public var gapCents: Int64 { loyalty.scoreCents - devotion.scoreCents }

    /// - Parameter journeys: the journeys of the ledger's cases.
    public init(
        ledger: LoyaltyLedger, journeys: [CaseJourney], brandFRTP50: Int64?, model: LoyaltyModel, at: Int64
    ) {
        brand = ledger.brand
        customer = ledger.customer
        loyalty = CustomerLoyalty(
            journeys: journeys, relationshipEvents: ledger.relationshipEvents, model: model, at: at)
        devotion = BrandDevotion(
            journeys: journeys, relationshipEvents: ledger.relationshipEvents, brandFRTP50: brandFRTP50, model: model,
            at: at)
        hadUnconsentedAdverseChange = ledger.relationshipEvents.contains {
            $0.occurredAt <= at && $0.isUnconsentedAdverseChange
        }
    }

    public var brandName: String { String(decoding: brand, as: UTF8.self) }
    public var customerName: String { String(decoding: customer, as: UTF8.self) }

    /// The figures without the explanation: what a summary over many relationships keeps.
    public var headline: RelationshipHeadline {
        RelationshipHeadline(
            customer: customer, loyaltyCents: loyalty.scoreCents, devotionCents: devotion.scoreCents,
            hadUnconsentedAdverseChange: hadUnconsentedAdverseChange, churned: loyalty.churned,
            contributions: loyalty.contributions.count, penalties: devotion.penalties.count, tally: devotion.tally,
            resolved: devotion.resolved, abandoned: devotion.abandoned)
    }
}

/// One relationship's L and B, for summaries over a brand's customers.
public struct RelationshipHeadline: Hashable, Sendable {
    public var customer: [UInt8]
    public var loyaltyCents: Int64
    public var devotionCents: Int64
    public var hadUnconsentedAdverseChange: Bool
    public var churned: Bool
    /// The counts behind the scores: L's contributions, B's penalties, the customer's requests by
    /// outcome, and the cases resolved and abandoned (B's "kept" part).
    public var contributions: Int
    public var penalties: Int
    public var tally: RequestTally
    public var resolved: Int
    public var abandoned: Int

    public var gapCents: Int64 { loyaltyCents - devotionCents }
    public var customerName: String { String(decoding: customer, as: UTF8.self) }
}

/// The brand's median first response time over its answered requests at `at`: the yardstick
/// of devotion's speed part.
public struct BrandFirstResponseMedian {
    private var responseTimes: [Int64] = []
    public let at: Int64

    public init(at: Int64) { self.at = at }

    public mutating func add(_ journey: CaseJourney) {
        if let time = CaseFigures.outcome(journey.entries, at: at).firstResponseTime { responseTimes.append(time) }
    }

    public var value: Int64? { NearestRank.percentile(50, of: responseTimes.sorted()) }
}
