import Foundation
import Testing

/// `plaint loyalty` on the hand-worked fixture of the projection tests, at its latest
/// occurred_at (2024-03-11T12:00:00Z), with the shipped model (180-day half-life):
/// - cu1 × slowco: s1 filed 03-04 12:00 (-5, 168 h ago: -4.87), ignored since 03-07 12:00 (-20,
///   96 h ago: -19.69), the unconsented downgrade of 03-06 00:00 (-25, 132 h ago: -24.48):
///   L = 50 - 49.04 = 0.96. B: rr 0, kept 0, speed undefined: base 0, minus 24.48: clipped to 0.
/// - cu1 × fastco: f1 filed (-5, 171 h ago: -4.86), answered in 10 min, resolved within the hour:
///   +15 capped at 4.9992 (L before the complaint was 50), 170 h ago: +4.86. L = 50.00; B = 100.
/// - cu2 × fastco: f2 filed (-5, 147 h: -4.88), redirected first (-4, 146.5 h: -3.91): 41.21.
@Suite("plaint loyalty")
struct LoyaltyCommandTests {
    let scratch = Scratch()
    var plaint: Plaint { Plaint(store: scratch.path("store")) }

    func load() throws {
        #expect(try plaint.run(["append"], stdin: Fixture.answerFirst + "\n").status == 0)
        #expect(try plaint.run(["append"], stdin: Fixture.rest.joined(separator: "\n") + "\n").status == 0)
    }

    func relationships(_ arguments: [String]) throws -> [[String: Any]] {
        let result = try plaint.run(["loyalty", "--json"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return try json(result.stdout)["relationships"] as? [[String: Any]] ?? []
    }

    /// Cents, so sums are compared exactly.
    func cents(_ value: Any?) -> Int? { (value as? Double).map { Int(($0 * 100).rounded()) } }

    @Test func explainListsContributionsThatAddUpToTheScore() throws {
        try load()
        let relationship = try #require(
            try relationships(["--customer", "cu1", "--brand", "slowco", "--explain"]).first)
        let loyalty = relationship["loyalty"] as! [String: Any]
        #expect(cents(loyalty["score"]) == 96)
        let contributions = loyalty["contributions"] as! [[String: Any]]
        #expect(
            contributions.map { $0["reason"] as! String } == [
                "unconsented_adverse_change", "ignored", "complaint_filed",
            ])
        #expect(contributions.map { cents($0["value"]) } == [-2448, -1969, -487])
        #expect(contributions.map { $0["event_id"] as! String } == ["cut", "s1-filed", "s1-filed"])
        #expect(contributions[1]["effective_at"] as? String == "2024-03-07T12:00:00Z")
        #expect(
            cents(loyalty["baseline"])! + contributions.map { cents($0["value"])! }.reduce(0, +)
                == cents(loyalty["pre_clip"]))
        let devotion = relationship["devotion"] as! [String: Any]
        #expect(devotion["response_rate"] as? Double == 0)
        #expect(devotion["kept"] as? Double == 0)
        #expect(devotion["speed"] is NSNull)
        #expect(cents(devotion["pre_clip"]) == -2448)
        #expect(cents(devotion["score"]) == 0)
        #expect(relationship["unconsented_adverse_change"] as? Bool == true)
        #expect(cents(relationship["gap"]) == 96)

