import PlaintEvents
import PlaintLog
import PlaintProjections

/// Everything `plaint audit BRAND` reports, read in one snapshot of the store and computed once;
/// every output format prints from this value.
public struct AuditData: Sendable {
    public var brand: String
    public var query: ResponsivenessQuery
    /// The brand's headline figures: the same computation as `responsiveness`.
    public var headline: ResponsivenessFigures
    /// 1-based rank by response rate among the `brandsRanked` brands with at least the query's
    /// minimum of decided requests in the period; nil when this brand has fewer.
    public var rank: Int?
    public var brandsRanked: Int
    public var devoted: DevotedVerdict
    public var journeys: BrandAudit
    /// The cases ignored longest and the slowest answered, with their timelines.
    public var ignoredLongest: [JourneyDetail]
    public var slowestAnswered: [JourneyDetail]
    public var loyalty: BrandLoyaltySummary
    /// The loyalty model the loyalty section was computed with.
    public var model: LoyaltyModel
    /// Every unconsented action up to `at`, in time order.
    public var unconsentedActions: [UnconsentedAction]
    public var unconsentedActionCount: Int { unconsentedActions.count }
    public var head: LogHead
    /// The hash chain recomputed from position 1 to `head`, in the report's own snapshot.
    public var chain: VerificationReport
    /// `plaint verify`'s full check, when asked for (`--verify full`).
    public var fullCheck: FullCheck?

    /// The outcome of the full check: the log's events and indexes, then the views against a replay.
    public struct FullCheck: Sendable {
        public var log: VerificationReport
        /// The position the views were compared at and how many rows differed; nil when the log
        /// check failed first.
        public var views: (position: UInt64, differingRows: Int)?

        public var isIntact: Bool { log.isIntact && views?.differingRows == 0 }

        public init(log: VerificationReport, views: (position: UInt64, differingRows: Int)?) {
            self.log = log
            self.views = views
        }
    }

    /// Whether every check the report ran passed.
    public var isIntact: Bool { chain.isIntact && fullCheck?.isIntact != false }

    /// An adverse service change without consent, with the customer's loyalty to the brand
    /// just before it and at `at`.
    public struct UnconsentedAction: Sendable {
        public var position: UInt64
        public var customer: String
        public var occurredAt: Int64
        public var change: ServiceChange
        public var loyaltyBefore: Int64
        public var loyaltyAt: Int64
        public var churned: Bool
    }

    /// How many unconsented actions the Markdown and HTML reports list (the JSON lists them all).
    public static let actionsListed = 20
}

public enum AuditView {
    /// - Parameters: `configure` sets the query's window and filing bounds.
    public static func load(
        _ brand: String, log: EventLog, at: Int64?, model: LoyaltyModel = .standard,
        configure: (inout ResponsivenessQuery) -> Void = { _ in }
    ) throws -> AuditData {
        try log.read { reader in
            let info = try JourneyViews.currentInfo(reader, log: log)
            let brandBytes = Array(brand.utf8)
            if try reader.count(in: .brand, key: brandBytes) == 0 { throw QueryError.unknownBrand(brand) }
            // The chain up to this snapshot's head is recomputed on the other core meanwhile.
            let head = try reader.head()
            let chainCheck = log.startChainCheck(through: head)
            var query = ResponsivenessQuery(at: at ?? info.latestOccurredAt ?? 0)
            configure(&query)
            query.period = nil
            var ranking = ResponsivenessReport(query: query)
            var journeys: [CaseJourney] = []
            try JourneyViews.forEachJourney(in: reader.views) { journey in
                ranking.add(journey)
                if journey.brand == brandBytes { journeys.append(journey) }
            }
            let ranked = ranking.ranked
            let standing = ranked.first { $0.brand == brand }
            let loyalty = try LoyaltyView.summary(brand, in: reader.views, model: model, at: query.at)
            var actions: [AuditData.UnconsentedAction] = []
            try JourneyViews.forEachRelationshipRow(in: reader.views, brand: brandBytes) { _, row in
                let unconsented = row.relationshipEvents.filter {
                    $0.occurredAt <= query.at && $0.isUnconsentedAdverseChange
                }
                guard !unconsented.isEmpty else { return }
                // The pair's cases, read once for all of its actions.
                let journeys = try JourneyViews.journeys(
                    of: PairKey(brand: row.brand, customer: row.customer), in: reader)
                for entry in unconsented {
                    actions.append(action(entry, row: row, journeys: journeys, model: model, at: query.at))
                }
            }
            actions.sort { ($0.occurredAt, $0.position) < ($1.occurredAt, $1.position) }
            let audit = BrandAudit(journeys: journeys, query: query)
            func details(_ cases: [CaseJourney]) throws -> [JourneyDetail] {
                try cases.map {
                    try JourneyDetail.read(
                        $0, in: reader, at: query.at, window: query.window, staleAfter: query.staleAfter)
                }
            }
            return AuditData(
                brand: brand, query: query, headline: standing?.figures ?? ResponsivenessFigures(),
                rank: standing?.rank, brandsRanked: ranked.count { $0.rank != nil },
                devoted: standing?.devoted ?? .undecided, journeys: audit,
                ignoredLongest: try details(audit.ignoredLongest), slowestAnswered: try details(audit.slowestAnswered),
                loyalty: loyalty, model: model, unconsentedActions: actions,
                head: head, chain: try chainCheck.wait())
        }
    }

    /// One unconsented action of the pair whose relationship row is `row` (its relationship
    /// events) and whose cases are `journeys`.
    static func action(
        _ entry: JourneyEntry, row: LoyaltyLedger, journeys: [CaseJourney], model: LoyaltyModel, at: Int64
    ) -> AuditData.UnconsentedAction {
        let before = CustomerLoyalty(
            journeys: journeys, relationshipEvents: row.relationshipEvents, model: model, at: entry.occurredAt - 1)
        let now = CustomerLoyalty(
            journeys: journeys, relationshipEvents: row.relationshipEvents, model: model, at: at)
        return AuditData.UnconsentedAction(
            position: entry.position, customer: row.customerName, occurredAt: entry.occurredAt,
            change: entry.facts.serviceChange ?? .other, loyaltyBefore: before.scoreCents, loyaltyAt: now.scoreCents,
            churned: now.churned)
    }
}

extension AuditView {
    /// What `plaint verify` checks: every event, version and index, then the views against a replay.
    /// - Parameter progress: sees the step (`verify`, then `verify views`), positions done and the total.
    public static func fullCheck(
        _ log: EventLog, progress: (String, UInt64, UInt64) -> Void = { _, _, _ in }
    ) throws -> AuditData.FullCheck {
        let report = try log.verify { progress("verify", $0, $1) }
        guard report.isIntact, log.hasViewTables else { return AuditData.FullCheck(log: report, views: nil) }
        return AuditData.FullCheck(log: report, views: try Replay.check(log) { progress("verify views", $0, $1) })
    }
}
