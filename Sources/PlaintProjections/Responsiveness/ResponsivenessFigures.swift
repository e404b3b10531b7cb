import PlaintEvents

/// One brand's (or one period's) figures. Durations are microseconds; shares are fractions
/// 0-1; nil where a figure is undefined (an empty base) or not recorded (the brand's data holds
/// no event the figure is made of).
public struct ResponsivenessFigures: Hashable, Sendable {
    /// The requests by status, and the response rate.
    public var tally = RequestTally()
    public var frtP50: Percentile?
    public var frtP90: Percentile?
    public var frtP95: Percentile?
    public var shareWithin1h: Rate?
    public var shareWithin24h: Rate?
    public var redirectShare: Rate?
    public var resolutionRate: Rate?
    public var resolutionP50: Percentile?
    public var oneTouchShare: Rate?
    public var reopenRate: Rate?
    public var clockSkew = 0
    /// Requests whose first response came more than the query's `staleAfter` after them.
    public var staleResponses = 0
    /// Stale requests left out of every figure above (`excludeStale`); 0 when they are kept.
    public var staleExcluded = 0
    /// False when the brand's data holds no `case.resolved`: the resolution figures are then
    /// nil ("not recorded"), never 0%.
    public var resolutionsRecorded = true
    /// Requests per source (`meta.source` of the event that opened the case; nil for none),
    /// most requests first, ties by name.
    public var sources: [SourceCount] = []

    public init() {}

    public var requests: Int { tally.requests }
    public var answered: Int { tally.answered }
    public var answeredWithinWindow: Int { tally.answeredWithinWindow }
    public var late: Int { tally.late }
    public var ignored: Int { tally.ignored }
    public var pending: Int { tally.pending }
    public var decided: Int { tally.decided }
    public var responseRate: Rate? { tally.responseRate }
}

/// A share with its base and its 95% Wilson score interval.
public struct Rate: Hashable, Sendable {
    public var count: Int
    public var base: Int
    public var value: Double
    public var interval: (low: Double, high: Double)

    /// nil for an empty base.
    public init?(_ count: Int, of base: Int) {
        guard base > 0, let interval = WilsonInterval.of(count, in: base) else { return nil }
        self.count = count
        self.base = base
        value = Double(count) / Double(base)
        self.interval = interval
    }

    public static func == (lhs: Rate, rhs: Rate) -> Bool {
        lhs.count == rhs.count && lhs.base == rhs.base
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        hasher.combine(base)
    }
}

/// A nearest-rank percentile with its distribution-free 95% interval from order statistics
/// (an end whose rank falls outside the sample is nil). Microseconds.
public struct Percentile: Hashable, Sendable {
    public var value: Int64
    public var low: Int64?
    public var high: Int64?
    /// How many values it was taken over.
    public var count: Int

    /// nil for no values.
    public init?(_ percent: Int, of sorted: [Int64]) {
        guard let value = NearestRank.percentile(percent, of: sorted) else { return nil }
        self.value = value
        (low, high) = OrderStatisticInterval.interval(percent: percent, of: sorted)
        count = sorted.count
    }
}

/// How many requests of a brand came from one source.
public struct SourceCount: Hashable, Sendable {
    /// nil: events that name no source.
    public var source: String?
    public var requests: Int
    /// The source's share of all the brand's (or period's) requests, 0...1.
    public var share: Double
}

/// Accumulates the cases of one brand (or period) and computes the figures.
///
/// Add the figures of each case evaluated at `at`; cases that are not requests are ignored.
public struct ResponsivenessAccumulator: Sendable {
    public let at: Int64
    public let window: Int64
    public let staleAfter: Int64
    public let excludeStale: Bool
    private var figures = ResponsivenessFigures()
    private var responseTimes: [Int64] = []
    private var resolutionTimes: [Int64] = []
    private var within1h = 0
    private var within24h = 0
    private var redirects = 0
    private var resolved = 0
    private var oneTouch = 0
    private var reopened = 0
    private var everResolved = 0
    private var sources: [[UInt8]?: Int] = [:]

    public init(
        at: Int64, window: Int64, staleAfter: Int64 = ResponsivenessQuery.defaultStaleAfter, excludeStale: Bool = false
    ) {
        self.at = at
        self.window = window
        self.staleAfter = staleAfter
        self.excludeStale = excludeStale
    }

    public init(_ query: ResponsivenessQuery) {
        self.init(at: query.at, window: query.window, staleAfter: query.staleAfter, excludeStale: query.excludeStale)
    }

    /// Whether the request's first response came more than `staleAfter` after it: a data-quality
    /// flag (a reply years after its request usually means a thread stitched across time).
    public static func isStale(_ request: CaseFigures, after staleAfter: Int64) -> Bool {
        (request.firstResponseTime ?? 0) > staleAfter
    }

    /// - Parameter source: the case's source (`CaseJourney.source`).
    public mutating func add(_ request: CaseFigures, source: [UInt8]? = nil) {
        guard let status = RequestStatus.of(request, at: at, window: window) else { return }
        if Self.isStale(request, after: staleAfter) {
            figures.staleResponses += 1
            if excludeStale {
                figures.staleExcluded += 1
                return
            }
        }
        figures.tally.count(status)
        sources[source, default: 0] += 1
        if let responseTime = request.firstResponseTime {
            responseTimes.append(responseTime)
            if responseTime <= Timestamp.microsecondsPerHour { within1h += 1 }
            if responseTime <= 24 * Timestamp.microsecondsPerHour { within24h += 1 }
            if request.firstResponseWasRedirect { redirects += 1 }
            if request.firstResponseSkewed { figures.clockSkew += 1 }
        }
        if let resolution = request.timeToResolution {
            resolved += 1
            resolutionTimes.append(resolution)
            if request.brandReplies <= 1 { oneTouch += 1 }
        }
        if request.recordsResolution {
            everResolved += 1
            if request.reopenCount > 0 { reopened += 1 }
        }
    }

    /// Whether any request added so far has been resolved at some point.
    public var sawResolution: Bool { everResolved > 0 }

    /// The figures; `resolutionsRecorded` says whether the brand's data (not only the requests
    /// added here) records resolutions at all (default: whether these requests do).
    public func result(resolutionsRecorded: Bool? = nil) -> ResponsivenessFigures {
        var result = figures
        let decided = figures.decided
        result.shareWithin1h = Rate(within1h, of: decided)
        result.shareWithin24h = Rate(within24h, of: decided)
        result.redirectShare = Rate(redirects, of: figures.answered)
        let responses = responseTimes.sorted()
        result.frtP50 = Percentile(50, of: responses)
        result.frtP90 = Percentile(90, of: responses)
        result.frtP95 = Percentile(95, of: responses)
        result.resolutionsRecorded = resolutionsRecorded ?? sawResolution
        if result.resolutionsRecorded {
            result.resolutionRate = Rate(resolved, of: figures.requests)
            result.oneTouchShare = Rate(oneTouch, of: resolved)
            result.reopenRate = Rate(reopened, of: everResolved)
            result.resolutionP50 = Percentile(50, of: resolutionTimes.sorted())
        }
        result.sources = sources.map {
            SourceCount(
                source: $0.key.map { String(decoding: $0, as: UTF8.self) }, requests: $0.value,
                share: Double($0.value) / Double(max(1, figures.requests)))
        }
        .sorted { lhs, rhs in
            lhs.requests != rhs.requests
                ? lhs.requests > rhs.requests
                : (lhs.source ?? "").utf8.lexicographicallyPrecedes((rhs.source ?? "").utf8)
        }
        return result
    }

    public var result: ResponsivenessFigures { result() }
}
