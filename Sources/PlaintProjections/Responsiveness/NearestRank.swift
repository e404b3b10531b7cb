/// Exact nearest-rank percentiles: the smallest value such that at least p% of the values are
/// at or below it. No interpolation, so every reported figure is a value that occurred.
public enum NearestRank {
    /// - Parameters:
    ///   - sorted: values in ascending order.
    ///   - percent: 1...100.
    public static func percentile(_ percent: Int, of sorted: [Int64]) -> Int64? {
        guard !sorted.isEmpty else { return nil }
        let rank = (percent * sorted.count + 99) / 100
        return sorted[max(1, rank) - 1]
    }
}
