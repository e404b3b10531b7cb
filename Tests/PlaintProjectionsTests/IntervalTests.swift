import Testing

@testable import PlaintProjections

@Suite("Confidence intervals")
struct IntervalTests {
    /// Reference values: scipy 1.17.1,
    /// `binomtest(k, n).proportion_ci(confidence_level=0.95, method='wilson')`, printed with
    /// repr; they agree within 1e-16 with Wilson's closed form
    /// (p̂ + z²/2n ± z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n) evaluated in 50-digit mpmath.
    @Test(
        "Wilson score interval matches scipy",
        arguments: [
            (0, 1, 0.0, 0.7934506856227626),
            (1, 1, 0.20654931437723745, 1.0),
            (0, 10, 0.0, 0.27753279986288926),
            (10, 10, 0.7224672001371109, 1.0),
            (1, 2, 0.09453120573423074, 0.9054687942657693),
            (8, 8, 0.6755924351161198, 1.0),
            (3, 40, 0.025836025774588198, 0.19864233524310543),
            (100, 102, 0.9313069159896511, 0.9946062478304137),
            (50, 100, 0.4038315303659956, 0.5961684696340044),
            (1, 1000, 0.00017654637062607809, 0.0056425585979579355),
            (999, 1000, 0.9943574414020421, 0.9998234536293739),
            (123_456, 7_654_321, 0.016039930087946328, 0.01621841360311677),
        ])
    func wilson(successes: Int, trials: Int, low: Double, high: Double) throws {
        let interval = try #require(WilsonInterval.of(successes, in: trials))
        #expect(abs(interval.low - low) <= 1e-12)
        #expect(abs(interval.high - high) <= 1e-12)
    }

    @Test("Wilson: no trials, no interval; z is the 0.975 normal quantile")
    func wilsonEdges() {
        #expect(WilsonInterval.of(0, in: 0) == nil)
        #expect(WilsonInterval.z == 1.959963984540054)  // scipy.special.ndtri(0.975)
    }

    /// Reference values: scipy 1.17.1,
    /// `quantile_test(np.arange(1, n + 1, dtype=float), p=percent/100).confidence_interval(0.95)`,
    /// so each value is its own 1-based rank; nan is nil. Also checked against an exact
    /// integer-arithmetic evaluation of the definition for every n in 0...2000 and p in
    /// {0.5, 0.9, 0.95}, and against scipy for every percent 1...99 with n in 0...300.
    static let orderStatisticCases: [(percent: Int, n: Int, low: Int?, high: Int?)] = [
        (50, 0, nil, nil),
        (50, 1, nil, nil), (90, 1, nil, nil), (95, 1, nil, nil),
        (50, 2, nil, nil), (50, 5, nil, nil), (50, 6, 1, 6), (50, 8, 1, 8), (50, 9, 2, 8),
        (90, 10, 7, nil), (95, 10, 8, nil), (5, 10, nil, 3), (10, 20, nil, 6),
        (50, 20, 6, 15), (90, 20, 15, nil), (95, 20, 17, nil),
        (95, 59, 52, nil), (95, 60, 53, nil), (95, 73, 65, 73),
        (50, 100, 40, 61), (90, 100, 84, 96), (95, 100, 90, 100), (1, 100, nil, 4), (99, 100, 97, nil),
        (50, 1000, 469, 532), (95, 1000, 936, 964),
        (90, 100_000, 89_814, 90_187),
    ]

    @Test("order-statistic interval matches scipy, as ranks and as values", arguments: orderStatisticCases)
    func orderStatistic(_ row: (percent: Int, n: Int, low: Int?, high: Int?)) {
        let ranks = OrderStatisticInterval.ranks(percent: row.percent, count: row.n)
        #expect(ranks.low == row.low)
        #expect(ranks.high == row.high)
        let values = row.n == 0 ? [] : Array(1...Int64(row.n))
        let interval = OrderStatisticInterval.interval(percent: row.percent, of: values)
        #expect(interval.low == row.low.map(Int64.init))
        #expect(interval.high == row.high.map(Int64.init))
    }

    /// scipy 1.17.1, same call as above with n = 10⁶ and 10⁷ (the windowed sum's large-n path).
    @Test("millions of values: ranks match scipy")
    func orderStatisticLarge() {
        let million = OrderStatisticInterval.ranks(percent: 50, count: 1_000_000)
        #expect(million.low == 499_020 && million.high == 500_981)
        let tenMillion = OrderStatisticInterval.ranks(percent: 95, count: 10_000_000)
        #expect(tenMillion.low == 9_498_649 && tenMillion.high == 9_501_351)
    }

    /// A shuffled sample with ties: numpy `default_rng(7).integers(1, 16, size=40) * 1000`;
    /// expected ends from scipy 1.17.1 `quantile_test(x, p=percent/100).confidence_interval(0.95)`
    /// on the unsorted sample (ranks 14/27, 32/40 and 35/–).
    static let tiedCases: [(percent: Int, low: Int64?, high: Int64?)] = [
        (50, 8000, 12000), (90, 13000, 15000), (95, 14000, nil),
    ]

    @Test("a shuffled sample with ties", arguments: tiedCases)
    func orderStatisticTies(percent: Int, low: Int64?, high: Int64?) {
        let sample: [Int64] = [
            15000, 10000, 11000, 14000, 9000, 12000, 13000, 4000, 1000, 5000,
            5000, 14000, 14000, 1000, 8000, 13000, 2000, 12000, 2000, 8000,
            13000, 5000, 6000, 5000, 11000, 4000, 15000, 7000, 8000, 8000,
            9000, 9000, 8000, 15000, 13000, 12000, 11000, 10000, 6000, 15000,
        ]
        let interval = OrderStatisticInterval.interval(percent: percent, of: sample.sorted())
        #expect(interval.low == low)
        #expect(interval.high == high)
    }

    @Test("a percent outside 1...99 has no interval")
    func orderStatisticPercentOutOfRange() {
        for percent in [0, 100] {
            let ranks = OrderStatisticInterval.ranks(percent: percent, count: 10)
            #expect(ranks.low == nil && ranks.high == nil)
        }
    }
}
