import PlaintEvents
import PlaintProjections
import PlaintViews

/// `plaint loyalty` as text for a person and as JSON for programs. Scores are 0-100 with two
/// decimals; each contribution is rounded to hundredths first, so the printed contributions add
/// up to the printed score exactly.
public enum LoyaltyReports {
    static func points(_ cents: Int64) -> JSONValue { .number(Double(cents) / 100) }

    // MARK: JSON

    public static func json(_ result: LoyaltyView.CustomerResult, model: String, explain: Bool) -> JSONValue {
        .object(
            [("at", .string(Human.time(result.at)))] + ReportStamp.modelMembers(model, result.model) + [
                ("customer", .string(result.customer)),
                ("relationships", .array(result.relationships.map { relationshipJSON($0, explain: explain) })),
            ])
    }

    static func relationshipJSON(_ item: LoyaltyView.Explained, explain: Bool) -> JSONValue {
        let score = item.score
        let loyalty = score.loyalty
        let devotion = score.devotion
        var loyaltyMembers: [(String, JSONValue)] = [
            ("score", points(loyalty.scoreCents)),
            ("pre_clip", points(loyalty.preClipCents)),
            ("baseline", points(loyalty.baselineCents)),
            ("churned", .bool(loyalty.churned)),
        ]
        var devotionMembers: [(String, JSONValue)] = [
            ("score", points(devotion.scoreCents)),
            ("pre_clip", points(devotion.preClipCents)),
            ("base", points(devotion.baseCents)),
            ("response_rate", fraction(devotion.responseRate)),
            ("speed", fraction(devotion.speed)),
            ("kept", fraction(devotion.kept)),
            ("requests", .integer(Int64(devotion.tally.requests))),
            ("pending", .integer(Int64(devotion.tally.pending))),
            ("answered_within_window", .integer(Int64(devotion.tally.answeredWithinWindow))),
            ("customer_frt_p50", seconds(devotion.customerFRTP50)),
            ("brand_frt_p50", seconds(devotion.brandFRTP50)),
            ("resolved", .integer(Int64(devotion.resolved))),
            ("abandoned", .integer(Int64(devotion.abandoned))),
            ("ignored", .integer(Int64(devotion.ignored))),
        ]
        if explain {
            loyaltyMembers.append(
                (
                    "contributions",
                    .array(
                        explained(loyalty.contributions).map { contributionJSON($0, item.eventIDs, loyalty.caseIDs) })
                ))
            devotionMembers.append(
                ("penalties", .array(explained(devotion.penalties).map { contributionJSON($0, item.eventIDs, []) })))
        }
        return .object([
            ("brand", .string(score.brandName)),
            ("customer", .string(score.customerName)),
            ("loyalty", .object(loyaltyMembers)),
            ("devotion", .object(devotionMembers)),
            ("gap", points(score.gapCents)),
            ("unconsented_adverse_change", .bool(score.hadUnconsentedAdverseChange)),
        ])
    }

    static func contributionJSON(
        _ contribution: LoyaltyContribution, _ ids: [UInt64: String], _ caseIDs: [[UInt8]]
    ) -> JSONValue {
        .object([
            ("reason", .string(contribution.reason.rawValue)),
            ("event_id", ids[contribution.position].map(JSONValue.string) ?? .null),
            ("position", .integer(Int64(contribution.position))),
            ("case", contribution.caseOrdinal.map { .string(String(decoding: caseIDs[$0], as: UTF8.self)) } ?? .null),
            ("occurred_at", .string(Human.time(contribution.occurredAt))),
            ("effective_at", .string(Human.time(contribution.effectiveAt))),
            ("weight", .number(contribution.weight)),
            ("applied", .number(contribution.applied)),
            ("value", points(contribution.valueCents)),
            ("adjustment", contribution.adjustment.map { .string($0.rawValue) } ?? .null),
        ])
    }

