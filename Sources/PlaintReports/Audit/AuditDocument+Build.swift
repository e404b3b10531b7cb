import PlaintEvents
import PlaintLog
import PlaintProjections
import PlaintViews

extension AuditDocument {
    /// The report's sections, from the figures `AuditView` computed.
    init(_ audit: AuditData) {
        let query = audit.query
        title = "Audit of \(audit.brand)"
        scope =
            "As of \(Human.time(query.at)), window H = \(Human.window(query.window)); requests filed "
            + "\(query.filedFrom.map(Human.time) ?? "from the start") to \(query.filedTo.map(Human.time) ?? "the end")."
            + " All times are event times (" + .code("occurred_at") + ", UTC). Every rate is given with its 95% "
            + "interval; terms are defined in the glossary (section \(Self.glossaryNumber)). Made by plaint "
            + "\(PlaintVersion.current) with the loyalty model default (" + .code(ReportStamp.digest(of: audit.model))
            + ")."
        guard audit.headline.requests > 0 else {
            var headline: [Block] = [.paragraph(Self.rankText(audit))]
            headline.append(.paragraph("No requests from this brand's customers were filed in this period."))
            if audit.headline.staleExcluded > 0 {
                headline.append(.paragraph(Self.staleText(audit)))
            }
            sections = [
                Section(number: 1, title: "Headline figures", blocks: headline),
                Self.loyaltySection(audit), Self.integritySection(audit), Self.glossarySection(audit),
            ]
            return
        }
        sections = [
            Self.headlineSection(audit), Self.trendSection(audit), Self.histogramSection(audit),
            Self.hourOfWeekSection(audit), Self.channelsSection(audit), Self.worstCasesSection(audit),
            Self.unconsentedSection(audit), Self.loyaltySection(audit), Self.anomaliesSection(audit),
            Self.integritySection(audit), Self.glossarySection(audit),
        ]
    }

    static let glossaryNumber = 11

    /// The brand's rank, or why it has none.
    static func rankText(_ audit: AuditData) -> Text {
        let minimum = audit.query.minimumDecided
        guard let rank = audit.rank else {
            let decided = audit.headline.decided
            return "Not ranked: " + .strong("\(counted(decided, "decided request")), fewer than \(minimum)")
                + " (" + .code("--min-requests") + "); below that a response rate is mostly chance."
        }
        return "Rank by response rate within H: " + .strong("\(rank) of \(audit.brandsRanked)")
            + " brands with at least \(minimum) decided requests."
    }

    /// How many requests were stale, and whether they are in the figures.
    static func staleText(_ audit: AuditData) -> Text {
        let figures = audit.headline
        let after = Human.duration(audit.query.staleAfter)
        if audit.query.excludeStale {
            return Text(
                "\(counted(figures.staleExcluded, "request")) answered more than \(after) after filing (stale) "
                    + "left out of every figure (--exclude-stale); see the anomalies.")
        }
        return Text(
            "\(counted(figures.staleResponses, "request")) answered more than \(after) after filing (stale), kept in "
                + "every figure; " + "--exclude-stale leaves them out.")
    }

