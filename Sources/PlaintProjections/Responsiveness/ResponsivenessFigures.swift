/// One brand's (or one period's) figures of DESIGN section 3. Durations are microseconds;
/// shares are fractions 0-1; nil where a figure is undefined (an empty base).
public struct ResponsivenessFigures: Hashable, Sendable {
    public var requests = 0
    public var answered = 0
    public var answeredWithinWindow = 0
    public var late = 0
    public var ignored = 0
    public var pending = 0
    public var responseRate: Double?
    public var frtP50: Int64?
    public var frtP90: Int64?
    public var frtP95: Int64?
    public var shareWithin1h: Double?
    public var shareWithin24h: Double?
    public var redirectShare: Double?
    public var resolutionRate: Double?
    public var resolutionP50: Int64?
    public var oneTouchShare: Double?
    public var reopenRate: Double?
    public var clockSkew = 0

    public init() {}
}

/// How a request stands at the evaluation time.
public enum RequestStatus: String, Sendable {
    /// Answered within the window.
    case answered
    /// Answered after the window.
    case late
    /// No response yet and younger than the window.
    case pending
    /// No response and older than the window.
    case ignored

    /// - Parameters: times in microseconds.
    public static func of(_ figures: CaseFigures, at: Int64, window: Int64) -> RequestStatus? {
        RequestOutcome(filedAt: figures.filedAt, firstResponseAt: figures.firstResponseAt, state: figures.state)
            .status(at: at, window: window)
    }
}

/// Accumulates the cases of one brand (or period) and computes the figures.
///
/// Add the figures of each case evaluated at `at`; cases that are not requests are ignored.
public struct ResponsivenessAccumulator: Sendable {
    public let at: Int64
    public let window: Int64
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

    public static let hour: Int64 = 3_600_000_000

    public init(at: Int64, window: Int64) {
        self.at = at
        self.window = window
    }

    public mutating func add(_ request: CaseFigures) {
        guard let status = RequestStatus.of(request, at: at, window: window) else { return }
        figures.requests += 1
        switch status {
        case .answered:
            figures.answered += 1
            figures.answeredWithinWindow += 1
        case .late:
            figures.answered += 1
            figures.late += 1
        case .pending: figures.pending += 1
        case .ignored: figures.ignored += 1
        }
        if let responseTime = request.firstResponseTime {
            responseTimes.append(responseTime)
            if responseTime <= Self.hour { within1h += 1 }
            if responseTime <= 24 * Self.hour { within24h += 1 }
            if request.firstResponseWasRedirect { redirects += 1 }
            if request.firstResponseSkewed { figures.clockSkew += 1 }
        }
        if let resolution = request.timeToResolution {
            resolved += 1
            resolutionTimes.append(resolution)
            if request.brandReplies <= 1 { oneTouch += 1 }
        }
        if request.everResolved || request.reopenCount > 0 {
            everResolved += 1
            if request.reopenCount > 0 { reopened += 1 }
        }
    }

    public var result: ResponsivenessFigures {
        var result = figures
        func share(_ count: Int, of base: Int) -> Double? { base == 0 ? nil : Double(count) / Double(base) }
        let decided = figures.requests - figures.pending
        result.responseRate = share(figures.answeredWithinWindow, of: decided)
        result.shareWithin1h = share(within1h, of: decided)
        result.shareWithin24h = share(within24h, of: decided)
        result.redirectShare = share(redirects, of: figures.answered)
        result.resolutionRate = share(resolved, of: figures.requests)
        result.oneTouchShare = share(oneTouch, of: resolved)
        result.reopenRate = share(reopened, of: everResolved)
        let responses = responseTimes.sorted()
        result.frtP50 = NearestRank.percentile(50, of: responses)
        result.frtP90 = NearestRank.percentile(90, of: responses)
        result.frtP95 = NearestRank.percentile(95, of: responses)
        result.resolutionP50 = NearestRank.percentile(50, of: resolutionTimes.sorted())
        return result
    }
}