    /// Largest effect first; ties in time order, so the listing is reproducible.
    static func explained(_ contributions: [LoyaltyContribution]) -> [LoyaltyContribution] {
        contributions.enumerated()
            .sorted { lhs, rhs in
                let (left, right) = (lhs.element.valueCents.magnitude, rhs.element.valueCents.magnitude)
                return left != right ? left > right : lhs.offset < rhs.offset
            }
            .map(\.element)
    }

    /// - Parameter all: list every relationship under `relationship_scores`, as `scoreListing` does.
    public static func json(_ result: LoyaltyView.BrandResult, model: String, all: Bool = false) -> JSONValue {
        var members = [("at", .string(Human.time(result.at)))] + ReportStamp.modelMembers(model, result.model)
        members += summaryMembers(result.summary)
        if all { members.append(("relationship_scores", .array(scoreListing(result.summary.all).objects()))) }
        return .object(members)
    }

    /// Every relationship of a brand, one row each: L, B, the gap and the counts behind them.
    public static func scoreListing(_ scores: [RelationshipHeadline]) -> Listing {
        var listing = Listing([
            .init("customer", heading: "customer"),
            .init("loyalty", heading: "L", rightAligned: true, text: pointsText),
            .init("devotion", heading: "B", rightAligned: true, text: pointsText),
            .init("gap", heading: "gap", rightAligned: true, text: pointsText),
            .init("churned", heading: "churned", dropPriority: 1, text: yesNo),
            .init("unconsented_adverse_change", heading: "unconsented", dropPriority: 1, text: yesNo),
            .init("contributions", heading: "L contributions", rightAligned: true, dropPriority: 3),
            .init("penalties", heading: "B penalties", rightAligned: true, dropPriority: 3),
            .init("requests", heading: "requests", rightAligned: true, dropPriority: 2),
            .init("answered_within_window", heading: "within H", rightAligned: true, dropPriority: 2),
            .init("late", heading: "late", rightAligned: true, dropPriority: 4),
            .init("ignored", heading: "ignored", rightAligned: true, dropPriority: 2),
            .init("pending", heading: "pending", rightAligned: true, dropPriority: 4),
            .init("resolved", heading: "resolved", rightAligned: true, dropPriority: 4),
            .init("abandoned", heading: "abandoned", rightAligned: true, dropPriority: 4),
        ])
        for score in scores {
            let tally = score.tally
            listing.append(
                [
                    .string(score.customerName), points(score.loyaltyCents), points(score.devotionCents),
                    points(score.gapCents), .bool(score.churned), .bool(score.hadUnconsentedAdverseChange),
                ]
                    + [
                        score.contributions, score.penalties, tally.requests, tally.answeredWithinWindow, tally.late,
                        tally.ignored, tally.pending, score.resolved, score.abandoned,
                    ].map { JSONValue.integer(Int64($0)) })
        }
        return listing
    }

    /// A brand's two distributions, one row each, for CSV.
    public static func distributionListing(_ summary: BrandLoyaltySummary) -> Listing {
        let percentiles = (1...9).map { "p\($0 * 10)" }
        var listing = Listing(
            (["score", "min"] + percentiles + ["max", "mean", "below_30"]).map { Listing.Column($0, heading: $0) })
        for (name, distribution) in [("loyalty", summary.loyalty), ("devotion", summary.devotion)] {
            let deciles =
                distribution.deciles.isEmpty
                ? Array(repeating: JSONValue.null, count: 9) : distribution.deciles.map(points)
            listing.append(
                [.string(name), distribution.minimum.map(points) ?? .null] + deciles + [
                    distribution.maximum.map(points) ?? .null,
                    distribution.mean.map { .number(($0 * 100).rounded() / 100) } ?? .null,
                    .integer(Int64(distribution.below30)),
                ])
        }
        return listing
    }

