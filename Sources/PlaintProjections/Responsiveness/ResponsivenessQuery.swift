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

    public static let defaultWindow: Int64 = 72 * ResponsivenessAccumulator.hour

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

/// One brand's figures for a query, with its periods when the query groups by period.
public struct BrandResponsiveness: Sendable, Hashable {
    public var brand: String
    public var figures: ResponsivenessFigures
    /// (period start, figures), oldest first; empty unless grouped.
    public var periods: [(start: Int64, figures: ResponsivenessFigures)]

    public init(
        brand: String, figures: ResponsivenessFigures, periods: [(start: Int64, figures: ResponsivenessFigures)]
    ) {
        self.brand = brand
        self.figures = figures
        self.periods = periods
    }

    public static func == (lhs: BrandResponsiveness, rhs: BrandResponsiveness) -> Bool {
        lhs.brand == rhs.brand && lhs.figures == rhs.figures && lhs.periods.map(\.start) == rhs.periods.map(\.start)
            && lhs.periods.map(\.figures) == rhs.periods.map(\.figures)
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
    /// Per brand, by number: its name, its accumulator and its periods' accumulators.
    private var names: [String] = []
    private var totals: [ResponsivenessAccumulator] = []
    private var periods: [[Int64: ResponsivenessAccumulator]] = []
    private var numbers: [String: Int] = [:]
    /// The brand added last: callers add a brand's cases in runs, so most adds skip the lookup.
    private var last: (name: String, number: Int)?

    public init(query: ResponsivenessQuery) {
        self.query = query
        empty = ResponsivenessAccumulator(at: query.at, window: query.window)
    }

    /// Adds one case of `journey.brand`, evaluated at the query's time.
    public mutating func add(_ journey: CaseJourney) {
        add(CaseFigures(journey.entries, at: query.at), brand: journey.brandName)
    }

    public mutating func add(_ request: CaseFigures, brand: String) {
        guard query.includes(request) else { return }
        let number = self.number(of: brand)
        // Mutate in place: a copied accumulator would copy its arrays on every request.
        totals[number].add(request)
        if let period = query.period, let filedAt = request.filedAt {
            periods[number][period.start(of: filedAt), default: empty].add(request)
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
                numbers[brand] = names.count - 1
                return names.count - 1
            }()
        last = (brand, number)
        return number
    }

    /// Brands ranked by response rate@H (undefined last), then by requests, then by name.
    public var ranked: [BrandResponsiveness] {
        names.indices.map { number in
            BrandResponsiveness(
                brand: names[number], figures: totals[number].result,
                periods: periods[number].keys.sorted().map { ($0, periods[number][$0]!.result) })
        }
        .sorted { lhs, rhs in
            let left = lhs.figures.responseRate ?? -1
            let right = rhs.figures.responseRate ?? -1
            if left != right { return left > right }
            if lhs.figures.requests != rhs.figures.requests { return lhs.figures.requests > rhs.figures.requests }
            return lhs.brand.utf8.lexicographicallyPrecedes(rhs.brand.utf8)
        }
    }
}
