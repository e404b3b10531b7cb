import PlaintEvents
import PlaintProjections

extension AuditDocument {
    /// The report's ten sections, from the figures `AuditView` computed.
    init(_ audit: AuditData) {
        let query = audit.query
        title = "Audit of \(audit.brand)"
        scope =
            "As of \(Human.time(query.at)), window H = \(Human.window(query.window)); requests filed "
            + "\(query.filedFrom.map(Human.time) ?? "from the start") to \(query.filedTo.map(Human.time) ?? "the end")."
            + " All times are event times (" + .code("occurred_at") + ", UTC)."
        guard audit.headline.requests > 0 else {
            var headline: [Block] = []
            if let rank = audit.rank { headline.append(.paragraph(Self.rankText(rank, audit.brandsRanked))) }
            headline.append(.paragraph("No requests from this brand's customers were filed in this period."))
            sections = [
                Section(number: 1, title: "Headline figures", blocks: headline),
                Self.loyaltySection(audit), Self.integritySection(audit),
            ]
            return
        }
        sections = [
            Self.headlineSection(audit), Self.trendSection(audit), Self.histogramSection(audit),
            Self.hourOfWeekSection(audit), Self.channelsSection(audit), Self.worstCasesSection(audit),
            Self.unconsentedSection(audit), Self.loyaltySection(audit), Self.anomaliesSection(audit),
            Self.integritySection(audit),
        ]
    }

    static func rankText(_ rank: Int, _ brands: Int) -> Text {
        "Rank by response rate within H: " + .strong("\(rank) of \(brands)") + " brands with requests."
    }

    static func headlineSection(_ audit: AuditData) -> Section {
        let figures = audit.headline
        var blocks: [Block] = []
        if let rank = audit.rank { blocks.append(.paragraph(rankText(rank, audit.brandsRanked))) }
        let rows: [[String]] = [
            ["requests", "\(figures.requests)", ""],
            [
                "answered within H / late / ignored / pending",
                "\(figures.answeredWithinWindow) / \(figures.late) / \(figures.ignored) / \(figures.pending)", "",
            ],
            [
                "response rate within H", Human.share(figures.responseRate),
                "Socially Devoted: at least 65%; Socialbakers Q4 2013: Facebook 59.4%, Twitter 40.6%; "
                    + "Sprout Social 2015: 12.5% within 72 h",
            ],
            [
                "first response P50 / P90 / P95", durations(figures.frtP50, figures.frtP90, figures.frtP95),
                "CFPB timely: within 15 days",
            ],
            [
                "answered within 1 h / 24 h",
                "\(Human.share(figures.shareWithin1h)) / \(Human.share(figures.shareWithin24h))", "",
            ],
            ["first response a redirect", Human.share(figures.redirectShare), ""],
            [
                "resolved; time to resolution P50",
                "\(Human.share(figures.resolutionRate)); \(Human.duration(figures.resolutionP50))", "",
            ],
            ["one-touch; reopened", "\(Human.share(figures.oneTouchShare)); \(Human.share(figures.reopenRate))", ""],
        ]
        blocks.append(.table(Table(header: ["figure", audit.brand, "yardstick"], rows: rows)))
        return Section(number: 1, title: "Headline figures", blocks: blocks)
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
            .table(
                Table(
                    header: ["\(period) from", "requests", "rate@H", "FRT P50", "FRT P90"],
                    rows: journeys.trend.map { item in
                        [
                            Human.time(item.start), "\(item.figures.requests)", Human.share(item.figures.responseRate),
                            Human.duration(item.figures.frtP50), Human.duration(item.figures.frtP90),
                        ]
                    }, numeric: [1, 2, 3, 4])))
        return Section(number: 2, title: "Trend by \(period)", blocks: blocks)
    }

    static func histogramSection(_ audit: AuditData) -> Section {
        let histogram = audit.journeys.firstResponseHistogram
        let blocks: [Block] =
            histogram.allSatisfy { $0 == 0 }
            ? [.paragraph("No request has a first response yet.")] : [.chart(.firstResponseHistogram(histogram))]
        return Section(number: 3, title: "First response times (log scale)", blocks: blocks)
    }

    static func hourOfWeekSection(_ audit: AuditData) -> Section {
        let cells = audit.journeys.hourOfWeek
        let rates: Block =
            cells.contains { $0.decided > 0 }
            ? .chart(.hourOfWeekRates(cells)) : .paragraph("No request has been decided yet: no response rate to show.")
        return Section(
            number: 4, title: "Hour of the week (UTC): requests, and response rate within H",
            blocks: [.chart(.hourOfWeekRequests(cells)), rates])
    }

    static func channelsSection(_ audit: AuditData) -> Section {
        let journeys = audit.journeys
        var blocks: [Block] = [
            .table(
                Table(
                    header: ["channel", "requests", "rate@H", "FRT P50", "redirected"],
                    rows: journeys.channels.map { item in
                        [
                            item.channel.rawValue, "\(item.figures.requests)", Human.share(item.figures.responseRate),
                            Human.duration(item.figures.frtP50), Human.share(item.figures.redirectShare),
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
                let firstResponse = figures.firstResponseAt == nil ? "none" : Human.duration(figures.firstResponseTime)
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
        let listed = audit.unconsentedActions.count
        let summary =
            counted(count, "adverse service change") + " without consent"
            + (count > listed ? " (the first \(listed) listed)." : ".")
        let table = Table(
            header: ["when", "customer", "change", "L just before", "L now", "churned"],
            rows: audit.unconsentedActions.map { action in
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
            .paragraph(Text(counted(summary.relationships, "customer relationship") + " (default model).")),
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
                ])
            ])
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
