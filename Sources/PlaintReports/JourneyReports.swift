import PlaintEvents
import PlaintProjections
import PlaintViews

/// `plaint journey`: a case's timeline and figures, and a customer's cases across brands.
public enum JourneyReports {
    public static func json(_ detail: JourneyDetail, steps: Bool) -> JSONValue {
        let figures = detail.figures
        return .object([
            ("case", .string(detail.journey.caseName)),
            ("customer", .string(detail.journey.customerName)),
            ("brand", .string(detail.journey.brandName)),
            ("at", .string(Human.time(detail.at))),
            ("window_seconds", seconds(detail.window)),
            ("status", detail.status.map { .string($0.rawValue) } ?? .null),
            ("state", figures.state.map { .string($0.rawValue) } ?? .null),
            (
                "events",
                .array(
                    detail.timeline.map { line in
                        var members: [(String, JSONValue)] = [
                            ("position", .integer(Int64(line.entry.position))),
                            ("id", .string(line.id)),
                            ("occurred_at", .string(Human.time(line.entry.occurredAt))),
                            ("actor", .string(line.actor)),
                            ("actor_role", .string(line.role)),
                            ("agent", line.agent.map { .string($0) } ?? .null),
                            ("reply_kind", line.entry.facts.replyKind.map { .string($0.name) } ?? .null),
                            ("channel", line.entry.facts.channel.map { .string($0.rawValue) } ?? .null),
                            ("type", .string(line.entry.type.rawValue)),
                            ("text", line.text.map { .string($0) } ?? .null),
                        ]
                        if steps { members.append(("state", line.state.map { .string($0.rawValue) } ?? .null)) }
                        return .object(members)
                    })
            ),
            ("figures", figuresJSON(figures)),
            ("stale_response", .bool(detail.staleResponse)),
            ("anomalies", .array(detail.anomalies.map { .string(describe($0)) })),
        ])
    }

    /// A case's timeline, one object per event as in the JSON's `events`, for CSV.
    public static func timelineObjects(_ detail: JourneyDetail, steps: Bool) -> [JSONValue] {
        guard case .object(let members) = json(detail, steps: steps),
            case .array(let events)? = members.first(where: { $0.0 == "events" })?.1
        else { return [] }
        return events
    }

    static func figuresJSON(_ figures: CaseFigures) -> JSONValue {
        .object([
            ("filed_at", figures.filedAt.map { .string(Human.time($0)) } ?? .null),
            ("first_response_at", figures.firstResponseAt.map { .string(Human.time($0)) } ?? .null),
            ("first_response_seconds", seconds(figures.firstResponseTime)),
            ("first_response_kind", figures.firstResponseKind.map { .string($0.name) } ?? .null),
            ("resolved_at", figures.resolvedAt.map { .string(Human.time($0)) } ?? .null),
            ("resolution_seconds", seconds(figures.timeToResolution)),
            ("brand_replies", .integer(Int64(figures.brandReplies))),
            ("automatic_replies", .integer(Int64(figures.automaticReplies))),
            ("follow_ups", .integer(Int64(figures.followUps))),
            ("follow_ups_before_response", .integer(Int64(figures.followUpsBeforeResponse))),
            ("channels", .array(figures.channels.map { .string($0.rawValue) })),
            ("channel_switches", .integer(Int64(figures.channelSwitches))),
            ("redirected_first", .bool(figures.firstResponseWasRedirect)),
            ("reopened", .integer(Int64(figures.reopenCount))),
            ("escalations", .integer(Int64(figures.escalations))),
            ("clock_skew", .bool(figures.firstResponseSkewed || figures.repliesBeforeRequest > 0)),
        ])
    }

    public static func text(_ detail: JourneyDetail, steps: Bool) -> String {
        let journey = detail.journey
        let figures = detail.figures
        var text = "case \(journey.caseName)  customer \(journey.customerName)  brand \(journey.brandName)\n"
        text += "at \(Human.time(detail.at)) (window \(Human.window(detail.window))): "
        text += "state \(figures.state?.rawValue ?? "-"), request \(detail.status?.rawValue ?? "-")\n\n"
        var rows: [[String]] = [["time", "actor", "channel", "event"] + (steps ? ["state after"] : []) + ["text"]]
        for line in detail.timeline {
            var row = [
                Human.time(line.entry.occurredAt), line.actor, line.entry.facts.channel?.rawValue ?? "-",
                eventLabel(line.entry),
            ]
            if steps { row.append(line.state?.rawValue ?? "-") }
            row.append(excerpt(line.text))
            if line.entry.occurredAt > detail.at { row[0] += " (after at)" }
            rows.append(row)
        }
        text += Human.table(rows)
        text += "\n"
        var firstResponse = Human.duration(figures.firstResponseTime)
        if let kind = figures.firstResponseKind, kind != .answer {
            firstResponse += " (\(kind.name)\(figures.firstResponseRedirect.map { " to " + $0.rawValue } ?? ""))"
        }
        var figureRows: [[String]] = [
            ["first response time", figures.firstResponseAt == nil ? "none yet" : firstResponse],
            [
                "time to resolution",
                figures.resolvedAt == nil ? "not resolved" : Human.duration(figures.timeToResolution),
            ],
            ["brand replies", "\(figures.brandReplies) (+\(figures.automaticReplies) automatic)"],
            ["follow-ups", "\(figures.followUps) (\(figures.followUpsBeforeResponse) before the first response)"],
            [
                "channels",
                (figures.channels.isEmpty ? "-" : figures.channels.map(\.rawValue).joined(separator: ", "))
                    + " (\(figures.channelSwitches) switch\(figures.channelSwitches == 1 ? "" : "es"))",
            ],
            ["reopened", "\(figures.reopenCount)"],
            ["escalations", "\(figures.escalations)"],
        ]
        let anomalies = detail.anomalies.map(describe)
        figureRows.append(["anomalies", anomalies.first ?? "none"])
        for anomaly in anomalies.dropFirst() { figureRows.append(["", anomaly]) }
        text += Human.table(figureRows)
        return text
    }

    static func eventLabel(_ entry: JourneyEntry) -> String {
        switch entry.type {
        case .brandReplied: "brand.replied/" + (entry.facts.replyKind?.name ?? "?")
        case .caseResolved: "case.resolved/" + (entry.facts.resolution?.name ?? "?")
        case .vendorChangedService:
            "vendor.changed_service/" + (entry.facts.serviceChange?.name ?? "?")
                + (entry.facts.consented == false ? " (no consent)" : "")
        case .customerRated:
            "customer.rated/" + (entry.facts.ratingScale?.name ?? "?") + " "
                + (entry.facts.ratingScore.map(String.init) ?? "?")
        default: entry.type.rawValue
        }
    }

    static func excerpt(_ text: String?, limit: Int = 60) -> String {
        guard var text else { return "" }
        text = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        return text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// The sentence that names an anomaly of a journey.
    public static func describe(_ anomaly: JourneyAnomaly) -> String {
        switch anomaly {
        case .noComplaint:
            "unknown case: no complaint.filed for this case in the log"
        case .clockSkew(let position, let replyAt, let filedAt):
            "clock skew: a reply at \(Timestamp(microseconds: replyAt)) (position \(position)) "
                + "occurred before the request at \(Timestamp(microseconds: filedAt))"
        case .staleResponse(let responseTime, let staleAfter):
            "stale response: the first response came \(Human.duration(responseTime)) after the request, more "
                + "than \(Human.duration(staleAfter)) (--stale-after); such a thread often joins conversations "
                + "held far apart"
        }
    }
}