    /// A customer's relationships, one row each, for CSV: the brand, then `scoreListing`'s columns.
    public static func relationshipListing(_ result: LoyaltyView.CustomerResult) -> Listing {
        let scores = scoreListing(result.relationships.map(\.score.headline))
        var listing = Listing([.init("brand", heading: "brand")] + scores.columns)
        for (item, row) in zip(result.relationships, scores.rows) {
            listing.append([.string(item.score.brandName)] + row)
        }
        return listing
    }

    /// Every contribution to L and penalty to B of a customer's relationships, one row each, for
    /// CSV: the brand, the score it counts towards (`loyalty` or `devotion`), then the JSON's
    /// contribution fields.
    public static func contributionObjects(_ result: LoyaltyView.CustomerResult) -> [JSONValue] {
        result.relationships.flatMap { item in
            let loyalty = item.score.loyalty
            let parts = [
                ("loyalty", explained(loyalty.contributions), loyalty.caseIDs),
                ("devotion", explained(item.score.devotion.penalties), []),
            ]
            return parts.flatMap { part, contributions, caseIDs in
                contributions.map { contribution -> JSONValue in
                    guard case .object(let members) = contributionJSON(contribution, item.eventIDs, caseIDs) else {
                        return .null
                    }
                    return .object([("brand", .string(item.score.brandName)), ("score", .string(part))] + members)
                }
            }
        }
    }

    static func pointsText(_ value: JSONValue) -> String {
        if case .number(let points) = value { return Cents.text(Cents.of(points)) }
        return "-"
    }

    static func yesNo(_ value: JSONValue) -> String {
        if case .bool(let flag) = value { return flag ? "yes" : "no" }
        return "-"
    }

    /// A brand's loyalty summary as JSON members (shared with the audit).
    static func summaryMembers(_ summary: BrandLoyaltySummary) -> [(String, JSONValue)] {
        func distribution(_ value: BrandLoyaltySummary.Distribution) -> JSONValue {
            .object([
                ("min", value.minimum.map(points) ?? .null),
                ("deciles", .array(value.deciles.map(points))),
                ("max", value.maximum.map(points) ?? .null),
                ("mean", value.mean.map { .number(($0 * 100).rounded() / 100) } ?? .null),
                ("below_30", .integer(Int64(value.below30))),
            ])
        }
        func gaps(_ scores: [RelationshipHeadline]) -> JSONValue {
            .array(
                scores.map { score in
                    .object([
                        ("customer", .string(score.customerName)),
                        ("loyalty", points(score.loyaltyCents)),
                        ("devotion", points(score.devotionCents)),
                        ("gap", points(score.gapCents)),
                    ])
                })
        }
        return [
            ("brand", .string(summary.brand)),
            ("relationships", .integer(Int64(summary.relationships))),
            ("loyalty", distribution(summary.loyalty)),
            ("devotion", distribution(summary.devotion)),
            ("unconsented_adverse_changes", .integer(Int64(summary.unconsentedAdverseChanges))),
            ("churned", .integer(Int64(summary.churned))),
            (
                "largest_gaps",
                .object([
                    ("loyalty_above_devotion", gaps(summary.loyalOverDevoted)),
                    ("devotion_above_loyalty", gaps(summary.devotedOverLoyal)),
                ])
            ),
        ]
    }

    // MARK: Text

    public static func text(_ result: LoyaltyView.CustomerResult, model: String, explain: Bool) -> String {
        var text = "customer \(result.customer) at \(Human.time(result.at)) \(modelText(model, result.model))\n\n"
        if explain || result.relationships.count == 1 {
            for item in result.relationships {
                text += relationshipText(item, weights: result.model.devotion, explain: explain) + "\n"
            }
            return text
        }
        var rows = [["brand", "L", "B", "gap", "churned", "unconsented adverse change"]]
        for item in result.relationships {
            let score = item.score
            rows.append([
                score.brandName, Cents.text(score.loyalty.scoreCents), Cents.text(score.devotion.scoreCents),
                Cents.text(score.gapCents), score.loyalty.churned ? "yes" : "no",
                score.hadUnconsentedAdverseChange ? "yes" : "no",
            ])
        }
        return text + Human.table(rows, rightAligned: [1, 2, 3])
    }

