import PlaintEvents

/// How to group requests over time: by the UTC day, ISO week (from Monday) or month of filing.
public enum PeriodLength: String, Sendable, CaseIterable {
    case day, week, month

    public func start(of time: Int64) -> Int64 {
        let timestamp = Timestamp(microseconds: time)
        switch self {
        case .day: return timestamp.startOfDay.microseconds
        case .week: return timestamp.startOfWeek.microseconds
        case .month: return timestamp.startOfMonth.microseconds
        }
    }

    /// The start of the period after the one starting at `periodStart`.
    public func start(after periodStart: Int64) -> Int64 {
        let days: Int64 =
            switch self {
            case .day: 1
            case .week: 7
            case .month: 31
            }
        return start(of: periodStart + days * Timestamp.microsecondsPerDay)
    }
}

/// The question `plaint responsiveness` answers: which requests, judged when, with what window.
public struct ResponsivenessQuery: Sendable {
    /// Evaluation time: events after it have not happened yet.
    public var at: Int64
    /// H: how long a request may wait before it counts as ignored (and a response as late).
    public var window: Int64
    public var channel: Channel?
    /// Filing-time bounds, both inclusive.
    public var filedFrom: Int64?
    public var filedTo: Int64?
    public var period: PeriodLength?
    /// A first response later than this after its request is a `stale_response` anomaly.
    public var staleAfter: Int64 = defaultStaleAfter
    /// Whether stale requests are left out of every figure (they are counted either way).
    public var excludeStale = false
    /// A brand is ranked only with at least this many decided requests (requests − pending).
    public var minimumDecided = defaultMinimumDecided

    public static let defaultWindow: Int64 = 72 * Timestamp.microsecondsPerHour
    public static let defaultStaleAfter: Int64 = 30 * Timestamp.microsecondsPerDay
    public static let defaultMinimumDecided = 30

    public init(
        at: Int64, window: Int64 = defaultWindow, channel: Channel? = nil, filedFrom: Int64? = nil,
        filedTo: Int64? = nil, period: PeriodLength? = nil
    ) {
        self.at = at
        self.window = window
        self.channel = channel
        self.filedFrom = filedFrom
        self.filedTo = filedTo
        self.period = period
    }

    /// Whether a request with these figures belongs to the query's cohort.
    public func includes(_ request: CaseFigures) -> Bool {
        guard let filedAt = request.filedAt, filedAt <= at else { return false }
        if let channel, request.requestChannel != channel { return false }
        if let filedFrom, filedAt < filedFrom { return false }
        if let filedTo, filedAt > filedTo { return false }
        return true
    }
}

/// Socialbakers' "Socially Devoted" bar (at least 65% of questions answered), judged on the
/// response rate's interval so that a small sample cannot pass or fail it by chance.
public enum DevotedVerdict: String, Sendable, Hashable {
    /// The interval's low end is at least 65%.
    case yes
    /// The interval's high end is below 65%.
    case no
    /// The interval straddles 65%, or the brand is not ranked.
    case undecided

    public static let bar = 0.65

    public init(_ responseRate: Rate?, ranked: Bool) {
        guard ranked, let interval = responseRate?.interval else {
            self = .undecided
            return
        }
        self = interval.low >= Self.bar ? .yes : interval.high < Self.bar ? .no : .undecided
    }
}

/// One brand's figures for a query, with its periods when the query groups by period.
public struct BrandResponsiveness: Sendable, Hashable {
    public var brand: String
    public var figures: ResponsivenessFigures
    /// (period start, figures), oldest first; empty unless grouped.
    public var periods: [(start: Int64, figures: ResponsivenessFigures)]
    /// 1-based rank by response rate among the ranked brands; nil when the brand has fewer
    /// decided requests than the query's minimum.
    public var rank: Int?
    public var devoted: DevotedVerdict

    public init(
        brand: String, figures: ResponsivenessFigures, periods: [(start: Int64, figures: ResponsivenessFigures)],
        rank: Int? = nil, devoted: DevotedVerdict = .undecided
    ) {
        self.brand = brand
        self.figures = figures
        self.periods = periods
        self.rank = rank
        self.devoted = devoted
    }