    static func headlineSection(_ audit: AuditData) -> Section {
        let figures = audit.headline
        let recorded = figures.resolutionsRecorded
        var blocks: [Block] = [.paragraph(rankText(audit))]
        blocks.append(
            .paragraph(
                "Socially Devoted (at least 65% answered within H, judged on the interval): "
                    + .strong(audit.devoted.rawValue) + "."))
        let rows: [[String]] = [
            ["requests", "\(figures.requests)", ""],
            [
                "answered within H / late / ignored / pending",
                "\(figures.answeredWithinWindow) / \(figures.late) / \(figures.ignored) / \(figures.pending)", "",
            ],
            [
                "response rate within H", Human.rate(figures.responseRate),
                "Socially Devoted: at least 65%; Socialbakers Q4 2013: Facebook 59.4%, Twitter 40.6%; "
                    + "Sprout Social 2015: 12.5% within 72 h",
            ],
            ["first response P50", Human.percentile(figures.frtP50), "CFPB timely: within 15 days"],
            ["first response P90", Human.percentile(figures.frtP90), ""],
            ["first response P95", Human.percentile(figures.frtP95), ""],
            ["answered within 1 h", Human.rate(figures.shareWithin1h), ""],
            ["answered within 24 h", Human.rate(figures.shareWithin24h), ""],
            ["first response a redirect", Human.rate(figures.redirectShare), ""],
            ["resolved", Human.rate(figures.resolutionRate, recorded: recorded), ""],
            ["time to resolution P50", Human.percentile(figures.resolutionP50, recorded: recorded), ""],
            ["one-touch", Human.rate(figures.oneTouchShare, recorded: recorded), ""],
            ["reopened", Human.rate(figures.reopenRate, recorded: recorded), ""],
            [
                "stale responses", "\(figures.staleResponses)",
                "first response more than "
                    + "\(Human.duration(audit.query.staleAfter)) after the request",
            ],
        ]
        blocks.append(.table(Table(header: ["figure", audit.brand, "yardstick"], rows: rows)))
        if !recorded {
            blocks.append(
                .paragraph(
                    "Not recorded: this brand's data holds no " + .code("case.resolved") + " event, so it has no "
                        + "resolution figures; they are not 0%."))
        }
        if figures.staleResponses > 0 || figures.staleExcluded > 0 { blocks.append(.paragraph(staleText(audit))) }
        blocks.append(.paragraph(sourcesText(figures)))
        for caveat in ResponsivenessReports.caveats([figures]) {
            blocks.append(.paragraph(.strong("Caveat (\(caveat.source)):") + " " + caveat.text + "."))
        }
        return Section(number: 1, title: "Headline figures", blocks: blocks)
    }

    /// "Requests by source: twcs: 1,200 (93.8%), no source: 80 (6.2%)."
    static func sourcesText(_ figures: ResponsivenessFigures) -> Text {
        let parts = figures.sources.map { item in
            "\(item.source.map { "\($0):" } ?? "no source:") \(item.requests) "
                + "(\(Human.share(item.share)))"
        }
        return "Requests by source (" + .code("meta.source") + "): " + parts.joined(separator: ", ") + "."
    }

    static func trendSection(_ audit: AuditData) -> Section {
        let journeys = audit.journeys
        let period = journeys.trendPeriod.rawValue
        var blocks: [Block] = []
        if journeys.trend.contains(where: { $0.figures.responseRate != nil || $0.figures.frtP50 != nil }) {
            blocks.append(.chart(.trend(period: journeys.trendPeriod, periods: journeys.trend)))
        } else {
            blocks.append(.paragraph("No request has been decided or answered yet: nothing to chart."))
        }
        blocks.append(
            .paragraph(
                Text(
                    "A \(period) resting on fewer than \(AuditCharts.weakBelow) decided requests is shown weak (a hollow "
                        + "point in the chart), with its count: its rate is mostly chance, as its interval shows.")))
        blocks.append(
            .table(
                Table(
                    header: ["\(period) from", "requests", "decided", "rate@H", "FRT P50", "FRT P90"],
                    rows: journeys.trend.map { item in
                        [
                            Human.date(item.start), "\(item.figures.requests)", "\(item.figures.decided)",
                            Human.rate(item.figures.responseRate), Human.duration(item.figures.frtP50?.value),
                            Human.duration(item.figures.frtP90?.value),
                        ]
                    }, numeric: [1, 2, 3, 4, 5])))
        return Section(number: 2, title: "Trend by \(period)", blocks: blocks)
    }

    static func histogramSection(_ audit: AuditData) -> Section {
        let histogram = audit.journeys.firstResponseHistogram
        let unanswered = audit.journeys.unanswered
        var blocks: [Block] = [.chart(.firstResponseHistogram(histogram, unanswered: unanswered))]
        if histogram.allSatisfy({ $0 == 0 }) {
            blocks.insert(.paragraph("No request has a first response yet."), at: 0)
        }
        blocks.append(
            .paragraph(
                Text(
                    "The bars cover every request: \(histogram.reduce(0, +)) with a first response, \(unanswered) "
                        + "without one (ignored or pending).")))
        return Section(number: 3, title: "First response times (log scale)", blocks: blocks)
    }

