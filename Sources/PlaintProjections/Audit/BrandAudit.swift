import PlaintEvents

/// The figures of `plaint audit BRAND` that come from the brand's journeys, computed once and
/// shared by every output format: trend, first-response histogram, hour-of-week grid, channels,
/// worst cases and anomalies. Headline figures come from `ResponsivenessReport` (so they equal
/// `responsiveness`'s), loyalty from `BrandLoyaltySummary`.
public struct BrandAudit: Sendable {
    public let query: ResponsivenessQuery
    /// The trend's period, chosen by the span of the requests: days up to 62 days, weeks up to
    /// two years, months beyond.
    public private(set) var trendPeriod: PeriodLength = .week
    public private(set) var trend: [(start: Int64, figures: ResponsivenessFigures)] = []
    /// First response times on a log scale: bucket i holds times in [2^(i-1), 2^i) minutes
    /// (bucket 0: under a minute); the last bucket holds everything longer.
    public private(set) var firstResponseHistogram = [Int](repeating: 0, count: Self.histogramBuckets)
    /// Requests without a first response (ignored and pending): the histogram's last bar, so
    /// that its bars add up to every request.
    public private(set) var unanswered = 0
    /// Per hour of the week (Monday 00:00 UTC = 0): requests filed, decided (not pending) and
    /// answered within H.
    public private(set) var hourOfWeek = [RequestTally](repeating: RequestTally(), count: 168)
    public private(set) var channels: [(channel: Channel, figures: ResponsivenessFigures)] = []
    /// Where redirecting first responses sent customers, and how often.
    public private(set) var redirectDestinations: [(channel: Channel?, count: Int)] = []
    public private(set) var ignoredLongest: [CaseJourney] = []
    public private(set) var slowestAnswered: [CaseJourney] = []
    /// Every ignored request of the cohort with how long it has waited at `at`, longest first
    /// (ties by case id): the items behind the ignored count.
    public private(set) var ignoredRequests: [(journey: CaseJourney, waited: Int64)] = []
    public private(set) var clockSkewExamples: [CaseJourney] = []
    /// Every case with a reply stamped before its request, in the order of the journeys given.
    public private(set) var clockSkewCaseNames: [String] = []
    public var clockSkewCases: Int { clockSkewCaseNames.count }
    public private(set) var unknownCaseExamples: [CaseJourney] = []
    /// Every case with events but no complaint.
    public private(set) var unknownCaseNames: [String] = []
    public var unknownCases: Int { unknownCaseNames.count }
    /// Requests in the cohort whose first response came more than the query's `staleAfter`
    /// after them, longest first (ties by case id), with that response time.
    public private(set) var staleResponses: [(journey: CaseJourney, responseTime: Int64)] = []

    public static let histogramBuckets = 18
    public static let examples = 5

