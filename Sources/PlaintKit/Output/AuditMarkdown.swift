import PlaintEvents
import PlaintProjections

extension AuditReports {
    /// The audit as Markdown: readable in a terminal and in a repository.
    public static func markdown(_ audit: AuditData) -> String {
        let query = audit.query
        let figures = audit.headline
        var text = "# Audit of \(audit.brand)\n\n"
        text += "As of \(Human.time(query.at)), window H = \(Human.window(query.window)); requests filed "
        text +=
            "\(query.filedFrom.map(Human.time) ?? "from the start") to \(query.filedTo.map(Human.time) ?? "the end")."
        text += " All times are event times (`occurred_at`, UTC).\n\n"

        text += "## 1. Headline figures\n\n"
        if let rank = audit.rank {
            text += "Rank by response rate within H: **\(rank) of \(audit.brandsRanked)** brands with requests.\n\n"
        }
        guard figures.requests > 0 else {
            text += "No requests from this brand's customers were filed in this period.\n\n"
            return text + loyaltySection(audit) + integritySection(audit)
        }
        text += table(
            ["figure", audit.brand, "yardstick"],
            [
                ["requests", "\(figures.requests)", ""],
                [
                    "answered within H / late / ignored / pending",
                    "\(figures.answeredWithinWindow) / \(figures.late) / \(figures.ignored) / \(figures.pending)", "",
                ],
                [
                    "response rate within H", Human.share(figures.responseRate),
                    "Socially Devoted: at least 65%; Socialbakers Q4 2013: Facebook 59.4%, Twitter 40.6%; Sprout Social 2015: 12.5% within 72 h",
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
                [
                    "one-touch; reopened", "\(Human.share(figures.oneTouchShare)); \(Human.share(figures.reopenRate))",
                    "",
                ],
            ])

        let journeys = audit.journeys
        text += "\n## 2. Trend by \(journeys.trendPeriod.rawValue)\n\n"
        text += table(
            ["\(journeys.trendPeriod.rawValue) from", "requests", "rate@H", "FRT P50", "FRT P90"],
            journeys.trend.map { period in
                [
                    Human.time(period.start), "\(period.figures.requests)", Human.share(period.figures.responseRate),
                    Human.duration(period.figures.frtP50), Human.duration(period.figures.frtP90),
                ]
            })

        text += "\n## 3. First response times (log scale)\n\n"
        let peak = journeys.firstResponseHistogram.max() ?? 0
        text += table(
            ["from", "to", "requests", ""],
            journeys.firstResponseHistogram.enumerated().map { bucket, count in
                let last = bucket == BrandAudit.histogramBuckets - 1
                return [
                    Human.duration(BrandAudit.bucketStart(bucket)),
                    last ? "" : Human.duration(BrandAudit.bucketStart(bucket + 1)), "\(count)",
                    peak == 0 ? "" : String(repeating: "#", count: (count * 40 + peak - 1) / peak),
                ]
            })

        text += "\n## 4. Hour of the week (UTC): requests, and response rate within H\n\n"
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        text += table(
            ["day"] + (0..<24).map { "\($0)" },
            days.enumerated().map { day, name in
                [name] + (0..<24).map { "\(journeys.hourOfWeek[day * 24 + $0].requests)" }
            })
        text += "\n"
        text += table(
            ["day"] + (0..<24).map { "\($0)" },
            days.enumerated().map { day, name in
                [name]
                    + (0..<24).map { hour in
                        journeys.hourOfWeek[day * 24 + hour].responseRate.map { "\(Int(($0 * 100).rounded()))" } ?? "-"
                    }
            })

        text += "\n## 5. Channels\n\n"
        text += table(
            ["channel", "requests", "rate@H", "FRT P50", "redirected"],
            journeys.channels.map { item in
                [
                    item.channel.rawValue, "\(item.figures.requests)", Human.share(item.figures.responseRate),
                    Human.duration(item.figures.frtP50), Human.share(item.figures.redirectShare),
                ]
            })
        if !journeys.redirectDestinations.isEmpty {
            text += "\nRedirects sent customers to: "
            text += journeys.redirectDestinations.map { "\($0.channel?.rawValue ?? "unsaid") (\($0.count))" }
                .joined(separator: ", ")
            text += ".\n"
        }

        text += "\n## 6. Worst cases\n\n"
        for (title, cases) in [("Ignored longest", audit.ignoredLongest), ("Slowest answered", audit.slowestAnswered)] {
            text += "### \(title)\n\n"
            if cases.isEmpty {
                text += "None.\n\n"
                continue
            }
            for detail in cases {
                let figures = detail.figures
                text += "**\(detail.journey.caseName)**, customer \(detail.journey.customerName): filed "
                text += "\(figures.filedAt.map(Human.time) ?? "-"), first response "
                text += "\(figures.firstResponseAt == nil ? "none" : Human.duration(figures.firstResponseTime)), "
                text += "state \(figures.state?.rawValue ?? "-").\n\n"
                text += table(
                    ["time", "actor", "channel", "event", "text"],
                    detail.timeline.map { line in
                        [
                            Human.time(line.entry.occurredAt), line.actor, line.entry.facts.channel?.rawValue ?? "-",
                            JourneyReports.eventLabel(line.entry),
                            cell(JourneyReports.excerpt(line.text)),
                        ]
                    })
                text += "\n"
            }
        }

        text += "## 7. Unconsented vendor actions\n\n"
        if audit.unconsentedActionCount == 0 {
            text += "None.\n\n"
        } else {
            text += "\(audit.unconsentedActionCount) adverse service changes without consent"
            text +=
                audit.unconsentedActionCount > audit.unconsentedActions.count
                ? " (the first \(audit.unconsentedActions.count) listed).\n\n" : ".\n\n"
            text += table(
                ["when", "customer", "change", "L just before", "L now", "churned"],
                audit.unconsentedActions.map { action in
                    [
                        Human.time(action.occurredAt), action.customer, action.change.name,
                        Cents.text(action.loyaltyBefore), Cents.text(action.loyaltyAt), action.churned ? "yes" : "no",
                    ]
                })
            text += "\n"
        }
        text += loyaltySection(audit)

        text += "## 9. Anomalies\n\n"
        text += "- Clock skew (a reply before its request): \(journeys.clockSkewCases) cases"
        text +=
            journeys.clockSkewExamples.isEmpty
            ? "\n" : ", e.g. " + journeys.clockSkewExamples.map(\.caseName).joined(separator: ", ") + "\n"
        text += "- Events for unknown cases (no `complaint.filed`): \(journeys.unknownCases) cases"
        text +=
            journeys.unknownCaseExamples.isEmpty
            ? "\n\n" : ", e.g. " + journeys.unknownCaseExamples.map(\.caseName).joined(separator: ", ") + "\n\n"
        return text + integritySection(audit)
    }

    static func loyaltySection(_ audit: AuditData) -> String {
        let summary = audit.loyalty
        var text = "## 8. Loyalty and devotion\n\n"
        guard summary.relationships > 0 else { return text + "No relationships.\n\n" }
        text += "\(summary.relationships) customer relationships (default model).\n\n"
        text += table(
            ["", "min", "p10", "p50", "p90", "max", "below 30"],
            [("loyalty L", summary.loyalty), ("devotion B", summary.devotion)].map { name, distribution in
                [
                    name, distribution.minimum.map(Cents.text) ?? "-",
                    distribution.deciles.first.map(Cents.text) ?? "-",
                    distribution.deciles.count == 9 ? Cents.text(distribution.deciles[4]) : "-",
                    distribution.deciles.last.map(Cents.text) ?? "-", distribution.maximum.map(Cents.text) ?? "-",
                    "\(distribution.below30)",
                ]
            })
        for (title, scores) in [
            ("Largest gaps, L above B", summary.loyalOverDevoted),
            ("Largest gaps, B above L", summary.devotedOverLoyal),
        ] where !scores.isEmpty {
            text += "\n\(title):\n\n"
            text += table(
                ["customer", "L", "B", "gap"],
                scores.map {
                    [
                        $0.customerName, Cents.text($0.loyaltyCents), Cents.text($0.devotionCents),
                        Cents.text($0.gapCents),
                    ]
                })
        }
        return text + "\n"
    }

    static func integritySection(_ audit: AuditData) -> String {
        var text = "## 10. Integrity\n\n"
        text += "- Log head: position \(audit.head.position), hash `\(audit.head.hashHex)`.\n"
        text += "- Every figure above comes from the events at positions 1 to \(audit.head.position).\n"
        text += "- To re-check against a copy of the store: `\(recheckCommand(audit))`.\n"
        return text
    }

    static func durations(_ values: Int64?...) -> String { values.map(Human.duration).joined(separator: " / ") }

    /// Text made safe for a Markdown table cell.
    static func cell(_ text: String) -> String {
        String(text.flatMap { $0 == "|" ? ["\\", "|"] : [$0] })
    }

    /// A Markdown table; cells with free text go through `cell`.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        var text = "| " + header.joined(separator: " | ") + " |\n"
        text += "|" + header.map { _ in " --- |" }.joined() + "\n"
        for row in rows { text += "| " + row.map { $0.isEmpty ? " " : $0 }.joined(separator: " | ") + " |\n" }
        return text
    }
}
