import PlaintEvents
import PlaintProjections

/// `plaint responsiveness`: the JSON document and the ranked table.
public enum ResponsivenessReports {
    public static func json(_ query: ResponsivenessQuery, _ brands: [BrandResponsiveness]) -> JSONValue {
        .object([
            ("at", .string(Human.time(query.at))),
            ("window_seconds", seconds(query.window)),
            ("min_requests", .integer(Int64(query.minimumDecided))),
            ("stale_after_seconds", seconds(query.staleAfter)),
            ("exclude_stale", .bool(query.excludeStale)),
            ("caveats", caveatsJSON(brands.map(\.figures))),
            ("brands", .array(brandObjects(query, brands))),
        ])
    }

    /// The `brands` of the JSON document, one object per brand: also the rows of the CSV form.
    public static func brandObjects(_ query: ResponsivenessQuery, _ brands: [BrandResponsiveness]) -> [JSONValue] {
        brands.map { brand in
            var members: [(String, JSONValue)] = [
                ("brand", .string(brand.brand)),
                ("rank", .optional(brand.rank)),
                ("devoted", .string(brand.devoted.rawValue)),
            ]
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
        }
    }

    /// Every figure of one brand or period, each rate and percentile followed by its interval.
    static func figureMembers(_ figures: ResponsivenessFigures) -> [(String, JSONValue)] {
        func rate(_ name: String, _ rate: Rate?) -> [(String, JSONValue)] {
            [(name, fraction(rate)), (name + "_ci", interval(rate))]
        }
        func percentile(_ name: String, _ percentile: Percentile?) -> [(String, JSONValue)] {
            [(name, seconds(percentile)), (name + "_ci", interval(percentile))]
        }
        var members: [(String, JSONValue)] = [
            ("requests", .integer(Int64(figures.requests))),
            ("answered", .integer(Int64(figures.answered))),
            ("answered_within_window", .integer(Int64(figures.answeredWithinWindow))),
            ("late", .integer(Int64(figures.late))),
            ("ignored", .integer(Int64(figures.ignored))),
            ("pending", .integer(Int64(figures.pending))),
        ]
        members += rate("response_rate", figures.responseRate)
        members += percentile("frt_p50", figures.frtP50)
        members += percentile("frt_p90", figures.frtP90)
        members += percentile("frt_p95", figures.frtP95)
        members += rate("share_within_1h", figures.shareWithin1h)
        members += rate("share_within_24h", figures.shareWithin24h)
        members += rate("redirect_share", figures.redirectShare)
        members += rate("resolution_rate", figures.resolutionRate)
        members += percentile("resolution_p50", figures.resolutionP50)
        members += rate("one_touch_share", figures.oneTouchShare)
        members += rate("reopen_rate", figures.reopenRate)
        members += [
            ("resolutions_recorded", .bool(figures.resolutionsRecorded)),
            ("clock_skew", .integer(Int64(figures.clockSkew))),
            ("stale_responses", .integer(Int64(figures.staleResponses))),
            ("stale_excluded", .integer(Int64(figures.staleExcluded))),
            ("sources", sourcesJSON(figures)),
        ]
        return members
    }

    static func sourcesJSON(_ figures: ResponsivenessFigures) -> JSONValue {
        .array(
            figures.sources.map { item in
                .object([
                    ("source", item.source.map { .string($0) } ?? .null),
                    ("requests", .integer(Int64(item.requests))),
                    ("share", .number(item.share)),
                ])
            })
    }

    /// The caveats of the known sources the figures rest on.
    static func caveatsJSON(_ figures: [ResponsivenessFigures]) -> JSONValue {
        .array(
            caveats(figures).map { caveat in
                .object([("source", .string(caveat.source)), ("text", .string(caveat.text))])
            })
    }

    static func caveats(_ figures: [ResponsivenessFigures]) -> [(source: String, text: String)] {
        SourceCaveats.caveats(for: figures.lazy.flatMap(\.sources).map(\.source))
    }

    /// The published yardsticks, printed beside the figures.
    public static let yardsticks = [
        "Socialbakers \"Socially Devoted\": at least 65% of questions answered (column \"devoted\": yes when the "
            + "rate's interval lies at or above 65%, no when below, undecided when it straddles 65% or the brand "
            + "is not ranked)",
        "Socialbakers Q4 2013 response rates: Facebook 59.4%, Twitter 40.6%",
        "Sprout Social 2015: 7 in 8 messages unanswered within 72 h (12.5% answered)",
        "CFPB: a \"timely\" response is within 15 calendar days",
    ]

