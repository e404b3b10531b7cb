import PlaintEvents
import PlaintProjections

/// Builds small journeys by hand: times are offsets from a fixed filing time.
struct Script {
    static let t0 = Timestamp(rfc3339: "2024-03-04T09:00:00Z")!.microseconds
    static let minute: Int64 = 60_000_000
    static let hour: Int64 = 60 * minute

    var events: [StoredEvent] = []
    var caseID = "c1"
    var brand = "acme"
    var customer = "u1"

    mutating func add(
        _ type: EventType, at offset: Int64, channel: Channel? = nil, kind: ReplyKind? = nil,
        redirectTo: Channel? = nil, resolution: Resolution? = nil, inCase: Bool = true,
        change: ServiceChange? = nil, consented: Bool? = nil, scale: RatingScale? = nil, score: Int8? = nil
    ) {
        let position = UInt64(events.count + 1)
        let needsChannel = type.isMessage && channel == nil
        events.append(
            StoredEvent(
                position: position, id: Array("e\(position)".utf8), type: type,
                caseID: inCase ? Array(caseID.utf8) : nil, customer: Array(customer.utf8), brand: Array(brand.utf8),
                occurredAt: Timestamp(microseconds: Self.t0 + offset),
                facts: EventFacts(
                    channel: needsChannel ? .twitter : channel, replyKind: kind, redirectChannel: redirectTo,
                    resolution: resolution, serviceChange: change, consented: consented, ratingScale: scale,
                    ratingScore: score)))
    }

    var journey: CaseJourney {
        var projection = JourneyProjection()
        for event in events { projection.apply(event) }
        return projection.journey(Array(caseID.utf8))!
    }

    /// Every relationship's ledger and the journeys it names.
    var ledgers: (ledgers: [LoyaltyLedger], journeys: [[UInt8]: CaseJourney]) {
        var projection = JourneyProjection()
        for event in events { projection.apply(event) }
        return (projection.ledgers, projection.cases)
    }

    /// L and B of the relationship (`customer`, `brand`) as of t0 + `offset`.
    func score(at offset: Int64, model: LoyaltyModel, brandFRTP50: Int64? = nil) -> RelationshipScore {
        let (ledgers, journeys) = self.ledgers
        let ledger = ledgers.first { $0.customer == Array(customer.utf8) && $0.brand == Array(brand.utf8) }!
        return RelationshipScore(
            ledger: ledger, journeys: ledger.cases.map { journeys[$0]! }, brandFRTP50: brandFRTP50, model: model,
            at: Self.t0 + offset)
    }

    func figures(at offset: Int64) -> CaseFigures { CaseFigures(journey.entries, at: Self.t0 + offset) }
}
