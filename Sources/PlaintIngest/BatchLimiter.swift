/// How many events the next write transaction of a checked append takes, so that the
/// process's anonymous memory stays under `peak`.
///
/// A transaction's memory is what it holds of its events and of the views it folds them into
/// (the store's pages it changes are written in the map, which is page cache). Events whose
/// keys are scattered (in time order or shuffled) change pages all over the store, and the more
/// events one transaction holds, the more of them share a page and a journey: large
/// transactions are what make scattered input fast. So the limiter takes the memory the
/// writing holds above `base` (what the process held before it began) as the cost of the
/// transactions so far, and sizes the next to fill `peak` at that cost, between `minimum` and
/// `maximum`. The store's mapped pages are page cache, not counted, and never let go by hand.
struct BatchLimiter {
    static let minimum = 100
    /// Of the room under the peak, the share a transaction is planned to fill: its events may
    /// dirty more pages each than the last one's.
    static let headroom = 0.8
    /// How many times the largest transaction so far the next may hold. A small transaction's
    /// cost per event is measured low (it reuses memory the check freed), so without this
    /// bound the second transaction jumps to the maximum and sets the process's peak.
    static let growth = 4
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

    /// The most events one transaction has held so far, and the memory held after the last.
    private var largest = 0
    private var lastAnonymous: Int?

    /// Takes the anonymous memory after a transaction of `events` events.
    ///
    /// Memory a transaction allocated stays with the process once it is freed (the allocator
    /// keeps it for the next one), so what the process holds after a transaction is what the
    /// largest transaction so far needed: the cost per event is that over the largest
    /// transaction, or, when this one made the process grow, its growth over its own events.
    mutating func observe(events: Int, anonymousAfter: Int) {
        guard events > 0 else { return }
        largest = max(largest, events)
        let held = Double(max(anonymousAfter - base, 1)) / Double(largest)
        let grown = Double(max(anonymousAfter - (lastAnonymous ?? base), 0)) / Double(events)
        lastAnonymous = anonymousAfter
        let bytesPerEvent = max(held, grown)
        let room = Double(max(peak - base, 0)) * Self.headroom
        let planned = Int(min(Double(maximum), max(Double(min(Self.minimum, maximum)), room / bytesPerEvent)))
        size = min(planned, max(largest * Self.growth, min(Self.minimum, maximum)))
    }
}
