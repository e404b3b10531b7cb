/// The Wilson score interval of a binomial proportion: unlike the normal approximation it stays
/// inside 0...1 and is sensible for tiny bases and for shares of 0% or 100%.
///
/// The formula is Newcombe's (1998), as in `scipy.stats.binomtest(k, n).proportion_ci(method:
/// "wilson")`: with p̂ = k/n, centre = (2k + z²) / 2(n + z²) and
/// half-width = z / 2(n + z²) · √(4n·p̂(1 − p̂) + z²); an end is pinned to 0 when k = 0 and
/// to 1 when k = n.
public enum WilsonInterval {
    /// z for 95%, two-sided: the 0.975 quantile of the standard normal (scipy's `ndtri(0.975)`).
    public static let z: Double = 1.959963984540054

    /// The 95% Wilson score interval of `successes` out of `trials`, as fractions 0-1; nil when
    /// trials == 0. `successes` must be in 0...trials.
    public static func of(_ successes: Int, in trials: Int) -> (low: Double, high: Double)? {
        precondition(0 <= successes && successes <= trials, "successes must be in 0...trials")
        guard trials > 0 else { return nil }
        let n = Double(trials)
        let k = Double(successes)
        let zSquared = z * z
        let denominator = 2 * (n + zSquared)
        let centre = (2 * k + zSquared) / denominator
        let halfWidth = z / denominator * (4 * k * (n - k) / n + zSquared).squareRoot()
        let low = successes == 0 ? 0 : centre - halfWidth
        let high = successes == trials ? 1 : centre + halfWidth
        return (low, high)
    }
}
