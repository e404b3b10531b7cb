import PlaintEvents

/// Brand → customer devotion B at `at` (README, "Loyalty, both ways"):
/// B = 100 · (0.4 · rr + 0.3 · speed + 0.3 · kept) + Σ decayed penalties for unconsented
/// adverse service changes, clipped to 0-100.
///
/// A part with an empty base (no decided request, no answered one, no closed one) is left
/// out and the weights of the others are scaled to sum to 1; with no part defined the base is
/// the model's baseline. A customer with no history is then neither devoted nor neglected.
public struct BrandDevotion: Hashable, Sendable {
    /// This customer's requests to the brand by status.
    public var tally = RequestTally()
    /// This customer's response rate@H with the brand.
    public var responseRate: Double? { tally.responseRate?.value }
    /// min(1, brand's FRT P50 / this customer's FRT P50).
    public var speed: Double?
    /// resolved / (resolved + abandoned + ignored).
    public var kept: Double?
    /// Nearest-rank medians of first response times, microseconds.
    public var customerFRTP50: Int64?
    public var brandFRTP50: Int64?
    /// Cases resolved, abandoned, and ignored (without either) at `at`.
    public var resolved = 0
    public var abandoned = 0
    public var ignored = 0
    /// 100 · the weighted parts, in hundredths.
    public var baseCents: Int64
    /// One per unconsented adverse service change, decayed to `at`.
    public var penalties: [LoyaltyContribution] = []
    public var preClipCents: Int64
    public var scoreCents: Int64

    public var score: Double { Double(scoreCents) / 100 }
    /// This customer's first response times (microseconds), unsorted: a brand's median is
    /// the median of all its relationships' times.
    public private(set) var responseTimes: [Int64] = []

    /// - Parameter brandFRTP50: the brand's median first response time over all its answered
    ///   requests at `at` (the same figure as `responsiveness`).
    public init(
        journeys: [CaseJourney], relationshipEvents: [JourneyEntry], brandFRTP50: Int64?, model: LoyaltyModel,
        at: Int64
    ) {
        baseCents = 0
        preClipCents = 0
        scoreCents = 0
        for journey in journeys {
            let figures = CaseFigures.outcome(journey.entries, at: at)
            guard let status = figures.status(at: at, window: model.window) else { continue }
            tally.count(status)
            if let responseTime = figures.firstResponseTime { responseTimes.append(responseTime) }
            switch figures.state {
            case .resolved: resolved += 1
            case .abandoned: abandoned += 1
            default: if status == .ignored { ignored += 1 }
            }
        }
        customerFRTP50 = NearestRank.percentile(50, of: responseTimes.sorted())
        let closed = resolved + abandoned + ignored
        kept = closed == 0 ? nil : Double(resolved) / Double(closed)
        for entry in relationshipEvents where entry.occurredAt <= at && entry.isUnconsentedAdverseChange {
            let weight = model.devotion.unconsentedAdverseChange
            penalties.append(
                LoyaltyContribution(
                    reason: .unconsentedAdverseChange, position: entry.position,
                    occurredAt: entry.occurredAt, effectiveAt: entry.occurredAt, weight: weight, applied: weight,
                    valueCents: Cents.of(weight * model.decay(from: entry.occurredAt, to: at))))
        }
        settle(brandFRTP50: brandFRTP50, model: model)
    }

    /// Computes speed and the score from the brand's median first response time; a brand
    /// summary calls it again once it knows the median.
    public mutating func settle(brandFRTP50: Int64?, model: LoyaltyModel) {
        self.brandFRTP50 = brandFRTP50
        speed = nil
        if let customerFRTP50, let brandFRTP50 {
            speed = customerFRTP50 == 0 ? 1 : min(1, Double(brandFRTP50) / Double(customerFRTP50))
        }
        let weights = model.devotion
        let parts = [(responseRate, weights.responseRate), (speed, weights.speed), (kept, weights.kept)]
            .compactMap { part, weight in part.map { ($0, weight) } }
        let totalWeight = parts.reduce(0) { $0 + $1.1 }
        baseCents =
            totalWeight == 0
            ? Cents.of(model.baseline) : Cents.of(100 * parts.reduce(0) { $0 + $1.0 * $1.1 } / totalWeight)
        preClipCents = baseCents + penalties.reduce(0) { $0 + $1.valueCents }
        scoreCents = Cents.clip(preClipCents)
    }
}
