import Foundation
import Testing

/// `plaint audit` on the hand-worked fixture: its figures must be the ones the other commands
/// report on the same store and `--at`.
@Suite("plaint audit")
struct AuditCommandTests {
    let scratch = Scratch()
    var plaint: Plaint { Plaint(store: scratch.path("store")) }

    func load() throws {
        #expect(try plaint.run(["append"], stdin: Fixture.answerFirst + "\n").status == 0)
        #expect(try plaint.run(["append"], stdin: Fixture.rest.joined(separator: "\n") + "\n").status == 0)
    }

    func document(_ arguments: [String]) throws -> [String: Any] {
        let result = try plaint.run(arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try json(result.stdout)
    }

    /// Compares two JSON objects by their serialization with sorted keys.
    func same(_ lhs: Any?, _ rhs: Any?) -> Bool {
        guard let lhs, let rhs else { return lhs == nil && rhs == nil }
        func bytes(_ value: Any) -> Data? { try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) }
        return bytes(lhs) != nil && bytes(lhs) == bytes(rhs)
    }

    @Test(arguments: [
        [], ["--at", "2024-03-06"], ["--from", "2024-03-05", "--to", "2024-03-10", "--window", "100h"],
        ["--min-requests", "1"],
    ])
    func figuresEqualResponsivenessAndLoyalty(_ options: [String]) throws {
        try load()
        for brand in ["fastco", "slowco"] {
            let audit = try document(["audit", brand, "--format", "json"] + options)
            let ranking = try document(["responsiveness", "--json"] + options)
            let brands = ranking["brands"] as! [[String: Any]]
            let index = brands.firstIndex { $0["brand"] as? String == brand }
            #expect(audit["at"] as? String == ranking["at"] as? String)
            #expect(audit["window_seconds"] as? Int == ranking["window_seconds"] as? Int)
            let headline = audit["headline"] as! [String: Any]
            if let index {
                var expected = brands[index]
                expected.removeValue(forKey: "brand")
                // The ranking's verdicts stand beside the headline in the audit.
                #expect(audit["rank"] as? Int == expected.removeValue(forKey: "rank") as? Int)
                #expect(audit["devoted"] as! String == expected.removeValue(forKey: "devoted") as! String)
                #expect(same(headline, expected), "\(brand) \(options)")
            } else {
                #expect(headline["requests"] as? Int == 0)
                #expect(audit["rank"] is NSNull)
            }
            // The fixture's brands have a few requests each: none reaches the default minimum.
            if options.contains("--min-requests") {
                #expect(audit["rank"] is Int && audit["unranked_reason"] is NSNull)
            } else {
                #expect(audit["rank"] is NSNull)
                #expect((audit["unranked_reason"] as? String)?.hasSuffix("fewer than 30") == true)
            }
            #expect(audit["brands_ranked"] as? Int == brands.count { $0["rank"] is Int })
            let at = ["--at", audit["at"] as! String]
            var loyalty = try document(["loyalty", "--brand", brand, "--json"] + at)
            loyalty.removeValue(forKey: "at")
            loyalty.removeValue(forKey: "plaint_version")
            // The same model by name and by content.
            #expect(same(audit["loyalty"], loyalty), "\(brand) \(options)")
        }
    }

