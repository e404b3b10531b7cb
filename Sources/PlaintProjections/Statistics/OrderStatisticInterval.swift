/// The distribution-free 95% confidence interval of a percentile from order statistics, as
/// `scipy.stats.quantile_test(x, p: percent / 100).confidence_interval(0.95)` computes it.
///
/// With B ~ Binomial(n, p), the low end is x(k), k the smallest integer with P(B ≤ k) ≥ 0.025,
/// and the high end is x(m + 1), m the smallest integer with P(B > m) ≤ 0.025; x(1) ≤ … ≤ x(n)
/// is the sorted sample, 1-based. An end whose rank falls outside 1...n is nil.
public enum OrderStatisticInterval {
    /// Each tail's share of the 5% a 95% two-sided interval leaves out.
    static let tailProbability = 0.025

    /// The interval's ends as 1-based ranks into the sorted sample of size `n`. `percent`
    /// outside 1...99 has no interval: both ends are nil.
    public static func ranks(percent: Int, count n: Int) -> (low: Int?, high: Int?) {
        guard n > 0, (1...99).contains(percent) else { return (nil, nil) }
        let binomial = BinomialMass(trials: n, percent: percent)
        let k = binomial.smallestOutcome(withLowerTailAtLeast: tailProbability)
        let m = binomial.smallestOutcome(withUpperTailAtMost: tailProbability)
        let valid = 1...n
        return (valid.contains(k) ? k : nil, valid.contains(m + 1) ? m + 1 : nil)
    }

    /// The same interval as values of `sorted` (ascending).
    public static func interval(percent: Int, of sorted: [Int64]) -> (low: Int64?, high: Int64?) {
        let (low, high) = ranks(percent: percent, count: sorted.count)
        return (low.map { sorted[$0 - 1] }, high.map { sorted[$0 - 1] })
    }
}

/// The probabilities of Binomial(n, p) outcomes, up to a common factor, over the outcomes that
/// hold all but a negligible share of the mass.
///
/// Why this way: the standard library has no `log` or `exp`, and the pmf of large n underflows
/// a Double. So the pmf is built by the ratio pmf(j + 1) / pmf(j) = (n − j) / (j + 1) · p / q
/// outward from the mode, where it is set to 1 (the largest term, so nothing overflows), and
/// stops on each side at a term below 1e-25 or at 0 or n. The pmf is log-concave, so the terms
/// left out shrink faster than a geometric series and weigh far below 1e-20 of the total even
/// for n in the tens of millions. The window is about ±11 standard deviations wide: O(n) for
/// small n, O(√n) for large n (about 35 000 terms for n = 10 million, p = 0.5).
struct BinomialMass {
    /// The outcome `weights[0]` belongs to.
    let first: Int
    let weights: [Double]
    let total: Double

    static let negligible = 1e-25

    init(trials n: Int, percent: Int) {
        let odds = Double(percent) / Double(100 - percent)  // p / q
        let mode = min(n, (n + 1) * percent / 100)  // ⌊(n + 1)p⌋
        var below: [Double] = []
        var weight = 1.0
        var j = mode
        while j > 0 {
            weight *= Double(j) / (Double(n - j + 1) * odds)  // pmf(j − 1) / pmf(j)
            if weight < Self.negligible { break }
            below.append(weight)
            j -= 1
        }
        var weights = Array(below.reversed())
        weights.append(1)
        weight = 1
        j = mode
        while j < n {
            weight *= Double(n - j) * odds / Double(j + 1)  // pmf(j + 1) / pmf(j)
            if weight < Self.negligible { break }
            weights.append(weight)
            j += 1
        }
        first = mode - below.count
        self.weights = weights
        total = weights.reduce(0, +)
    }

    /// The smallest k with P(B ≤ k) ≥ probability.
    func smallestOutcome(withLowerTailAtLeast probability: Double) -> Int {
        let threshold = probability * total
        var lowerTail = 0.0
        for (offset, weight) in weights.enumerated() {
            lowerTail += weight
            if lowerTail >= threshold { return first + offset }
        }
        return first + weights.count - 1
    }

    /// The smallest m with P(B > m) ≤ probability.
    func smallestOutcome(withUpperTailAtMost probability: Double) -> Int {
        let threshold = probability * total
        var upperTail = 0.0  // P(B > first + offset − 1) once weights[offset] is added
        var m = first + weights.count - 1
        for offset in weights.indices.reversed() {
            upperTail += weights[offset]
            if upperTail > threshold { break }
            m = first + offset - 1
        }
        return m
    }
}
