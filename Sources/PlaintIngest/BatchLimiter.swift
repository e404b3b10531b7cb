/// How many events the next write transaction of a checked append takes, so that the resident
/// set stays under `peak`.
///
/// A transaction reads, and copies to change them, the index and view pages its events land
/// on. Events whose keys grow with time share a few pages; events whose case ids are scattered
/// (hashes, random ticket numbers) touch several pages each, and 2,500 of them added about
/// 160 MB in one transaction. So the limiter measures what each transaction added per event
/// and sizes the next to fit the room left under `peak`, between `minimum` and `maximum`.
struct BatchLimiter {
    static let minimum = 100
    let maximum: Int
    let peak: Int
    private(set) var size: Int
    /// Bytes one event added to the resident set, recently: a rise counts at once, a fall
    /// slowly, so one lucky transaction does not let the next overshoot.
    private var bytesPerEvent: Double = 0

    init(maximum: Int, peak: Int) {
        self.maximum = maximum
        self.peak = peak
        size = maximum
    }

    /// Takes what a transaction of `events` events did to the resident set: its size `before`
    /// and `after` it.
    mutating func observe(events: Int, before: Int, after: Int) {
        guard events > 0 else { return }
        let added = Double(max(0, after - before)) / Double(events)
        bytesPerEvent = added > bytesPerEvent ? added : (bytesPerEvent * 3 + added) / 4
    }

    /// Whether a transaction of `maximum` events, from a resident set of `resident`, could pass
    /// the peak: then the append lets go of the store's mapped pages first. Letting go costs a
    /// fault for each page touched again, so it happens only when the room is needed.
    func needsRoom(resident: Int) -> Bool {
        Double(resident) + Double(maximum) * bytesPerEvent > Double(peak)
    }

    /// Sizes the next transaction to the room left under the peak.
    mutating func plan(resident: Int) {
        guard bytesPerEvent > 0 else {
            size = maximum
            return
        }
        let room = Double(max(0, peak - resident))
        size = Int(min(Double(maximum), max(Double(min(Self.minimum, maximum)), room / bytesPerEvent)))
    }
}
