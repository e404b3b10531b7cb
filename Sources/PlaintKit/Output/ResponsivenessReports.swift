import PlaintEvents
import PlaintProjections

/// `plaint responsiveness`: the JSON document of DESIGN section 3 and the ranked table.
public enum ResponsivenessReports {
    public static func json(_ query: ResponsivenessQuery, _ brands: [BrandResponsiveness]) -> JSONValue {
        .object([
            ("at", .string(Human.time(query.at))),
            ("window_seconds", seconds(query.window)),
            (
                "brands",
                .array(
                    brands.map { brand in
                        var members: [(String, JSONValue)] = [("brand", .string(brand.brand))]
                        members += figureMembers(brand.figures)
                        if query.period != nil {
                            members.append(
                                (
                                    "periods",
                                    .array(
                                        brand.periods.map { period in
                                            .object(
                                                [("start", .string(Human.time(period.start)))]
                                                    + figureMembers(period.figures))
                                        })
                                ))
                        }
                        return .object(members)
                    })
            ),
        ])
    }

    static func figureMembers(_ figures: ResponsivenessFigures) -> [(String, JSONValue)] {
        [
            ("requests", .integer(Int64(figures.requests))),
            ("answered", .integer(Int64(figures.answered))),
            ("answered_within_window", .integer(Int64(figures.answeredWithinWindow))),
            ("late", .integer(Int64(figures.late))),
            ("ignored", .integer(Int64(figures.ignored))),
            ("pending", .integer(Int64(figures.pending))),
            ("response_rate", fraction(figures.responseRate)),
            ("frt_p50", seconds(figures.frtP50)),
            ("frt_p90", seconds(figures.frtP90)),
            ("frt_p95", seconds(figures.frtP95)),
            ("share_within_1h", fraction(figures.shareWithin1h)),
            ("share_within_24h", fraction(figures.shareWithin24h)),
            ("redirect_share", fraction(figures.redirectShare)),
            ("resolution_rate", fraction(figures.resolutionRate)),
            ("resolution_p50", seconds(figures.resolutionP50)),
            ("one_touch_share", fraction(figures.oneTouchShare)),
            ("reopen_rate", fraction(figures.reopenRate)),
            ("clock_skew", .integer(Int64(figures.clockSkew))),
        ]
    }

    /// The published yardsticks of DESIGN section 3, printed beside the figures.
    public static let socialDevotedBar = 0.65
    public static let yardsticks = [
        "Socialbakers \"Socially Devoted\": at least 65% of questions answered (column \"devoted\": rate@H >= 65%)",
        "Socialbakers Q4 2013 response rates: Facebook 59.4%, Twitter 40.6%",
        "Sprout Social 2015: 7 in 8 messages unanswered within 72 h (12.5% answered)",
        "CFPB: a \"timely\" response is within 15 calendar days",
    ]

    public static func text(_ query: ResponsivenessQuery, _ brands: [BrandResponsiveness]) -> String {
        let window = Human.window(query.window)
        var text = "responsiveness at \(Human.time(query.at)), window H = \(window)"
        if let channel = query.channel { text += ", channel \(channel.rawValue)" }
        if query.filedFrom != nil || query.filedTo != nil {
            text += ", filed \(query.filedFrom.map(Human.time) ?? "…") to \(query.filedTo.map(Human.time) ?? "…")"
        }
        text += "\n"
        text += "rate@H = answered within H / (requests - pending); FRT percentiles are exact nearest-rank\n\n"
        guard !brands.isEmpty else { return text + "no requests match\n" }
        var rows: [[String]] = [
            [
                "#", "brand", "requests", "answered", "<=\(window)", "late", "ignored", "pending", "rate@H",
                "devoted", "FRT p50", "p90", "p95", "<=1h", "<=24h", "redirect", "resolved", "res p50", "1-touch",
                "reopen", "skew",
            ]
        ]
        for (rank, brand) in brands.enumerated() {
            rows.append(["\(rank + 1)", brand.brand] + cells(brand.figures))
            for period in brand.periods {
                rows.append(["", "  " + periodLabel(period.start, query.period)] + cells(period.figures))
            }
        }
        text += Human.table(rows, rightAligned: Set([0] + Array(2..<21)))
        text += "\nyardsticks:\n"
        for line in yardsticks { text += "  " + line + "\n" }
        return text
    }

    static func cells(_ figures: ResponsivenessFigures) -> [String] {
        let devoted = figures.responseRate.map { $0 >= socialDevotedBar ? "yes" : "no" } ?? "-"
        return [
            "\(figures.requests)", "\(figures.answered)", "\(figures.answeredWithinWindow)", "\(figures.late)",
            "\(figures.ignored)", "\(figures.pending)", Human.share(figures.responseRate), devoted,
            Human.duration(figures.frtP50), Human.duration(figures.frtP90), Human.duration(figures.frtP95),
            Human.share(figures.shareWithin1h), Human.share(figures.shareWithin24h),
            Human.share(figures.redirectShare), Human.share(figures.resolutionRate),
            Human.duration(figures.resolutionP50), Human.share(figures.oneTouchShare),
            Human.share(figures.reopenRate), "\(figures.clockSkew)",
        ]
    }

    static func periodLabel(_ start: Int64, _ period: PeriodLength?) -> String {
        let date = Timestamp(microseconds: start).civilDate
        let day = String(date.day < 10 ? "0\(date.day)" : "\(date.day)")
        let month = String(date.month < 10 ? "0\(date.month)" : "\(date.month)")
        switch period {
        case .month: return "\(date.year)-\(month)"
        case .week: return "week of \(date.year)-\(month)-\(day)"
        default: return "\(date.year)-\(month)-\(day)"
        }
    }
}