    static func hourOfWeekSection(_ audit: AuditData) -> Section {
        let cells = audit.journeys.hourOfWeek
        var blocks: [Block] = [.chart(.hourOfWeekRequests(cells))]
        if cells.contains(where: { $0.decided > 0 }) {
            blocks.append(.chart(.hourOfWeekRates(cells)))
            blocks.append(
                .paragraph(
                    Text(
                        "An hour with fewer than \(AuditCharts.weakBelow) decided requests is left grey and shows "
                            + "answered/decided instead of a rate.")))
        } else {
            blocks.append(.paragraph("No request has been decided yet: no response rate to show."))
        }
        return Section(
            number: 4, title: "Hour of the week (UTC): requests, and response rate within H", blocks: blocks)
    }

    static func channelsSection(_ audit: AuditData) -> Section {
        let journeys = audit.journeys
        var blocks: [Block] = [
            .table(
                Table(
                    header: ["channel", "requests", "rate@H", "FRT P50", "redirected"],
                    rows: journeys.channels.map { item in
                        [
                            item.channel.rawValue, "\(item.figures.requests)", Human.rate(item.figures.responseRate),
                            Human.duration(item.figures.frtP50?.value), Human.rate(item.figures.redirectShare),
                        ]
                    }, numeric: [1, 2, 3, 4]))
        ]
        if !journeys.redirectDestinations.isEmpty {
            let destinations = journeys.redirectDestinations.map { "\($0.channel?.rawValue ?? "unsaid") (\($0.count))" }
            blocks.append(
                .paragraph(Text("Redirects sent customers to: " + destinations.joined(separator: ", ") + ".")))
        }
        return Section(number: 5, title: "Channels", blocks: blocks)
    }

    static func worstCasesSection(_ audit: AuditData) -> Section {
        var blocks: [Block] = []
        for (title, cases) in [("Ignored longest", audit.ignoredLongest), ("Slowest answered", audit.slowestAnswered)] {
            blocks.append(.heading(title))
            if cases.isEmpty {
                blocks.append(.paragraph("None."))
                continue
            }
            for detail in cases {
                let figures = detail.figures
                var firstResponse = figures.firstResponseAt == nil ? "none" : Human.duration(figures.firstResponseTime)
                if detail.staleResponse { firstResponse += " (stale response: see the anomalies)" }
                blocks.append(
                    .paragraph(
                        .strong(detail.journey.caseName) + ", customer \(detail.journey.customerName): filed "
                            + "\(figures.filedAt.map(Human.time) ?? "-"), first response \(firstResponse), "
                            + "state \(figures.state?.rawValue ?? "-")."))
                blocks.append(
                    .table(
                        Table(
                            header: ["time", "actor", "channel", "event", "text"],
                            rows: detail.timeline.map { line in
                                [
                                    Human.time(line.entry.occurredAt), line.actor,
                                    line.entry.facts.channel?.rawValue ?? "-", JourneyReports.eventLabel(line.entry),
                                    JourneyReports.excerpt(line.text),
                                ]
                            })))
            }
        }
        return Section(number: 6, title: "Worst cases", blocks: blocks)
    }

    static func unconsentedSection(_ audit: AuditData) -> Section {
        let count = audit.unconsentedActionCount
        guard count > 0 else {
            return Section(number: 7, title: "Unconsented vendor actions", blocks: [.paragraph("None.")])
        }
        let listed = min(count, AuditData.actionsListed)
        let summary =
            counted(count, "adverse service change") + " without consent"
            + (count > listed ? " (the first \(listed) listed; the JSON report lists them all)." : ".")
        let table = Table(
            header: ["when", "customer", "change", "L just before", "L now", "churned"],
            rows: audit.unconsentedActions.prefix(listed).map { action in
                [
                    Human.time(action.occurredAt), action.customer, action.change.name,
                    Cents.text(action.loyaltyBefore), Cents.text(action.loyaltyAt), action.churned ? "yes" : "no",
                ]
            }, numeric: [3, 4])
        return Section(
            number: 7, title: "Unconsented vendor actions", blocks: [.paragraph(Text(summary)), .table(table)])
    }

