import PlaintEvents
import PlaintLog
import PlaintProjections
import PlaintViews

/// `plaint audit BRAND` as JSON (every figure, durations in seconds) and as Markdown. Both print
/// the one `AuditData` value; nothing here computes a figure.
public enum AuditReports {
    // MARK: CSV

    /// `audit --format csv`: one row, the query and the headline figures under the JSON's names
    /// (the headline's own members after the query's), then the rank and the devotion verdict.
    /// The sections that are lists (trend, channels, cases, anomalies) are the JSON's.
    public static func csv(_ audit: AuditData) -> String {
        guard case .object(let members) = json(audit) else { return "" }
        var row: [(String, JSONValue)] = []
        for (name, value) in members {
            if name == "headline", case .object(let headline) = value {
                row += headline.filter { member in !row.contains { $0.0 == member.0 } }
            } else if case .object = value {
                continue
            } else if !row.contains(where: { $0.0 == name }) {
                row.append((name, value))
            }
        }
        return FlatCSV.listing([.object(row)]).csv()
    }

    // MARK: JSON

    public static func json(_ audit: AuditData) -> JSONValue {
        let query = audit.query
        var members: [(String, JSONValue)] = [
            ("brand", .string(audit.brand)),
            ("at", .string(Human.time(query.at))),
            ("window_seconds", seconds(query.window)),
            ("from", query.filedFrom.map { .string(Human.time($0)) } ?? .null),
            ("to", query.filedTo.map { .string(Human.time($0)) } ?? .null),
            ("min_requests", .integer(Int64(query.minimumDecided))),
            ("stale_after_seconds", seconds(query.staleAfter)),
            ("exclude_stale", .bool(query.excludeStale)),
            ("headline", .object(ResponsivenessReports.figureMembers(audit.headline))),
            ("rank", audit.rank.map { .integer(Int64($0)) } ?? .null),
            ("brands_ranked", .integer(Int64(audit.brandsRanked))),
            (
                "unranked_reason",
                audit.rank == nil
                    ? .string(
                        ResponsivenessReports.unrankedReason(
                            BrandResponsiveness(brand: audit.brand, figures: audit.headline, periods: []), query))
                    : .null
            ),
            ("devoted", .string(audit.devoted.rawValue)),
            ("caveats", ResponsivenessReports.caveatsJSON([audit.headline])),
        ]
        members.append(("trend", trendJSON(audit.journeys)))
        members.append(("first_response_histogram", histogramJSON(audit.journeys)))
        members.append(("first_response_unanswered", .integer(Int64(audit.journeys.unanswered))))
        members.append(("hour_of_week", hourOfWeekJSON(audit.journeys)))
        members.append(("channels", channelsJSON(audit.journeys)))
        members.append(("redirect_destinations", redirectsJSON(audit.journeys)))
        members.append(("ignored_requests", ignoredJSON(audit.journeys)))
        members.append(("ignored_longest", .array(audit.ignoredLongest.map { JourneyReports.json($0, steps: false) })))
        members.append(
            ("slowest_answered", .array(audit.slowestAnswered.map { JourneyReports.json($0, steps: false) })))
        members.append(("unconsented_actions", actionsJSON(audit)))
        members.append(
            (
                "loyalty",
                .object(ReportStamp.modelMembers("default", audit.model) + LoyaltyReports.summaryMembers(audit.loyalty))
            ))
        // Loyalty is a running score over every event up to `at`, whatever the filing bounds.
        members.append(("loyalty_covers", .string("every event up to at")))
        members.append(("anomalies", anomaliesJSON(audit.journeys)))
        members.append(("integrity", integrityJSON(audit)))
        return .object(members)
    }

    static func trendJSON(_ journeys: BrandAudit) -> JSONValue {
        let periods: [JSONValue] = journeys.trend.map { period in
            .object(
                [("start", .string(Human.time(period.start)))] + ResponsivenessReports.figureMembers(period.figures))
        }
        return .object([("period", .string(journeys.trendPeriod.rawValue)), ("periods", .array(periods))])
    }

    static func histogramJSON(_ journeys: BrandAudit) -> JSONValue {
        .array(
            journeys.firstResponseHistogram.enumerated().map { bucket, count in
                let last = bucket == BrandAudit.histogramBuckets - 1
                return .object([
                    ("from_seconds", seconds(BrandAudit.bucketStart(bucket))),
                    ("to_seconds", last ? .null : seconds(BrandAudit.bucketStart(bucket + 1))),
                    ("requests", .integer(Int64(count))),
                ])
            })
    }