    /// - Parameter journeys: the brand's journeys (any order).
    public init(journeys: [CaseJourney], query: ResponsivenessQuery) {
        self.query = query
        var all: [(journey: CaseJourney, figures: CaseFigures)] = []
        var figures: [(journey: CaseJourney, figures: CaseFigures)] = []
        for journey in journeys {
            let caseFigures = CaseFigures(journey.entries, at: query.at)
            all.append((journey, caseFigures))
            // A reply before a request that exists; a case with no request at all is only unknown.
            if caseFigures.firstResponseSkewed || (caseFigures.isRequest && caseFigures.repliesBeforeRequest > 0) {
                clockSkewCaseNames.append(journey.caseName)
                if clockSkewExamples.count < Self.examples { clockSkewExamples.append(journey) }
            }
            if caseFigures.events > 0, !caseFigures.hasComplaint {
                unknownCaseNames.append(journey.caseName)
                if unknownCaseExamples.count < Self.examples { unknownCaseExamples.append(journey) }
            }
            guard query.includes(caseFigures) else { continue }
            if ResponsivenessAccumulator.isStale(caseFigures, after: query.staleAfter) {
                staleResponses.append((journey, caseFigures.firstResponseTime!))
                if query.excludeStale { continue }
            }
            figures.append((journey, caseFigures))
        }
        staleResponses.sort {
            $0.responseTime != $1.responseTime
                ? $0.responseTime > $1.responseTime : $0.journey.caseID.lexicographicallyPrecedes($1.journey.caseID)
        }
        figures.sort { lhs, rhs in
            lhs.figures.filedAt != rhs.figures.filedAt
                ? lhs.figures.filedAt! < rhs.figures.filedAt!
                : lhs.journey.caseID.lexicographicallyPrecedes(rhs.journey.caseID)
        }
        trendPeriod = Self.period(spanning: figures.first?.figures.filedAt, figures.last?.figures.filedAt)
        // Every journey goes to the trend's report, which picks the cohort and leaves stale
        // requests out as the headline's does, and learns from all of them whether the brand
        // records resolutions.
        var trendQuery = query
        trendQuery.period = trendPeriod
        var report = ResponsivenessReport(query: trendQuery)
        for (journey, request) in all { report.add(request, brand: "", source: journey.source) }
        trend = Self.gaplessTrend(report.ranked.first?.periods ?? [], period: trendPeriod)
        let recordsResolutions = all.contains { $0.figures.recordsResolution }
        var byChannel: [Channel: ResponsivenessAccumulator] = [:]
        var destinations: [Channel?: Int] = [:]
        for (journey, request) in figures {
            if let channel = request.requestChannel {
                byChannel[channel, default: ResponsivenessAccumulator(query)].add(request, source: journey.source)
            }
            let status = RequestStatus.of(request, at: query.at, window: query.window)
            let hour = Timestamp(microseconds: request.filedAt!).hourOfWeek
            let cell = hour.weekday * 24 + hour.hour
            if let status { hourOfWeek[cell].count(status) }
            if let responseTime = request.firstResponseTime {
                firstResponseHistogram[Self.bucket(of: responseTime)] += 1
                if request.firstResponseWasRedirect { destinations[request.firstResponseRedirect, default: 0] += 1 }
            } else {
                unanswered += 1
            }
        }
        channels = byChannel.map { ($0.key, $0.value.result(resolutionsRecorded: recordsResolutions)) }.sorted {
            $0.channel.code < $1.channel.code
        }
        redirectDestinations = destinations.map { ($0.key, $0.value) }.sorted {
            $0.count != $1.count ? $0.count > $1.count : ($0.channel?.code ?? .max) < ($1.channel?.code ?? .max)
        }
        // Worst cases, ties by case id so the report is reproducible.
        func worst(_ measure: (CaseFigures) -> Int64?) -> [(CaseJourney, Int64)] {
            figures.compactMap { item in measure(item.figures).map { (item.journey, $0) } }
                .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.caseID.lexicographicallyPrecedes($1.0.caseID) }
        }
        ignoredRequests = worst { request in
            RequestStatus.of(request, at: query.at, window: query.window) == .ignored
                ? query.at - request.filedAt! : nil
        }
        ignoredLongest = ignoredRequests.prefix(Self.examples).map(\.journey)
        slowestAnswered = worst { $0.firstResponseTime }.prefix(Self.examples).map(\.0)
    }

    /// The periods from the first to the last with requests, the empty ones included (with no
    /// requests), so that a chart's x axis is time and a quiet week shows as one.
    static func gaplessTrend(
        _ periods: [(start: Int64, figures: ResponsivenessFigures)], period: PeriodLength
    ) -> [(start: Int64, figures: ResponsivenessFigures)] {
        guard let first = periods.first, let last = periods.last else { return [] }
        var filled: [(start: Int64, figures: ResponsivenessFigures)] = []
        var index = periods.startIndex
        var start = first.start
        while start <= last.start {
            if index < periods.endIndex, periods[index].start == start {
                filled.append(periods[index])
                index += 1
            } else {
                filled.append((start, ResponsivenessFigures()))
            }
            start = period.start(after: start)
        }
        return filled
    }

    /// The histogram bucket of a first response time (microseconds).
    public static func bucket(of responseTime: Int64) -> Int {
        let minutes = responseTime / Timestamp.microsecondsPerMinute
        guard minutes > 0 else { return 0 }
        return min(histogramBuckets - 1, Int.bitWidth - minutes.leadingZeroBitCount)
    }

    /// The lower bound of a bucket, microseconds.
    public static func bucketStart(_ bucket: Int) -> Int64 {
        bucket == 0 ? 0 : (Int64(1) << (bucket - 1)) * Timestamp.microsecondsPerMinute
    }

    static func period(spanning first: Int64?, _ last: Int64?) -> PeriodLength {
        guard let first, let last else { return .week }
        let days = (last - first) / Timestamp.microsecondsPerDay
        if days <= 62 { return .day }
        if days <= 731 { return .week }
        return .month
    }
}
