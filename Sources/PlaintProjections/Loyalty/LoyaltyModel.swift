import PlaintEvents

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// The weights, targets and half-life of the loyalty model, as a value.
///
/// plaint ships its defaults as `models/loyalty-default.json`; `plaint loyalty --model FILE` swaps
/// in another. The stored ledger keeps raw facts, never weights, so a model applies to a query
/// without replaying the log.
public struct LoyaltyModel: Hashable, Sendable {
    /// Contributions halve in value every `halfLife` (microseconds).
    public var halfLife: Int64
    /// The score before any contribution.
    public var baseline: Double
    /// H: a request with no response after this long counts as ignored (microseconds).
    public var window: Int64
    public var customer: CustomerWeights
    public var devotion: DevotionWeights

    /// Customer → brand loyalty L.
    public struct CustomerWeights: Hashable, Sendable {
        public var complaintFiled: Double
        public var ignored: Double
        public var firstResponseTarget: Int64
        /// Per doubling of the first response time over the target (−3 · log2(FRT / target)).
        public var slowFirstResponsePerDoubling: Double
        /// The slow-response contribution never goes below this.
        public var slowFirstResponseCap: Double
        public var redirectFirstResponse: Double
        public var followUpBeforeResponse: Double
        public var resolutionTarget: Int64
        public var resolvedWithinTarget: Double
        public var resolvedLate: Double
        public var reopened: Double
        public var abandoned: Double
        public var unconsentedAdverseChange: Double
        public var upgrade: Double
        public var promoterMinimumNPS: Int
        public var promoter: Double
        public var detractorMaximumNPS: Int
        public var detractor: Double
        public var renewed: Double
    }

    /// Brand → customer devotion B.
    public struct DevotionWeights: Hashable, Sendable {
        public var responseRate: Double
        public var speed: Double
        public var kept: Double
        public var unconsentedAdverseChange: Double
    }

    private static let hour = Timestamp.microsecondsPerHour

    /// The defaults the README gives; `models/loyalty-default.json` says the same (a test checks).
    public static let standard = LoyaltyModel(
        halfLife: 180 * 24 * hour, baseline: 50, window: 72 * hour,
        customer: CustomerWeights(
            complaintFiled: -5, ignored: -20, firstResponseTarget: hour, slowFirstResponsePerDoubling: -3,
            slowFirstResponseCap: -10, redirectFirstResponse: -4, followUpBeforeResponse: -4,
            resolutionTarget: 24 * hour, resolvedWithinTarget: 15, resolvedLate: 8, reopened: -6, abandoned: -15,
            unconsentedAdverseChange: -25, upgrade: 5, promoterMinimumNPS: 9, promoter: 5, detractorMaximumNPS: 6,
            detractor: -5, renewed: 5),
        devotion: DevotionWeights(responseRate: 0.4, speed: 0.3, kept: 0.3, unconsentedAdverseChange: -25))

    /// The factor a contribution made at `from` keeps at `to`: 0.5^(age / half-life). Never
    /// above 1: a contribution dated after `to` is not counted at all, so age is never negative.
    public func decay(from: Int64, to: Int64) -> Double {
        let age = Double(max(0, to - from))
        return exp2(-age / Double(halfLife))
    }
}