    static func loyaltySection(_ audit: AuditData) -> Section {
        let summary = audit.loyalty
        guard summary.relationships > 0 else {
            return Section(number: 8, title: "Loyalty and devotion", blocks: [.paragraph("No relationships.")])
        }
        var blocks: [Block] = [
            .paragraph(
                Text(
                    counted(summary.relationships, "customer relationship")
                        + " (model default, \(ReportStamp.shortDigest(of: audit.model))). Loyalty is a running "
                        + "score: this section covers every case and relationship event up to \(Human.time(audit.query.at))"
                        + ((audit.query.filedFrom != nil || audit.query.filedTo != nil)
                            ? ", all time, not only the requests filed in the period above." : ".")
                        + (audit.query.excludeStale
                            ? " Requests with a stale first response are kept here: a loyalty score is a running "
                                + "fold over every event of a relationship." : ""))),
            .table(
                Table(
                    header: ["", "min", "p10", "p50", "p90", "max", "below 30"],
                    rows: [("loyalty L", summary.loyalty), ("devotion B", summary.devotion)].map { name, distribution in
                        [
                            name, distribution.minimum.map(Cents.text) ?? "-",
                            distribution.deciles.first.map(Cents.text) ?? "-",
                            distribution.deciles.count == 9 ? Cents.text(distribution.deciles[4]) : "-",
                            distribution.deciles.last.map(Cents.text) ?? "-",
                            distribution.maximum.map(Cents.text) ?? "-", "\(distribution.below30)",
                        ]
                    }, numeric: [1, 2, 3, 4, 5, 6])),
        ]
        for (title, scores) in [
            ("Largest gaps, L above B", summary.loyalOverDevoted),
            ("Largest gaps, B above L", summary.devotedOverLoyal),
        ] where !scores.isEmpty {
            blocks.append(.heading(title))
            blocks.append(
                .table(
                    Table(
                        header: ["customer", "L", "B", "gap"],
                        rows: scores.map {
                            [
                                $0.customerName, Cents.text($0.loyaltyCents), Cents.text($0.devotionCents),
                                Cents.text($0.gapCents),
                            ]
                        }, numeric: [1, 2, 3])))
        }
        return Section(number: 8, title: "Loyalty and devotion", blocks: blocks)
    }

    static func anomaliesSection(_ audit: AuditData) -> Section {
        let journeys = audit.journeys
        func examples(_ cases: [CaseJourney]) -> String {
            cases.isEmpty ? "" : ", e.g. " + cases.map(\.caseName).joined(separator: ", ")
        }
        let stale = journeys.staleResponses
        let listed = stale.prefix(staleListed).map { "\($0.journey.caseName) (\(Human.duration($0.responseTime)))" }
        let staleLine =
            "Stale responses (a first response more than \(Human.duration(audit.query.staleAfter)) after its request): "
            + counted(stale.count, "case")
            + (listed.isEmpty ? "" : ": " + listed.joined(separator: ", "))
            + (stale.count > listed.count ? ", and \(stale.count - listed.count) more (the JSON lists them all)" : "")
            + (stale.isEmpty
                ? "."
                : audit.query.excludeStale
                    ? "; left out of every figure (--exclude-stale)."
                    : "; kept in every figure (--exclude-stale leaves "
                        + "them out).")
        return Section(
            number: 9, title: "Anomalies",
            blocks: [
                .list([
                    Text(
                        "Clock skew (a reply before its request): " + counted(journeys.clockSkewCases, "case")
                            + examples(journeys.clockSkewExamples)),
                    "Events for unknown cases (no " + .code("complaint.filed") + "): "
                        + counted(journeys.unknownCases, "case")
                        + examples(journeys.unknownCaseExamples),
                    Text(staleLine),
                ])
            ])
    }

    /// How many stale cases the Markdown and HTML list by id.
    static let staleListed = 20

