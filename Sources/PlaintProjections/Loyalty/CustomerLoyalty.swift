import PlaintEvents

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Customer → brand loyalty L at `at` (README, "Loyalty, both ways"), with the contributions that make it.
///
/// L = clip(baseline + Σ cᵢ · 0.5^(ageᵢ / half-life), 0, 100). The rules that depend on history
/// are applied in time order: recovery never lifts L above its value just before the case's
/// first event, and from a churn until a renewal L is 0 and events do not move it. Every
/// contribution is reported in hundredths and the score is their exact sum.
public struct CustomerLoyalty: Hashable, Sendable {
    /// In the order they took effect.
    public var contributions: [LoyaltyContribution]
    /// The relationship's cases, which `LoyaltyContribution.caseOrdinal` indexes.
    public var caseIDs: [[UInt8]]
    public var baselineCents: Int64
    /// baseline + Σ contributions, before clipping to 0-100.
    public var preClipCents: Int64
    public var scoreCents: Int64
    /// At `at` the customer has churned and not renewed: L is held at 0.
    public var churned: Bool

    public var score: Double { Double(scoreCents) / 100 }

    public init(journeys: [CaseJourney], relationshipEvents: [JourneyEntry], model: LoyaltyModel, at: Int64) {
        var items: [LoyaltyContribution] = []
        for (ordinal, journey) in journeys.enumerated() {
            Self.caseContributions(journey, ordinal: ordinal, model: model, at: at, into: &items)
        }
        Self.relationshipContributions(relationshipEvents, model: model, at: at, into: &items)
        items.sort(by: Self.effectOrder)
        var walk = Walk(model: model, cases: journeys.count)
        for index in items.indices { walk.apply(index, of: &items) }
        let baseline = Cents.of(model.baseline)
        for index in items.indices where index != walk.openChurn {
            let item = items[index]
            items[index].valueCents = Cents.of(item.applied * model.decay(from: item.effectiveAt, to: at))
        }
        if let churn = walk.openChurn {
            // The churn holds L at 0: its value is whatever brings the sum to 0 at `at`.
            let others = items.indices.reduce(Int64(0)) { $0 + ($1 == churn ? 0 : items[$1].valueCents) }
            items[churn].valueCents = -(baseline + others)
            items[churn].weight = items[churn].value
            items[churn].applied = items[churn].value
        }
        contributions = items
        caseIDs = journeys.map(\.caseID)
        baselineCents = baseline
        preClipCents = baseline + items.reduce(0) { $0 + $1.valueCents }
        scoreCents = Cents.clip(preClipCents)
        churned = walk.openChurn != nil
    }

    static func effectOrder(_ lhs: LoyaltyContribution, _ rhs: LoyaltyContribution) -> Bool {
        if lhs.effectiveAt != rhs.effectiveAt { return lhs.effectiveAt < rhs.effectiveAt }
        if lhs.occurredAt != rhs.occurredAt { return lhs.occurredAt < rhs.occurredAt }
        if lhs.position != rhs.position { return lhs.position < rhs.position }
        return reasonRank(lhs.reason) < reasonRank(rhs.reason)
    }

    private static func reasonRank(_ reason: LoyaltyReason) -> Int { LoyaltyReason.allCases.firstIndex(of: reason)! }

    /// Applies the contributions in time order, keeping L's running value.
    private struct Walk {
        let model: LoyaltyModel
        /// Σ applied weights, decayed to `clock`.
        var decayedSum = 0.0
        var clock = Int64.min
        /// The churn that holds L at 0, until a renewal.
        var openChurn: Int?
        /// Per case: L just before the case's first contribution, the ceiling of its recovery.
        var ceilings: [Double?]

        init(model: LoyaltyModel, cases: Int) {
            self.model = model
            ceilings = Array(repeating: nil, count: cases)
        }

        /// L's value now (before clipping), ignoring a churn's hold.
        var unheldScore: Double { model.baseline + decayedSum }
        var score: Double { openChurn == nil ? unheldScore : 0 }

        mutating func apply(_ index: Int, of items: inout [LoyaltyContribution]) {
            let time = items[index].effectiveAt
            if clock != .min { decayedSum *= model.decay(from: clock, to: time) }
            clock = time
            if let ordinal = items[index].caseOrdinal, ceilings[ordinal] == nil {
                ceilings[ordinal] = min(100, max(0, score))
            }
            if let churn = openChurn {
                guard items[index].reason == .renewed else {
                    items[index].applied = 0
                    items[index].adjustment = .whileChurned
                    return
                }
                // The renewal ends the churn, which takes the value that brought L to 0 at this
                // moment and decays from now on like any other contribution.
                let offset = -unheldScore
                items[churn].weight = offset
                items[churn].applied = offset
                items[churn].effectiveAt = time
                items[churn].adjustment = .endedByRenewal
                decayedSum += offset
                openChurn = nil
            } else if items[index].reason == .churned {
                items[index].applied = 0
                items[index].adjustment = .holdsAtZero
                openChurn = index
                return
            }
            let item = items[index]
            if item.reason.isRecovery, item.weight > 0, let ordinal = item.caseOrdinal, let ceiling = ceilings[ordinal]
            {
                items[index].applied = min(item.weight, max(0, ceiling - score))
                if items[index].applied < item.weight { items[index].adjustment = .recoveryCapped }
            }
            decayedSum += items[index].applied
        }
    }
}
