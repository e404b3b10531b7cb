import PlaintEvents
import PlaintLog
import PlaintProjections

/// The order of `plaint cases`.
public enum CaseOrder: String, Sendable, CaseIterable {
    /// By filing time, earliest first (cases without a request last).
    case filed
    /// Longest first response first; requests without a response after them.
    case frt
    /// Open cases that have waited longest since filing first; closed cases after them.
    case age
}

/// Which cases `plaint cases` lists: every filter given must match; a list filter matches any of its values.
public struct CaseFilter: Sendable {
    public var brands: [String] = []
    public var customer: String?
    /// The request's channel.
    public var channels: [Channel] = []
    public var states: [JourneyState] = []
    public var outcomes: [RequestStatus] = []
    /// Filing-time bounds, both inclusive.
    public var filedFrom: Int64?
    public var filedTo: Int64?
    /// Evaluation time; nil means the latest `occurred_at` in the log.
    public var at: Int64?
    public var window: Int64 = ResponsivenessQuery.defaultWindow
    public var order: CaseOrder = .filed
    public var limit: Int?

    public init() {}

    var filtersOnRequest: Bool { !outcomes.isEmpty || filedFrom != nil || filedTo != nil }
}

/// One line of `plaint cases`.
public struct CaseSummary: Sendable {
    public var journey: CaseJourney
    public var figures: CaseFigures
    public var status: RequestStatus?
    /// Time from filing to the evaluation time, for a request still open (not resolved or abandoned).
    public var age: Int64?
}

/// `plaint cases`: the cases behind a figure, from the journeys view.
public enum CaseListing {
    /// - Returns: the evaluation time used, how many cases matched, and the matching cases in
    ///   `filter.order`, at most `filter.limit` of them.
    public static func load(_ log: EventLog, _ filter: CaseFilter) throws
        -> (at: Int64, matched: Int, cases: [CaseSummary])
    {
        try log.read { reader in
            let info = try JourneyViews.currentInfo(reader, log: log)
            let at = filter.at ?? info.latestOccurredAt ?? 0
            var matched: [CaseSummary] = []
            func consider(_ journey: CaseJourney) {
                if let summary = summary(journey, at: at, filter: filter) { matched.append(summary) }
            }
            if let customer = filter.customer {
                let cases = try CustomerEvents(Array(customer.utf8), in: reader).caseIDs
                let byBrand = try JourneyViews.journeysByBrand(of: Array(customer.utf8), cases: cases, in: reader.views)
                for journey in byBrand.values.joined()
                where filter.brands.isEmpty || filter.brands.contains(journey.brandName) {
                    consider(journey)
                }
            } else if filter.brands.isEmpty {
                try JourneyViews.forEachJourney(in: reader.views, consider)
            } else {
                for brand in filter.brands {
                    try JourneyViews.forEachJourney(in: reader.views, brand: Array(brand.utf8), consider)
                }
            }
            let count = matched.count
            matched.sort(by: precedes(filter.order))
            if let limit = filter.limit, limit < matched.count { matched.removeSubrange(limit...) }
            return (at, count, matched)
        }
    }

    static func summary(_ journey: CaseJourney, at: Int64, filter: CaseFilter) -> CaseSummary? {
        guard let first = journey.entries.first, first.occurredAt <= at else { return nil }
        let figures = CaseFigures(journey.entries, at: at)
        let status = RequestStatus.of(figures, at: at, window: filter.window)
        if filter.filtersOnRequest {
            guard let filedAt = figures.filedAt else { return nil }
            if let from = filter.filedFrom, filedAt < from { return nil }
            if let to = filter.filedTo, filedAt > to { return nil }
        }
        if !filter.channels.isEmpty {
            guard let channel = figures.requestChannel, filter.channels.contains(channel) else { return nil }
        }
        if !filter.states.isEmpty {
            guard let state = figures.state, filter.states.contains(state) else { return nil }
        }
        if !filter.outcomes.isEmpty {
            guard let status, filter.outcomes.contains(status) else { return nil }
        }
        let isOpen = figures.state != .resolved && figures.state != .abandoned
        let age = isOpen ? figures.filedAt.map { at - $0 } : nil
        return CaseSummary(journey: journey, figures: figures, status: status, age: age)
    }

    /// Ties are broken by case id, so the order never depends on how the view was read.
    static func precedes(_ order: CaseOrder) -> (CaseSummary, CaseSummary) -> Bool {
        func byCase(_ a: CaseSummary, _ b: CaseSummary) -> Bool {
            a.journey.caseID.lexicographicallyPrecedes(b.journey.caseID)
        }
        switch order {
        case .filed:
            return { a, b in
                let (x, y) = (a.figures.filedAt ?? .max, b.figures.filedAt ?? .max)
                return x != y ? x < y : byCase(a, b)
            }
        case .frt:
            return { a, b in
                let (x, y) = (a.figures.firstResponseTime ?? -1, b.figures.firstResponseTime ?? -1)
                return x != y ? x > y : byCase(a, b)
            }
        case .age:
            return { a, b in
                let (x, y) = (a.age ?? -1, b.age ?? -1)
                return x != y ? x > y : byCase(a, b)
            }
        }
    }
}