    static func relationshipText(
        _ item: LoyaltyView.Explained, weights: LoyaltyModel.DevotionWeights, explain: Bool
    ) -> String {
        let score = item.score
        let loyalty = score.loyalty
        let devotion = score.devotion
        var text = "brand \(score.brandName)\n"
        let clip =
            loyalty.preClipCents == loyalty.scoreCents ? "" : " (clipped from \(Cents.text(loyalty.preClipCents)))"
        let churn = loyalty.churned ? " (churned: held at 0 until a renewal)" : ""
        text += "  loyalty L   \(Cents.text(loyalty.scoreCents))\(clip)\(churn)\n"
        let devotionClip =
            devotion.preClipCents == devotion.scoreCents ? "" : " (clipped from \(Cents.text(devotion.preClipCents)))"
        text += "  devotion B  \(Cents.text(devotion.scoreCents))\(devotionClip)\n"
        text += "  gap L - B   \(Cents.text(score.gapCents))\n"
        guard explain else { return text }

        let contributionsTotal = loyalty.contributions.reduce(0) { $0 + $1.valueCents }
        text +=
            "\n  L = baseline \(Cents.text(loyalty.baselineCents)) + contributions \(Cents.text(contributionsTotal))"
        text += " = \(Cents.text(loyalty.preClipCents))"
        text += loyalty.preClipCents == loyalty.scoreCents ? "\n" : ", clipped to \(Cents.text(loyalty.scoreCents))\n"
        text += contributionTable(explained(loyalty.contributions), item.eventIDs, loyalty.caseIDs)

        func part(_ value: Double?) -> String {
            guard let value else { return "-" }
            let thousandths = Int((value * 1000).rounded())
            let fraction = thousandths % 1000
            return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - String(fraction).count) + "\(fraction)"
        }
        let formula = [(weights.responseRate, "rr"), (weights.speed, "speed"), (weights.kept, "kept")]
            .map { "\(ECMAScriptNumber.format($0.0)) \($0.1)" }.joined(separator: " + ")
        text += "\n  B = 100 x (\(formula)) = \(Cents.text(devotion.baseCents))"
        text += "  (parts without a base are left out and the rest reweighted)\n"
        text +=
            "    rr     \(part(devotion.responseRate))  answered within the window \(devotion.tally.answeredWithinWindow)"
        text += " of \(devotion.tally.decided) decided requests (\(devotion.tally.pending) pending)\n"
        text += "    speed  \(part(devotion.speed))  brand FRT P50 \(Human.duration(devotion.brandFRTP50))"
        text += " / this customer's \(Human.duration(devotion.customerFRTP50))\n"
        text += "    kept   \(part(devotion.kept))  resolved \(devotion.resolved), abandoned \(devotion.abandoned),"
        text += " ignored \(devotion.ignored)\n"
        if !devotion.penalties.isEmpty {
            let total = devotion.penalties.reduce(0) { $0 + $1.valueCents }
            text += "  B = \(Cents.text(devotion.baseCents)) + penalties \(Cents.text(total))"
            text += " = \(Cents.text(devotion.preClipCents))"
            text +=
                devotion.preClipCents == devotion.scoreCents
                ? "\n" : ", clipped to \(Cents.text(devotion.scoreCents))\n"
            text += contributionTable(explained(devotion.penalties), item.eventIDs, [])
        }
        return text
    }

    static func contributionTable(
        _ contributions: [LoyaltyContribution], _ ids: [UInt64: String], _ caseIDs: [[UInt8]]
    ) -> String {
        guard !contributions.isEmpty else { return "    no contributions\n" }
        var rows = [["value", "weight", "reason", "event", "time", "case", "note"]]
        for contribution in contributions {
            var note = contribution.adjustment?.rawValue.replacingUnderscores ?? ""
            if contribution.adjustment == .recoveryCapped { note += " (applied \(weightText(contribution.applied)))" }
            if contribution.effectiveAt != contribution.occurredAt {
                note += (note.isEmpty ? "" : "; ") + "from \(Human.time(contribution.effectiveAt))"
            }
            rows.append([
                Cents.text(contribution.valueCents), weightText(contribution.weight),
                contribution.reason.rawValue.replacingUnderscores,
                ids[contribution.position] ?? "#\(contribution.position)", Human.time(contribution.occurredAt),
                contribution.caseOrdinal.map { String(decoding: caseIDs[$0], as: UTF8.self) } ?? "-", note,
            ])
        }
        return Human.table(rows, rightAligned: [0, 1]).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
    }

    /// `(model: default, sha256:…)`: the model by name and by the start of its digest.
    static func modelText(_ name: String, _ model: LoyaltyModel) -> String {
        "(model: \(name), \(ReportStamp.shortDigest(of: model)))"
    }

    static func weightText(_ weight: Double) -> String { Cents.text(Cents.of(weight)) }

    /// The brand's distributions and, with `all`, every relationship's row.
    /// - Parameter width: the terminal's width: columns are left out until the tables fit (the
    ///   footers say which); nil keeps them all.
    public static func text(_ result: LoyaltyView.BrandResult, model: String, width: Int? = nil, all: Bool) -> String {
        var text = text(result, model: model, width: width)
        if all {
            let table = scoreListing(result.summary.all).fitted(width: width)
            text += "\nevery relationship, by customer:\n" + table.text + table.footer
        }
        return text
    }

    /// - Parameter width: the terminal's width: deciles are left out until the table fits (the
    ///   footer says which); nil keeps them all.
    public static func text(_ result: LoyaltyView.BrandResult, model: String, width: Int? = nil) -> String {
        let summary = result.summary
        var text = "brand \(summary.brand) at \(Human.time(result.at)) \(modelText(model, result.model))\n"
        text += "\(summary.relationships) relationships\n\n"
        guard summary.relationships > 0 else {
            return text + "no customer has a case or relationship event with this brand\n"
        }
        var rows = [
            ["", "min", "p10", "p20", "p30", "p40", "p50", "p60", "p70", "p80", "p90", "max", "mean", "below 30"]
        ]
        for (name, distribution) in [("loyalty L", summary.loyalty), ("devotion B", summary.devotion)] {
            rows.append(
                [name, distribution.minimum.map(Cents.text) ?? "-"] + distribution.deciles.map(Cents.text)
                    + [
                        distribution.maximum.map(Cents.text) ?? "-",
                        distribution.mean.map { Cents.text(Cents.of($0)) } ?? "-", "\(distribution.below30)",
                    ])
        }
        let table = FittedTable(rows, rightAligned: Set(1...13), dropOrder: [3, 5, 7, 9, 4, 8, 12], width: width)
        text += table.text + table.footer
        text += "\nrelationships with an unconsented adverse service change: \(summary.unconsentedAdverseChanges)\n"
        text += "customers churned (L held at 0): \(summary.churned)\n"
        for (title, scores) in [
            ("largest gaps, L above B (loyal customers the brand neglects)", summary.loyalOverDevoted),
            ("largest gaps, B above L (served customers whose loyalty is gone)", summary.devotedOverLoyal),
        ] {
            text += "\n\(title):\n"
            if scores.isEmpty {
                text += "  none\n"
                continue
            }
            var gapRows = [["  customer", "L", "B", "gap"]]
            for score in scores {
                gapRows.append([
                    "  " + score.customerName, Cents.text(score.loyaltyCents), Cents.text(score.devotionCents),
                    Cents.text(score.gapCents),
                ])
            }
            text += Human.table(gapRows, rightAligned: [1, 2, 3])
        }
        return text
    }
}

extension String {
    fileprivate var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