    /// - Parameter width: the terminal's width: columns are left out, least needed first, until
    ///   the table fits, and the footer names them; nil keeps every column.
    public static func text(_ query: ResponsivenessQuery, _ brands: [BrandResponsiveness], width: Int? = nil) -> String
    {
        let window = Human.window(query.window)
        var text = "responsiveness at \(Human.time(query.at)), window H = \(window)"
        if let channel = query.channel { text += ", channel \(channel.rawValue)" }
        if query.filedFrom != nil || query.filedTo != nil {
            text += ", filed \(query.filedFrom.map(Human.time) ?? "…") to \(query.filedTo.map(Human.time) ?? "…")"
        }
        text += "\n"
        text +=
            "rate@H = answered within H / (requests - pending), with its 95% Wilson interval; FRT percentiles are "
            + "exact nearest-rank (--json gives their intervals)\n"
        text += "ranked: brands with at least \(query.minimumDecided) decided requests (requests - pending)\n\n"
        guard !brands.isEmpty else { return text + "no requests match\n" }
        var rows: [[String]] = [
            [
                "#", "brand", "requests", "answered", "<=\(window)", "late", "ignored", "pending", "rate@H",
                "devoted", "FRT p50", "p90", "p95", "<=1h", "<=24h", "redirect", "resolved", "res p50", "1-touch",
                "reopen", "skew", "stale", "sources",
            ]
        ]
        for brand in brands {
            rows.append(
                [brand.rank.map { "\($0)" } ?? "-", brand.brand] + cells(brand.figures, devoted: brand.devoted))
            for period in brand.periods {
                rows.append(
                    ["", "  " + periodLabel(period.start, query.period)] + cells(period.figures, devoted: nil))
            }
        }
        let table = FittedTable(
            rows, rightAligned: Set([0] + Array(2..<22)), dropOrder: droppedFirst, width: width)
        text += table.text
        let unranked = brands.filter { $0.rank == nil }
        if !unranked.isEmpty {
            text += "\nnot ranked:\n"
            for brand in unranked { text += "  \(brand.brand): \(unrankedReason(brand, query))\n" }
        }
        text += footer(query, brands.map(\.figures))
        return text + table.footer
    }

    /// The columns a narrow terminal loses first: sources, stale, skew, reopen, 1-touch, res p50,
    /// p95, p90, redirect, <=24h, late, answered, pending, <=1h, resolved. The brand, its
    /// requests, those answered within H, ignored, rate@H, devoted and FRT p50 always stay.
    static let droppedFirst = [22, 21, 20, 19, 18, 17, 12, 11, 15, 14, 5, 3, 7, 13, 16]

    /// "8 decided requests, fewer than 30".
    public static func unrankedReason(_ brand: BrandResponsiveness, _ query: ResponsivenessQuery) -> String {
        let decided = brand.figures.decided
        return "\(decided) decided request\(decided == 1 ? "" : "s"), fewer than \(query.minimumDecided)"
    }

    /// The notes under the table: what the marks mean, what was left out, the sources' caveats
    /// and the yardsticks.
    static func footer(_ query: ResponsivenessQuery, _ figures: [ResponsivenessFigures]) -> String {
        var text = "\n"
        if figures.contains(where: { !$0.resolutionsRecorded }) {
            text +=
                "n/r: not recorded: the brand's data holds no case.resolved event, so it has no resolution figures\n"
        }
        let stale = figures.reduce(0) { $0 + $1.staleResponses }
        let staleAfter = Human.duration(query.staleAfter)
        let requests = "\(stale) request\(stale == 1 ? "" : "s") answered more than \(staleAfter) after filing"
        if query.excludeStale {
            text += "stale: \(requests), left out of every figure (--exclude-stale)\n"
        } else if stale > 0 {
            text += "stale: \(requests), kept in the figures (--exclude-stale leaves them out)\n"
        }
        let caveats = caveats(figures)
        if !caveats.isEmpty {
            text += "caveats:\n"
            for caveat in caveats { text += "  \(caveat.source): \(caveat.text)\n" }
        }
        text += "yardsticks:\n"
        for line in yardsticks { text += "  " + line + "\n" }
        return text
    }

    static func cells(_ figures: ResponsivenessFigures, devoted: DevotedVerdict?) -> [String] {
        let recorded = figures.resolutionsRecorded
        return [
            "\(figures.requests)", "\(figures.answered)", "\(figures.answeredWithinWindow)", "\(figures.late)",
            "\(figures.ignored)", "\(figures.pending)", Human.rate(figures.responseRate), devoted?.rawValue ?? "",
            Human.duration(figures.frtP50?.value), Human.duration(figures.frtP90?.value),
            Human.duration(figures.frtP95?.value), Human.rate(figures.shareWithin1h),
            Human.rate(figures.shareWithin24h), Human.rate(figures.redirectShare),
            Human.rate(figures.resolutionRate, recorded: recorded, notRecorded: "n/r"),
            recorded ? Human.duration(figures.resolutionP50?.value) : "n/r",
            Human.rate(figures.oneTouchShare, recorded: recorded, notRecorded: "n/r"),
            Human.rate(figures.reopenRate, recorded: recorded, notRecorded: "n/r"), "\(figures.clockSkew)",
            "\(figures.staleResponses)", sourcesCell(figures),
        ]
    }

    /// `twcs 100%`, `crm 60%, web 40%`, `(none) 100%`: the requests' sources, the two largest
    /// named and the rest counted.
    static func sourcesCell(_ figures: ResponsivenessFigures) -> String {
        guard figures.requests > 0 else { return "-" }
        let named = figures.sources.prefix(2).map { item in
            "\(item.source ?? "(none)") \(Int((item.share * 100).rounded()))%"
        }
        let rest = figures.sources.count - named.count
        return named.joined(separator: ", ") + (rest > 0 ? ", +\(rest) more" : "")
    }

    static func periodLabel(_ start: Int64, _ period: PeriodLength?) -> String {
        switch period {
        case .month: String(Human.date(start).prefix(7))
        case .week: "week of \(Human.date(start))"
        default: Human.date(start)
        }
    }
}