    /// The CSV row is the JSON's query and headline, field by field, read back by Python's `csv`.
    @Test func csvIsTheJSONsHeadline() throws {
        try load()
        let options = ["--from", "2024-03-05", "--to", "2024-03-10", "--min-requests", "1"]
        let audit = try document(["audit", "slowco", "--format", "json"] + options)
        let result = try plaint.run(["audit", "slowco", "--format", "csv"] + options)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix("\r\n"))
        let rows = try CSVReadBack.rows(result.stdout)
        #expect(rows.count == 1)
        // Objects and lists of objects are breakdowns, left to the JSON.
        func isBreakdown(_ value: Any) -> Bool {
            value is [String: Any] || ((value as? [Any])?.contains { $0 is [String: Any] } ?? false)
        }
        var expected: [String: Any] = [:]
        for (name, value) in audit where !isBreakdown(value) { expected[name] = value }
        expected.removeValue(forKey: "plaint_version")
        for (name, value) in audit["headline"] as! [String: Any] where !isBreakdown(value) {
            if name.hasSuffix("_ci") {
                let ends = value as? [Any]
                expected[name + "_low"] = ends?[0] ?? NSNull()
                expected[name + "_high"] = ends?[1] ?? NSNull()
            } else if expected[name] == nil {
                expected[name] = value
            }
        }
        CSVReadBack.expectEqual(rows, [expected], "audit csv")
        #expect(rows[0]["brand"] == "slowco" && rows[0]["from"]?.hasPrefix("2024-03-05") == true)
    }

    @Test func sectionsOnTheFixture() throws {
        try load()
        let audit = try document(["audit", "slowco", "--format", "json"])
        // s1 is ignored (7 days without a reply), s2 was answered after 84 h.
        let ignored = (audit["ignored_longest"] as! [[String: Any]]).map { $0["case"] as! String }
        #expect(ignored == ["s1"])
        let slowest = audit["slowest_answered"] as! [[String: Any]]
        #expect(slowest.map { ($0["figures"] as! [String: Any])["first_response_seconds"] as! Int } == [302_400])
        // Each worst case comes with its timeline.
        let timeline = (slowest[0]["events"] as! [[String: Any]]).map { $0["id"] as! String }
        #expect(timeline == ["s2-filed", "s2-answer"])
        let histogram = audit["first_response_histogram"] as! [[String: Any]]
        // 84 h = 5040 minutes: the bucket [4096, 8192) minutes, the 14th.
        #expect(histogram.map { $0["requests"] as! Int } == (0..<18).map { $0 == 13 ? 1 : 0 })
        let hours = audit["hour_of_week"] as! [[String: Any]]
        #expect(hours.count == 168)
        // s1 was filed on Monday 12:00 UTC, s2 on Friday 00:00.
        #expect(hours[12]["requests"] as? Int == 1)
        #expect(hours[4 * 24]["requests"] as? Int == 1)
        let actions = audit["unconsented_actions"] as! [String: Any]
        #expect(actions["count"] as? Int == 1)
        let cut = (actions["listed"] as! [[String: Any]])[0]
        #expect(cut["customer"] as? String == "cu1")
        #expect(cut["change"] as? String == "downgrade")
        // Every ignored request, not only the longest: s1, filed 2024-03-04T12:00:00Z.
        let ignoredRequests = audit["ignored_requests"] as! [[String: Any]]
        #expect(ignoredRequests.map { $0["case"] as! String } == ["s1"])
        #expect(ignoredRequests[0]["filed_at"] as? String == "2024-03-04T12:00:00Z")
        #expect(ignoredRequests.count == (audit["headline"] as! [String: Any])["ignored"] as? Int)
        #expect(
            audit["plaint_version"] as? String
                == (try plaint.run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let integrity = audit["integrity"] as! [String: Any]
        let head = try json(try plaint.run(["head", "--json"]).stdout)
        #expect(integrity["head_position"] as? Int == head["position"] as? Int)
        #expect(integrity["head_hash"] as? String == head["hash"] as? String)
        let fast = try document(["audit", "fastco", "--format", "json"])
        let destinations = fast["redirect_destinations"] as! [[String: Any]]
        #expect(destinations.map { $0["channel"] as! String } == ["dm"])
    }

    @Test func reproducibleAndWrittenWhole() throws {
        try load()
        for format in ["markdown", "html", "json"] {
            let first = try plaint.run(["audit", "fastco", "--format", format, "--at", "2024-03-11T12:00:00Z"]).stdout
            let second = try plaint.run(["audit", "fastco", "--format", format, "--at", "2024-03-11T12:00:00Z"]).stdout
            #expect(first == second)
            let file = scratch.path("audit.\(format)")
            #expect(try plaint.run(["audit", "fastco", "--format", format, "--output", file]).status == 0)
            #expect(try String(contentsOfFile: file, encoding: .utf8) == first)
        }
        let markdown = try plaint.run(["audit", "fastco"]).stdout
        for heading in ["# Audit of fastco", "## 1. Headline figures", "## 10. Integrity", "Socially Devoted"] {
            #expect(markdown.contains(heading))
        }
    }

    @Test func integrityChecksAndTheirFailures() throws {
        try load()
        let full = try document(["audit", "fastco", "--format", "json", "--verify", "full"])
        let integrity = full["integrity"] as! [String: Any]
        let fullCheck = integrity["full_check"] as! [String: Any]
        #expect(fullCheck["ok"] as? Bool == true)
        #expect(fullCheck["verified_through"] as? Int == 12)
        #expect(fullCheck["views_checked_through"] as? Int == 12)
        #expect((integrity["chain"] as! [String: Any])["verified_through"] as? Int == 12)
        let markdown = try plaint.run(["audit", "fastco", "--verify", "full"]).stdout
        #expect(markdown.contains("Hash chain recomputed for positions 1 to 12: intact."))
        #expect(markdown.contains("Views equal a replay of positions 1 to 12: intact."))

        // f1-filed, position 2, changed on disk: the report is still written whole, says where
        // the chain breaks, and the command exits 74.
        #expect(try corrupt(scratch.path("store") + "/data.mdb", marker: "My line is down", byteAt: 3, to: "L") == 1)
        let damaged = try plaint.run(["audit", "fastco", "--format", "json"])
        #expect(damaged.status == 74)
        let chain = (try json(damaged.stdout)["integrity"] as! [String: Any])["chain"] as! [String: Any]
        #expect(chain["ok"] as? Bool == false)
        #expect(chain["first_bad_position"] as? Int == 2)
        #expect(chain["verified_through"] as? Int == 1)
        let file = scratch.path("damaged.md")
        #expect(try plaint.run(["audit", "fastco", "--output", file]).status == 74)
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("FAILED at position 2: hash mismatch"))
        #expect(try plaint.run(["audit", "fastco", "--verify", "sometimes"]).status == 64)
    }

    @Test func emptyPeriodsUnknownBrandsAndBadArguments() throws {
        try load()
        let empty = try plaint.run(["audit", "fastco", "--from", "2030-01-01"])
        #expect(empty.status == 0)
        #expect(empty.stdout.contains("No requests"))
        let emptyJSON = try document(["audit", "fastco", "--format", "json", "--from", "2030-01-01"])
        #expect((emptyJSON["headline"] as! [String: Any])["response_rate"] is NSNull)
        let unknown = try plaint.run(["audit", "nobody"])
        #expect(unknown.status == 67)
        #expect(unknown.stderr.contains("nobody"))
        for arguments in [["fastco", "--format", "pdf"], ["fastco", "--from", "2024-13-01"], []] {
            #expect(try plaint.run(["audit"] + arguments).status == 64, "\(arguments)")
        }
        let blocked = try plaint.run(["audit", "fastco", "--output", scratch.path("no-such-dir/audit.md")])
        #expect(blocked.status == 74)
    }
}