    public static func == (lhs: BrandResponsiveness, rhs: BrandResponsiveness) -> Bool {
        lhs.brand == rhs.brand && lhs.figures == rhs.figures && lhs.periods.map(\.start) == rhs.periods.map(\.start)
            && lhs.periods.map(\.figures) == rhs.periods.map(\.figures) && lhs.rank == rhs.rank
            && lhs.devoted == rhs.devoted
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(brand)
        hasher.combine(figures)
    }
}

/// Computes brands' figures from their cases' journeys.
public struct ResponsivenessReport: Sendable {
    public let query: ResponsivenessQuery
    private let empty: ResponsivenessAccumulator
    /// Per brand, by number: its name, its accumulator, its periods' accumulators, and whether
    /// any of its cases (in the cohort or not) has been resolved.
    private var names: [String] = []
    private var totals: [ResponsivenessAccumulator] = []
    private var periods: [[Int64: ResponsivenessAccumulator]] = []
    private var recordsResolutions: [Bool] = []
    private var numbers: [String: Int] = [:]
    /// The brand added last: callers add a brand's cases in runs, so most adds skip the lookup.
    private var last: (name: String, number: Int)?

    public init(query: ResponsivenessQuery) {
        self.query = query
        empty = ResponsivenessAccumulator(query)
    }

    /// Adds one case of `journey.brand`, evaluated at the query's time.
    public mutating func add(_ journey: CaseJourney) {
        add(CaseFigures(journey.entries, at: query.at), brand: journey.brandName, source: journey.source)
    }

    public mutating func add(_ request: CaseFigures, brand: String, source: [UInt8]? = nil) {
        let number = self.number(of: brand)
        if request.recordsResolution { recordsResolutions[number] = true }
        guard query.includes(request) else { return }
        // Mutate in place: a copied accumulator would copy its arrays on every request.
        totals[number].add(request, source: source)
        if let period = query.period, let filedAt = request.filedAt {
            periods[number][period.start(of: filedAt), default: empty].add(request, source: source)
        }
    }

    private mutating func number(of brand: String) -> Int {
        if let last, last.name == brand { return last.number }
        let number =
            numbers[brand]
            ?? {
                names.append(brand)
                totals.append(empty)
                periods.append([:])
                recordsResolutions.append(false)
                numbers[brand] = names.count - 1
                return names.count - 1
            }()
        last = (brand, number)
        return number
    }

    /// The brands with requests in the cohort: first those with at least the query's minimum of
    /// decided requests, ranked by response rate@H (then by requests, then by name); then the
    /// others, unranked, by decided requests (then by name).
    public var ranked: [BrandResponsiveness] {
        let brands = names.indices.compactMap { number -> BrandResponsiveness? in
            let recorded = recordsResolutions[number]
            let figures = totals[number].result(resolutionsRecorded: recorded)
            guard figures.requests > 0 || figures.staleExcluded > 0 else { return nil }
            return BrandResponsiveness(
                brand: names[number], figures: figures,
                periods: periods[number].keys.sorted().map {
                    ($0, periods[number][$0]!.result(resolutionsRecorded: recorded))
                })
        }
        let minimum = query.minimumDecided
        let ranked = brands.filter { $0.figures.decided >= minimum }.sorted { lhs, rhs in
            let left = lhs.figures.responseRate?.value ?? -1
            let right = rhs.figures.responseRate?.value ?? -1
            if left != right { return left > right }
            if lhs.figures.requests != rhs.figures.requests { return lhs.figures.requests > rhs.figures.requests }
            return lhs.brand.utf8.lexicographicallyPrecedes(rhs.brand.utf8)
        }
        let unranked = brands.filter { $0.figures.decided < minimum }.sorted { lhs, rhs in
            if lhs.figures.decided != rhs.figures.decided { return lhs.figures.decided > rhs.figures.decided }
            return lhs.brand.utf8.lexicographicallyPrecedes(rhs.brand.utf8)
        }
        return ranked.enumerated().map { index, brand in
            var brand = brand
            brand.rank = index + 1
            brand.devoted = DevotedVerdict(brand.figures.responseRate, ranked: true)
            return brand
        } + unranked
    }
}
