import Foundation
import Testing

/// Figures an analyst can defend, through the binary: minimum samples and the three-valued
/// verdict, stale threads, sources that never record resolutions, and the twcs caveat.
///
/// The store: `tiny` has one request, answered in 10 minutes; `steady` has 40 requests, 38
/// answered within an hour and 2 never (ignored); `dusty` has 35 requests answered in 2 hours
/// and one whose reply came 400 days after it (a stale thread). Only `steady` records
/// resolutions; `dusty`'s events come from a source named `crm`.
@Suite("figures an analyst can defend")
struct DefensibleFiguresTests {
    let scratch = Scratch()
    var plaint: Plaint { Plaint(store: scratch.path("store")) }

    static let day = 86_400.0

    static func time(_ seconds: Double) -> String {
        let date = Date(timeIntervalSince1970: 1_704_067_200 + seconds)  // 2024-01-01T00:00:00Z onwards
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    static func event(
        _ id: String, _ type: String, at seconds: Double, case caseID: String, brand: String, data: String = "{}",
        source: String? = nil
    ) -> String {
        let meta = source.map { #","meta":{"source":"\#($0)"}"# } ?? ""
        return #"{"id":"\#(id)","type":"\#(type)","occurred_at":"\#(time(seconds))","case":"\#(caseID)","#
            + #""customer":"c-\#(caseID)","brand":"\#(brand)","channel":"twitter","data":\#(data)\#(meta)}"#
    }

    static var events: [String] {
        var lines: [String] = []
        lines.append(event("tiny-1", "complaint.filed", at: 0, case: "tiny-1", brand: "tiny"))
        lines.append(
            event("tiny-1r", "brand.replied", at: 600, case: "tiny-1", brand: "tiny", data: #"{"kind":"answer"}"#))
        for index in 0..<40 {
            let start = Double(index) * 3_600
            lines.append(
                event("steady-\(index)", "complaint.filed", at: start, case: "steady-\(index)", brand: "steady"))
            guard index < 38 else { continue }
            lines.append(
                event(
                    "steady-\(index)r", "brand.replied", at: start + 1_800, case: "steady-\(index)", brand: "steady",
                    data: #"{"kind":"answer"}"#))
            lines.append(
                event(
                    "steady-\(index)x", "case.resolved", at: start + 7_200, case: "steady-\(index)", brand: "steady",
                    data: #"{"resolution":"fixed"}"#))
        }
        for index in 0..<36 {
            let start = Double(index) * 3_600
            let reply = index == 35 ? start + 400 * day : start + 7_200
            lines.append(
                event(
                    "dusty-\(index)", "complaint.filed", at: start, case: "dusty-\(index)", brand: "dusty",
                    source: "crm"))
            lines.append(
                event(
                    "dusty-\(index)r", "brand.replied", at: reply, case: "dusty-\(index)", brand: "dusty",
                    data: #"{"kind":"answer"}"#, source: "crm"))
        }
        return lines
    }

    func load() throws {
        let result = try plaint.run(["append"], stdin: Self.events.joined(separator: "\n") + "\n")
        #expect(result.status == 0, "\(result.stderr)")
    }

    func brands(_ arguments: [String] = []) throws -> [String: [String: Any]] {
        let result = try plaint.run(["responsiveness", "--json"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let brands = try json(result.stdout)["brands"] as! [[String: Any]]
        return Dictionary(uniqueKeysWithValues: brands.map { ($0["brand"] as! String, $0) })
    }

    @Test func aOneRequestBrandIsListedUnrankedAndUndecided() throws {
        try load()
        let result = try plaint.run(["responsiveness", "--json"])
        let order = (try json(result.stdout)["brands"] as! [[String: Any]]).map { $0["brand"] as! String }
        // The ranked brands first, by rate; the unranked one after them, though its rate is 100%.
        #expect(order == ["dusty", "steady", "tiny"])  // 35 of 36 (97.2%), 38 of 40 (95%), then the unranked
        let brands = try brands()
        let tiny = try #require(brands["tiny"])
        #expect(tiny["rank"] is NSNull)
        #expect(tiny["devoted"] as? String == "undecided")
        #expect(tiny["response_rate"] as? Double == 1)
        // Wilson, 1 of 1: [z²/(1+z²), 1].
        let interval = try #require(tiny["response_rate_ci"] as? [Double])
        #expect(abs(interval[0] - 0.20654931437723745) < 1e-12 && interval[1] == 1)
        let steady = try #require(brands["steady"])
        #expect(steady["rank"] as? Int != nil)
        // 38 of 40: Wilson low 0.8349 >= 65%.
        #expect(steady["devoted"] as? String == "yes")
        let text = try plaint.run(["responsiveness"]).stdout
        #expect(text.contains("tiny: 1 decided request, fewer than 30"))
        #expect(text.contains("95.0% (83.5-98.6)"))
        // One brand asked for keeps its rank among all of them.
        for name in ["steady", "dusty", "tiny"] {
            let alone = try self.brands(["--brand", name])
            #expect(alone.count == 1)
            #expect(alone[name]?["rank"] as? Int == brands[name]?["rank"] as? Int, "\(name)")
        }
        #expect(try self.brands(["--brand", "dusty"])["dusty"]?["rank"] as? Int == 1)
        // A lower minimum ranks it.
        #expect(try self.brands(["--min-requests", "1"])["tiny"]?["rank"] as? Int != nil)
    }

    @Test func theAuditSaysWhyABrandHasNoRank() throws {
        try load()
        let markdown = try plaint.run(["audit", "tiny"]).stdout
        #expect(markdown.contains("Not ranked: **1 decided request, fewer than 30**"))
        let audit = try json(try plaint.run(["audit", "tiny", "--format", "json"]).stdout)
        #expect(audit["rank"] is NSNull)
        #expect(audit["unranked_reason"] as? String == "1 decided request, fewer than 30")
        #expect(audit["devoted"] as? String == "undecided")
        let steady = try plaint.run(["audit", "steady"]).stdout
        #expect(steady.contains("Rank by response rate within H: **"))
        #expect(steady.contains("## 11. Glossary"))
    }

    @Test func aStaleThreadIsFlaggedAndCanBeLeftOut() throws {
        try load()
        let dusty = try #require(try brands()["dusty"])
        #expect(dusty["stale_responses"] as? Int == 1)
        #expect(dusty["stale_excluded"] as? Int == 0)
        #expect(dusty["requests"] as? Int == 36)
        #expect(dusty["frt_p95"] as? Int == 7_200)
        // P95 of 36 is the 35th value; with the stale reply the largest is 400 days.
        #expect((dusty["frt_p50_ci"] as? [Int]) == [7_200, 7_200])
        let excluded = try #require(try brands(["--exclude-stale"])["dusty"])
        #expect(excluded["requests"] as? Int == 35)
        #expect(excluded["stale_excluded"] as? Int == 1)
        #expect(excluded["answered_within_window"] as? Int == 35)
        // A shorter threshold makes every 2-hour reply stale.
        #expect(try brands(["--stale-after", "1h"])["dusty"]?["stale_responses"] as? Int == 36)

        let journey = try plaint.run(["journey", "dusty-35"]).stdout
        #expect(journey.contains("stale response: the first response came 400d 0h after the request"))
        #expect(try json(try plaint.run(["journey", "dusty-35", "--json"]).stdout)["stale_response"] as? Bool == true)
        #expect(!(try plaint.run(["journey", "dusty-3"]).stdout.contains("stale")))

        let audit = try plaint.run(["audit", "dusty"]).stdout
        #expect(audit.contains("first response more than 30d 0h after its request): 1 case: dusty-35 (400d 0h)"))
        #expect(audit.contains("dusty-35**, customer c-dusty-35: filed"))
        #expect(audit.contains("400d 0h (stale response: see the anomalies)"))
        let left = try plaint.run(["audit", "dusty", "--exclude-stale"]).stdout
        #expect(left.contains("1 request answered more than 30d 0h after filing (stale) left out of every figure"))
        #expect(!left.contains("400d 0h (stale response"))
        let document = try json(try plaint.run(["audit", "dusty", "--format", "json"]).stdout)
        let anomalies = document["anomalies"] as! [String: Any]
        #expect(anomalies["stale_responses"] as? Int == 1)
        let cases = anomalies["stale_response_cases"] as! [[String: Any]]
        #expect(cases.first?["case"] as? String == "dusty-35")
        #expect(cases.first?["first_response_seconds"] as? Int == 400 * 86_400)
    }

    /// "Not recorded" is decided per brand: dusty, whose data (all from `crm`) holds no resolution.
    @Test func aBrandWhoseDataHasNoResolutionsHasThemNotRecorded() throws {
        try load()
        let brands = try brands()
        let dusty = try #require(brands["dusty"])
        for name in ["resolution_rate", "resolution_p50", "one_touch_share", "reopen_rate"] {
            #expect(dusty[name] is NSNull, "\(name)")
            #expect(dusty[name + "_ci"] is NSNull, "\(name)_ci")
        }
        #expect(dusty["resolutions_recorded"] as? Bool == false)
        let sources = dusty["sources"] as! [[String: Any]]
        #expect(sources.count == 1 && sources[0]["source"] as? String == "crm" && sources[0]["share"] as? Double == 1)
        // A brand that records resolutions keeps its figures.
        let steady = try #require(brands["steady"])
        #expect(steady["resolution_rate"] as? Double == 38.0 / 40.0)
        #expect((steady["sources"] as! [[String: Any]])[0]["source"] is NSNull)
        let table = try plaint.run(["responsiveness"]).stdout
        #expect(table.contains("n/r: not recorded"))
        let audit = try plaint.run(["audit", "dusty"]).stdout
        #expect(audit.contains("| resolved | not recorded |"))
        #expect(audit.contains("Requests by source (`meta.source`): crm: 36 (100.0%)."))
        #expect(!audit.contains("| resolved | 0.0%"))
    }

    @Test func anImportedTwcsFileCarriesItsCaveat() throws {
        let result = try plaint.run(["import", "twcs", ImportTwcsTests.threads])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try json(try plaint.run(["responsiveness", "--json"]).stdout)
        let caveats = document["caveats"] as! [[String: Any]]
        #expect(caveats.count == 1 && caveats[0]["source"] as? String == "twcs")
        #expect((caveats[0]["text"] as? String)?.contains("response rates are upper bounds") == true)
        let brand = (document["brands"] as! [[String: Any]])[0]
        #expect((brand["sources"] as! [[String: Any]])[0]["source"] as? String == "twcs")
        let table = try plaint.run(["responsiveness"]).stdout
        #expect(table.contains("caveats:\n  twcs: the Customer Support on Twitter dataset"))
        let audit = try plaint.run(["audit", brand["brand"] as! String]).stdout
        #expect(audit.contains("**Caveat (twcs):** the Customer Support on Twitter dataset"))
        // Every imported event names its source.
        let events = try plaint.run(["events", "--limit", "3"]).stdout.split(separator: "\n")
        for line in events { #expect(line.contains(#""meta":{"source":"twcs"}"#)) }
        // A store without twcs events states no caveat.
        let other = Plaint(store: scratch.path("other"))
        _ = try other.run(["append"], stdin: Self.events.joined(separator: "\n") + "\n")
        #expect((try json(try other.run(["responsiveness", "--json"]).stdout)["caveats"] as! [Any]).isEmpty)
    }
}
