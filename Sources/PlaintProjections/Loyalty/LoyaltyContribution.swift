/// Why a contribution moved a loyalty score: one rule of the model (README, "Loyalty, both ways").
public enum LoyaltyReason: String, Sendable, CaseIterable {
    case complaintFiled = "complaint_filed"
    case ignored
    case slowFirstResponse = "slow_first_response"
    case redirectFirstResponse = "redirect_first_response"
    case followUpBeforeResponse = "follow_up_before_response"
    case resolvedWithinTarget = "resolved_within_target"
    case resolvedLate = "resolved_late"
    case reopened
    case abandoned
    case unconsentedAdverseChange = "unconsented_adverse_change"
    case upgrade
    case promoterRating = "promoter_rating"
    case detractorRating = "detractor_rating"
    case churned
    case renewed

    /// Recovery: the rules that may not lift L above its value before the complaint.
    public var isRecovery: Bool { self == .resolvedWithinTarget || self == .resolvedLate }
}

/// What happened to a contribution's weight besides decay.
public enum LoyaltyAdjustment: String, Sendable {
    /// Recovery cut so L does not rise above its value before the complaint.
    case recoveryCapped = "recovery_capped"
    /// The customer had churned and not renewed: the event does not move L.
    case whileChurned = "while_churned"
    /// The churn that holds L at 0: its value is whatever brings the sum to 0 at `at`.
    case holdsAtZero = "holds_at_zero"
    /// A renewal ended the churn: its value is what brought L to 0 at the renewal, decaying from then.
    case endedByRenewal = "ended_by_renewal"
}

/// One line of a score's explanation: the event it came from, the rule, the raw weight, the
/// weight applied after the rules that depend on history, and its value at `at` after decay.
public struct LoyaltyContribution: Hashable, Sendable {
    public var reason: LoyaltyReason
    /// The log position of the event it came from.
    public var position: UInt64
    /// When the event occurred.
    public var occurredAt: Int64
    /// When the contribution took effect and from when it decays: the event's time, except
    /// `ignored` (filing + H) and a churn ended by renewal (the renewal's time).
    public var effectiveAt: Int64
    /// The model's weight for this rule (for a churn: the offset that brings L to 0).
    public var weight: Double
    /// The weight after the recovery cap and the churn hold.
    public var applied: Double
    public var adjustment: LoyaltyAdjustment?
    /// The applied weight decayed to `at`, in hundredths: the scores are exact sums of these.
    public var valueCents: Int64
    /// The case, for case events: an index into `CustomerLoyalty.caseIDs` (the recovery cap
    /// is per case). An index rather than the id keeps contributions free of references.
    public var caseOrdinal: Int?

    public var value: Double { Double(valueCents) / 100 }
}

/// Hundredths of a point: the unit in which scores and contributions are reported, so the
/// contributions printed add up to the score printed, exactly.
public enum Cents {
    public static func of(_ value: Double) -> Int64 { Int64((value * 100).rounded()) }

    /// `12.30`, `-4.05`.
    public static func text(_ cents: Int64) -> String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    public static func clip(_ cents: Int64) -> Int64 { min(10_000, max(0, cents)) }
}
