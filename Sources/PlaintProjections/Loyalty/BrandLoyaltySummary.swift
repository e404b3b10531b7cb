/// `plaint loyalty --brand B`: the distribution of L and B over a brand's relationships, the
/// customers below 30, the largest gaps either way, and the relationships hit by unconsented
/// adverse service changes.
public struct BrandLoyaltySummary: Sendable {
    /// Nearest-rank deciles (10th to 90th percentile) and the extremes, in hundredths.
    public struct Distribution: Hashable, Sendable {
        public var minimum: Int64?
        public var deciles: [Int64]
        public var maximum: Int64?
        public var mean: Double?
        /// Scores below 30.
        public var below30: Int

        init(_ values: [Int64]) {
            let sorted = values.sorted()
            minimum = sorted.first
            maximum = sorted.last
            deciles = sorted.isEmpty ? [] : (1...9).map { NearestRank.percentile($0 * 10, of: sorted)! }
            mean = sorted.isEmpty ? nil : Double(sorted.reduce(0, +)) / Double(sorted.count) / 100
            below30 = sorted.partitioningIndex { $0 >= 3000 }
        }
    }

    public var brand: String
    public var relationships: Int
    public var loyalty: Distribution
    public var devotion: Distribution
    /// L far above B: the customer stays loyal to a brand that neglects them. Largest first.
    public var loyalOverDevoted: [RelationshipHeadline]
    /// B far above L: the brand serves a customer whose loyalty is gone. Largest first.
    public var devotedOverLoyal: [RelationshipHeadline]
    public var unconsentedAdverseChanges: Int
    public var churned: Int
    /// Every relationship, by customer id: what `loyalty --brand B --all` lists.
    public var all: [RelationshipHeadline]

    public init(brand: String, scores: [RelationshipHeadline], gapsShown: Int = 10) {
        self.brand = brand
        relationships = scores.count
        loyalty = Distribution(scores.map(\.loyaltyCents))
        devotion = Distribution(scores.map(\.devotionCents))
        // The largest gaps by a sort of (gap, index) pairs; ties by customer id, so the report
        // is reproducible.
        func largest(_ sign: Int64) -> [RelationshipHeadline] {
            var candidates = scores.indices.compactMap { index in
                let gap = sign * scores[index].gapCents
                return gap > 0 ? (gap, index) : nil
            }
            candidates.sort { lhs, rhs in
                lhs.0 != rhs.0
                    ? lhs.0 > rhs.0 : scores[lhs.1].customer.lexicographicallyPrecedes(scores[rhs.1].customer)
            }
            return candidates.prefix(gapsShown).map { scores[$0.1] }
        }
        loyalOverDevoted = largest(1)
        devotedOverLoyal = largest(-1)
        unconsentedAdverseChanges = scores.count { $0.hadUnconsentedAdverseChange }
        churned = scores.count { $0.churned }
        all = scores.sorted { $0.customer.lexicographicallyPrecedes($1.customer) }
    }
}