    static func glossarySection(_ audit: AuditData) -> Section {
        let window = Human.window(audit.query.window)
        let terms: [(String, String)] = [
            ("request", "a case, judged by its earliest customer message (its filing time)."),
            (
                "first response",
                "the earliest brand reply that is not automatic; first response time (FRT) is its time minus the "
                    + "request's, never negative (a reply before the request is clock skew, counted as 0)."
            ),
            ("H", "the window, here \(window): how long a request may wait for its first response (--window)."),
            ("late", "answered, but after H."),
            ("ignored", "no response, and older than H at the evaluation time."),
            ("pending", "no response yet, and younger than H: not yet decided."),
            ("decided", "requests − pending: the requests whose outcome within H is known."),
            ("rate@H", "the response rate within H: answered within H / decided."),
            (
                "interval",
                "the 95% confidence interval beside a figure, in brackets: for a rate, the Wilson score interval "
                    + "over the rate's own base; for a percentile, the distribution-free interval from order "
                    + "statistics (… where the sample is too small to bound that end). A narrow interval means the "
                    + "figure would change little with more requests like these."
            ),
            (
                "P50 / P90 / P95",
                "exact nearest-rank percentiles: the smallest value with at least that share of "
                    + "the values at or below it; no interpolation, so each is a value that occurred."
            ),
            ("one-touch", "the share of resolved requests resolved with at most one brand reply."),
            ("reopened", "the share of ever-resolved requests reopened at least once."),
            (
                "not recorded",
                "a figure the brand's data cannot give: no case.resolved event means no resolution "
                    + "figures, never 0%."
            ),
            (
                "stale",
                "a first response more than \(Human.duration(audit.query.staleAfter)) after its request "
                    + "(--stale-after): usually a thread joining conversations held far apart."
            ),
            ("ranked", "brands with at least \(audit.query.minimumDecided) decided requests (--min-requests)."),
            ("L", "loyalty of the customer to the brand, 0-100: 50 plus decayed contributions of what happened."),
            (
                "B",
                "devotion of the brand to the customer, 0-100: its response rate, speed and resolutions for "
                    + "this customer, minus unconsented adverse changes."
            ),
            ("gap", "L − B: large either way flags loyalty eroding on one side only."),
        ]
        return Section(
            number: glossaryNumber, title: "Glossary",
            blocks: [.list(terms.map { .strong($0.0) + ": " + $0.1 })])
    }

    static func integritySection(_ audit: AuditData) -> Section {
        var lines: [Text] = [
            "Log head: position \(audit.head.position), hash " + .code(audit.head.hashHex) + ".",
            Text("Every figure above comes from the events at positions 1 to \(audit.head.position)."),
            Text("Hash chain recomputed for positions 1 to \(audit.head.position): " + outcome(audit.chain)),
        ]
        if let check = audit.fullCheck {
            lines.append(
                Text(
                    "Full check of the events, versions and indexes of positions 1 to \(check.log.head.position): "
                        + outcome(check.log)))
            if let views = check.views {
                lines.append(
                    Text(
                        views.differingRows == 0
                            ? "Views equal a replay of positions 1 to \(views.position): intact."
                            : "Views: FAILED, \(views.differingRows) rows differ from a replay of positions 1 to "
                                + "\(views.position); `plaint replay` rebuilds them."))
            }
        } else {
            lines.append(
                "Events, indexes and views not checked by this report (" + .code("plaint audit --verify full")
                    + " or " + .code("plaint verify") + " does).")
        }
        lines.append("To re-check against a copy of the store: " + .code(AuditReports.recheckCommand(audit)) + ".")
        return Section(number: 10, title: "Integrity", blocks: [.list(lines)])
    }

    static func outcome(_ report: VerificationReport) -> String {
        guard let problem = report.problem else { return "intact." }
        return "FAILED at position \(problem.position): \(problem.reason) (positions 1 to "
            + "\(report.verifiedThrough) verified before it)."
    }

    /// `1 case`, `2 cases`.
    static func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    static func durations(_ values: Int64?...) -> String { values.map(Human.duration).joined(separator: " / ") }
}
