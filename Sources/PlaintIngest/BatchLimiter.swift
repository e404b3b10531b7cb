/// How many events the next write transaction of a checked append takes, so that the
/// process's anonymous memory stays under `peak`.
///
/// LMDB copies every page a write transaction changes into memory it allocates (the
/// transaction's dirty pages) and keeps those allocations for later transactions once it has
/// committed. Events whose keys share pages (grouped by case) dirty few pages each; events in
/// time order or shuffled dirty several each, and the more events one transaction holds, the
/// more of them share a page: large transactions are what make scattered input fast. So the
/// limiter takes the memory the writing needs above `base` (what the process held before it
/// began), which is at least the dirty pages of the last transaction, as that transaction's
/// cost per event, and sizes the next to fill `peak` at that cost, between `minimum` and
/// `maximum`. The store's mapped pages are page cache, not counted, and never let go by hand.
struct BatchLimiter {
    static let minimum = 100
    /// Of the room under the peak, the share a transaction is planned to fill: its events may
    /// dirty more pages each than the last one's.
    static let headroom = 0.8
    let maximum: Int
    let peak: Int
    let base: Int
    private(set) var size: Int

    /// - Parameters:
    ///   - first: the first transaction's size, before anything is known of the input.
    ///   - base: the anonymous memory the process holds before writing.
    init(first: Int, maximum: Int, peak: Int, base: Int) {
        self.maximum = maximum
        self.peak = peak
        self.base = base
        size = min(first, maximum)
    }

    /// Takes the anonymous memory after a transaction of `events` events.
    mutating func observe(events: Int, anonymousAfter: Int) {
        guard events > 0 else { return }
        let used = Double(max(anonymousAfter - base, 1))
        let bytesPerEvent = used / Double(events)
        let room = Double(max(peak - base, 0)) * Self.headroom
        size = Int(min(Double(maximum), max(Double(min(Self.minimum, maximum)), room / bytesPerEvent)))
    }
}