    static func hourOfWeekJSON(_ journeys: BrandAudit) -> JSONValue {
        .array(
            journeys.hourOfWeek.enumerated().map { hour, cell in
                .object([
                    ("weekday", .integer(Int64(hour / 24))),
                    ("hour", .integer(Int64(hour % 24))),
                    ("requests", .integer(Int64(cell.requests))),
                    ("decided", .integer(Int64(cell.decided))),
                    ("answered_within_window", .integer(Int64(cell.answeredWithinWindow))),
                    ("response_rate", fraction(cell.responseRate)),
                    ("response_rate_ci", interval(cell.responseRate)),
                ])
            })
    }

    static func channelsJSON(_ journeys: BrandAudit) -> JSONValue {
        .array(
            journeys.channels.map { item in
                .object(
                    [("channel", .string(item.channel.rawValue))] + ResponsivenessReports.figureMembers(item.figures))
            })
    }

    /// Every ignored request of the cohort, longest wait first: the cases behind the ignored count.
    static func ignoredJSON(_ journeys: BrandAudit) -> JSONValue {
        .array(
            journeys.ignoredRequests.map { item in
                .object([
                    ("case", .string(item.journey.caseName)),
                    ("customer", .string(item.journey.customerName)),
                    ("filed_at", .string(Human.time(journeys.query.at - item.waited))),
                    ("waited_seconds", seconds(item.waited)),
                ])
            })
    }

    static func redirectsJSON(_ journeys: BrandAudit) -> JSONValue {
        .array(
            journeys.redirectDestinations.map { item in
                .object([
                    ("channel", item.channel.map { .string($0.rawValue) } ?? .null),
                    ("requests", .integer(Int64(item.count))),
                ])
            })
    }

    static func actionsJSON(_ audit: AuditData) -> JSONValue {
        let listed: [JSONValue] = audit.unconsentedActions.map { action in
            .object([
                ("position", .integer(Int64(action.position))),
                ("customer", .string(action.customer)),
                ("occurred_at", .string(Human.time(action.occurredAt))),
                ("change", .string(action.change.name)),
                ("loyalty_before", LoyaltyReports.points(action.loyaltyBefore)),
                ("loyalty_at", LoyaltyReports.points(action.loyaltyAt)),
                ("churned", .bool(action.churned)),
            ])
        }
        return .object([("count", .integer(Int64(audit.unconsentedActionCount))), ("listed", .array(listed))])
    }

    static func integrityJSON(_ audit: AuditData) -> JSONValue {
        // As `verify --json` describes it: "ok" covers the views too.
        let fullCheck =
            audit.fullCheck.map { check in
                Reports.json(
                    check.log,
                    views: check.views.map {
                        Reports.ViewCheck(position: $0.position, differingRows: $0.differingRows, outdatedLayout: nil)
                    })
            } ?? .null
        return .object([
            ("head_position", .integer(Int64(audit.head.position))),
            ("head_hash", .string(audit.head.hashHex)),
            ("chain", Reports.json(audit.chain)),
            ("full_check", fullCheck),
            ("recheck", .string(recheckCommand(audit))),
        ])
    }

    static func anomaliesJSON(_ journeys: BrandAudit) -> JSONValue {
        .object([
            ("clock_skew_cases", .integer(Int64(journeys.clockSkewCases))),
            ("clock_skew_examples", .array(journeys.clockSkewExamples.map { .string($0.caseName) })),
            ("clock_skew_case_ids", .array(journeys.clockSkewCaseNames.map { .string($0) })),
            ("unknown_cases", .integer(Int64(journeys.unknownCases))),
            ("unknown_case_examples", .array(journeys.unknownCaseExamples.map { .string($0.caseName) })),
            ("unknown_case_ids", .array(journeys.unknownCaseNames.map { .string($0) })),
            ("stale_responses", .integer(Int64(journeys.staleResponses.count))),
            (
                "stale_response_cases",
                .array(
                    journeys.staleResponses.map { item in
                        .object([
                            ("case", .string(item.journey.caseName)),
                            ("first_response_seconds", seconds(item.responseTime)),
                        ])
                    })
            ),
        ])
    }

    /// What a reader runs against a copy of the store to check that its history up to the
    /// report's head is intact and unchanged.
    static func recheckCommand(_ audit: AuditData) -> String {
        "plaint verify --store COPY && plaint events --store COPY --from-position \(audit.head.position) --limit 1"
            + " | grep -F '\"hash\":\"\(audit.head.hashHex)\"'"
    }
}