        let text = try plaint.run(["loyalty", "--customer", "cu1", "--brand", "slowco", "--explain"]).stdout
        #expect(text.contains("L = baseline 50.00 + contributions -49.04 = 0.96"))
        #expect(text.contains("clipped from -24.48"))
        #expect(text.contains("unconsented adverse change"))
    }

    @Test func everyBrandOfACustomerAndTheRecoveryCap() throws {
        try load()
        let all = try relationships(["--customer", "cu1"])
        #expect(all.map { $0["brand"] as! String } == ["fastco", "slowco"])
        let fast = all[0]["loyalty"] as! [String: Any]
        #expect(cents(fast["score"]) == 5000)
        #expect(cents((all[0]["devotion"] as! [String: Any])["score"]) == 10_000)
        let explained = try relationships(["--customer", "cu1", "--brand", "fastco", "--explain"])[0]
        let recovery = ((explained["loyalty"] as! [String: Any])["contributions"] as! [[String: Any]])
            .first { $0["reason"] as? String == "resolved_within_target" }!
        #expect(recovery["adjustment"] as? String == "recovery_capped")
        #expect(recovery["weight"] as? Double == 15)
        let redirected = try relationships(["--customer", "cu2", "--brand", "fastco"])[0]
        #expect(cents((redirected["loyalty"] as! [String: Any])["score"]) == 4121)
        let table = try plaint.run(["loyalty", "--customer", "cu1"]).stdout
        #expect(table.contains("fastco"))
        #expect(table.contains("slowco"))
    }

    @Test func brandSummary() throws {
        try load()
        let result = try plaint.run(["loyalty", "--brand", "fastco", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try json(result.stdout)
        #expect(summary["relationships"] as? Int == 2)
        let loyalty = summary["loyalty"] as! [String: Any]
        #expect(cents(loyalty["min"]) == 4121)
        #expect(cents(loyalty["max"]) == 5000)
        #expect((loyalty["deciles"] as! [Double]).count == 9)
        #expect(loyalty["below_30"] as? Int == 0)
        // Relationships with no case, sorting before and after the ones with cases.
        let upgrades = ["cu0", "cu9"].map { customer in
            Fixture.event(
                "up-\(customer)", "vendor.changed_service", "2024-03-10T00:00:00Z", case: nil, customer: customer,
                brand: "slowco", data: #"{"change":"upgrade","consented":true}"#)
        }
        #expect(try plaint.run(["append"], stdin: upgrades.joined(separator: "\n") + "\n").status == 0)
        let slow = try json(try plaint.run(["loyalty", "--brand", "slowco", "--json"]).stdout)
        #expect(slow["relationships"] as? Int == 4)
        // The upgrades (+5, 36 h before `at`: +4.97) put the two new customers at 54.97.
        #expect(cents((slow["loyalty"] as! [String: Any])["max"]) == 5497)
        #expect(slow["unconsented_adverse_changes"] as? Int == 1)
        #expect((slow["loyalty"] as! [String: Any])["below_30"] as? Int == 1)
        let text = try plaint.run(["loyalty", "--brand", "slowco"]).stdout
        #expect(text.contains("unconsented adverse service change: 1"))
        #expect(text.contains("largest gaps"))
    }

    @Test func aModelFileChangesTheScoresWithoutReplay() throws {
        try load()
        let shown = try plaint.run(["loyalty", "--show-model"])
        #expect(shown.status == 0)
        let shipped = try String(
            contentsOf: Plaint.packageRoot.appendingPathComponent("models/loyalty-default.json"), encoding: .utf8)
        #expect(shown.stdout == shipped)
        let lenient = scratch.path("lenient.json")
        try shipped.replacingOccurrences(of: "\"ignored\": -20", with: "\"ignored\": 0").write(
            toFile: lenient, atomically: true, encoding: .utf8)
        let relationship = try relationships(["--customer", "cu1", "--brand", "slowco", "--model", lenient])[0]
        // Without the ignored rule: 50 - 4.87 - 24.48 = 20.65.
        #expect(cents((relationship["loyalty"] as! [String: Any])["score"]) == 2065)
        let document = try json(try plaint.run(["loyalty", "--json", "--customer", "cu1", "--model", lenient]).stdout)
        #expect(document["model"] as? String == lenient)

        let broken = scratch.path("broken.json")
        try shipped.replacingOccurrences(of: "    \"abandoned\": -15,\n", with: "").write(
            toFile: broken, atomically: true, encoding: .utf8)
        let refused = try plaint.run(["loyalty", "--customer", "cu1", "--model", broken])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains(broken))
        #expect(refused.stderr.contains("customer_loyalty.abandoned"))
        let missing = try plaint.run(["loyalty", "--customer", "cu1", "--model", scratch.path("nope.json")])
        #expect(missing.status == 66)
    }

    @Test func badArgumentsAndUnknowns() throws {
        try load()
        for arguments in [[], ["--brand", "fastco", "--explain"], ["--customer", "cu1", "--at", "soon"]] {
            let result = try plaint.run(["loyalty"] + arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
        }
        for arguments in [
            ["--brand", "nobody"], ["--customer", "nobody"], ["--customer", "cu3", "--brand", "fastco"],
            ["--customer", "cu1", "--brand", "nobody"],
        ] {
            let result = try plaint.run(["loyalty"] + arguments)
            #expect(result.status == 67, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(arguments.last!), "\(arguments): \(result.stderr)")
        }
    }

    @Test func atEvaluatesTheLedgerAsOfThen() throws {
        try load()
        // On 03-05 s1 is pending (filed 12 h before: -5 * 2^(-12/4320) = -4.99) and the
        // downgrade has not happened: L = 45.01.
        let early = try relationships(["--customer", "cu1", "--brand", "slowco", "--at", "2024-03-05"])[0]
        let loyalty = early["loyalty"] as! [String: Any]
        #expect(cents(loyalty["score"]) == 4501)
        #expect(early["unconsented_adverse_change"] as? Bool == false)
    }

    @Test func replayRebuildsTheLedgersIdentically() throws {
        try load()
        let before = try plaint.run(["loyalty", "--brand", "slowco", "--json"]).stdout
        let replay = try json(try plaint.run(["replay", "--json"]).stdout)
        #expect(replay["differing_rows"] as? Int == 0)
        #expect(try plaint.run(["loyalty", "--brand", "slowco", "--json"]).stdout == before)
    }

    @Test func allListsEveryRelationshipInEveryFormat() throws {
        try load()
        let document = try json(try plaint.run(["loyalty", "--brand", "fastco", "--all", "--json"]).stdout)
        let scores = document["relationship_scores"] as! [[String: Any]]
        // fastco has two customers; cu1's relationship is the fixture's f1 (L 50, B 100).
        #expect(scores.map { $0["customer"] as! String } == ["cu1", "cu2"])
        #expect(scores.count == document["relationships"] as? Int)
        #expect(cents(scores[0]["loyalty"]) == 5000 && cents(scores[0]["devotion"]) == 10000)
        #expect(cents(scores[1]["loyalty"]) == 4121)
        for score in scores {
            #expect(cents(score["gap"]) == cents(score["loyalty"])! - cents(score["devotion"])!)
            #expect(score["requests"] as? Int == 1)
        }
        #expect(scores[0]["answered_within_window"] as? Int == 1 && scores[0]["resolved"] as? Int == 1)
        // Without --all the document is the summary alone.
        #expect(
            try json(try plaint.run(["loyalty", "--brand", "fastco", "--json"]).stdout)["relationship_scores"] == nil)

        let csv = try plaint.run(["loyalty", "--brand", "fastco", "--all", "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        CSVReadBack.expectEqual(try CSVReadBack.rows(csv.stdout), scores, "loyalty --all")
        let table = try plaint.run(["loyalty", "--brand", "fastco", "--all"]).stdout
        #expect(table.contains("every relationship, by customer:"))
        #expect(table.contains("cu2"))

        // A customer's relationships as CSV rows, and with --explain the contributions.
        let customer = try relationships(["--customer", "cu1", "--explain"])
        let rows = try CSVReadBack.rows(try plaint.run(["loyalty", "--customer", "cu1", "--format", "csv"]).stdout)
        #expect(rows.map { $0["brand"]! } == customer.map { $0["brand"] as! String })
        #expect(
            rows.map { $0["loyalty"]! }
                == customer.map { CSVReadBack.text(($0["loyalty"] as! [String: Any])["score"]!) })
        let explained = try CSVReadBack.rows(
            try plaint.run(["loyalty", "--customer", "cu1", "--brand", "slowco", "--explain", "--format", "csv"]).stdout
        )
        let contributions =
            (customer.first { $0["brand"] as? String == "slowco" }!["loyalty"] as! [String: Any])[
                "contributions"] as! [[String: Any]]
        #expect(
            explained.filter { $0["score"] == "loyalty" }.map { $0["event_id"]! }
                == contributions.map { $0["event_id"] as! String })
        #expect(explained.filter { $0["score"] == "devotion" }.map { $0["reason"]! } == ["unconsented_adverse_change"])
        #expect(try plaint.run(["loyalty", "--customer", "cu1", "--all"]).status == 64)
    }

    @Test func reportsNameTheModelByContent() throws {
        try load()
        let shown = try plaint.run(["loyalty", "--show-model"]).stdout
        let digest = try CSVReadBack.python(
            "import hashlib, sys; print('sha256:' + hashlib.sha256(sys.stdin.buffer.read()).hexdigest())", stdin: shown
        )
        .trimmingCharacters(in: .whitespacesAndNewlines)
        let standard = try json(try plaint.run(["loyalty", "--brand", "slowco", "--json"]).stdout)
        #expect(standard["model"] as? String == "default")
        #expect(standard["model_digest"] as? String == digest)
        #expect(standard["plaint_version"] as? String != nil)
        let audit = try json(try plaint.run(["audit", "slowco", "--format", "json"]).stdout)
        #expect((audit["loyalty"] as! [String: Any])["model_digest"] as? String == digest)
        #expect(try plaint.run(["audit", "slowco"]).stdout.contains(digest))
        let text = try plaint.run(["loyalty", "--brand", "slowco"]).stdout
        #expect(text.contains("(model: default, \(digest.prefix(19)))"))

        // Another half-life: another digest, under the file's name.
        let changed = shown.replacingOccurrences(of: "\"half_life_days\": 180", with: "\"half_life_days\": 90")
        #expect(changed != shown)
        let file = try scratch.write("model.json", changed)
        let other = try json(try plaint.run(["loyalty", "--brand", "slowco", "--json", "--model", file]).stdout)
        #expect(other["model"] as? String == file)
        #expect(other["model_digest"] as? String != digest)
    }
}
