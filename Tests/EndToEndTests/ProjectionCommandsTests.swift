import Foundation
import Testing

/// Two brands whose figures were worked out by hand (latest occurred_at: 2024-03-11T12:00:00Z):
/// - fastco f1: filed 03-04 09:00 on twitter, answered 09:10 (600 s), resolved 10:00 (3600 s).
/// - fastco f2: filed 03-05 09:00, automatic reply 09:01, redirect to dm 09:30 (1800 s),
///   follow-up on dm 10:00, answer on dm 11:00. Its answer is appended before its complaint.
/// - slowco s1: filed 03-04 12:00 by email, never answered: ignored (7 days old).
/// - slowco s2: filed 03-08 00:00 by email, answered 03-11 12:00: 84 h, late for H = 72 h.
/// - a vendor.changed_service without a case: slowco downgraded cu1 without consent.
enum Fixture {
    static func event(
        _ id: String, _ type: String, _ time: String, case caseID: String?, customer: String, brand: String,
        channel: String? = nil, data: String? = nil
    ) -> String {
        var fields = [
            #""id":"\#(id)""#, #""type":"\#(type)""#, #""occurred_at":"\#(time)""#, #""customer":"\#(customer)""#,
            #""brand":"\#(brand)""#,
        ]
        if let caseID { fields.append(#""case":"\#(caseID)""#) }
        if let channel { fields.append(#""channel":"\#(channel)""#) }
        if let data { fields.append(#""data":\#(data)"#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    static let answerFirst = event(
        "f2-answer", "brand.replied", "2024-03-05T11:00:00Z", case: "f2", customer: "cu2", brand: "fastco",
        channel: "dm", data: #"{"kind":"answer","text":"Fixed on our side."}"#)

    static let rest = [
        event(
            "f1-filed", "complaint.filed", "2024-03-04T09:00:00Z", case: "f1", customer: "cu1", brand: "fastco",
            channel: "twitter", data: #"{"text":"My line is down"}"#),
        event(
            "f1-answer", "brand.replied", "2024-03-04T09:10:00Z", case: "f1", customer: "cu1", brand: "fastco",
            channel: "twitter", data: #"{"kind":"answer","agent":"ann"}"#),
        event(
            "f1-resolved", "case.resolved", "2024-03-04T10:00:00Z", case: "f1", customer: "cu1", brand: "fastco",
            data: #"{"resolution":"fixed","by":"brand"}"#),
        event(
            "f2-filed", "complaint.filed", "2024-03-05T09:00:00Z", case: "f2", customer: "cu2", brand: "fastco",
            channel: "twitter", data: #"{"text":"Billing twice"}"#),
        event(
            "f2-auto", "brand.replied", "2024-03-05T09:01:00Z", case: "f2", customer: "cu2", brand: "fastco",
            channel: "twitter", data: #"{"kind":"auto"}"#),
        event(
            "f2-redirect", "brand.replied", "2024-03-05T09:30:00Z", case: "f2", customer: "cu2", brand: "fastco",
            channel: "twitter", data: #"{"kind":"redirect","to_channel":"dm","text":"Please DM us"}"#),
        event(
            "f2-followup", "customer.followed_up", "2024-03-05T10:00:00Z", case: "f2", customer: "cu2",
            brand: "fastco", channel: "dm", data: #"{"text":"Sent you a DM"}"#),
        event(
            "s1-filed", "complaint.filed", "2024-03-04T12:00:00Z", case: "s1", customer: "cu1", brand: "slowco",
            channel: "email"),
        event(
            "s2-filed", "complaint.filed", "2024-03-08T00:00:00Z", case: "s2", customer: "cu3", brand: "slowco",
            channel: "email"),
        event(
            "s2-answer", "brand.replied", "2024-03-11T12:00:00Z", case: "s2", customer: "cu3", brand: "slowco",
            channel: "email", data: #"{"kind":"answer"}"#),
        event(
            "cut", "vendor.changed_service", "2024-03-06T00:00:00Z", case: nil, customer: "cu1", brand: "slowco",
            data: #"{"change":"downgrade","consented":false,"description":"10 Mb line cut to 6 Mb"}"#),
    ]
}

@Suite("plaint responsiveness, journey, replay")
struct ProjectionCommandsTests {
    let scratch = Scratch()
    var plaint: Plaint { Plaint(store: scratch.path("store")) }

    func load() throws {
        #expect(try plaint.run(["append"], stdin: Fixture.answerFirst + "\n").status == 0)
        #expect(try plaint.run(["append"], stdin: Fixture.rest.joined(separator: "\n") + "\n").status == 0)
    }

    func brands(_ arguments: [String]) throws -> [String: [String: Any]] {
        let result = try plaint.run(["responsiveness", "--json"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let document = try json(result.stdout)
        var byName: [String: [String: Any]] = [:]
        for brand in document["brands"] as! [[String: Any]] { byName[brand["brand"] as! String] = brand }
        return byName
    }

    @Test func rankingWithHandWorkedFigures() throws {
        try load()
        let result = try plaint.run(["responsiveness", "--json"])
        let document = try json(result.stdout)
        #expect(document["at"] as? String == "2024-03-11T12:00:00Z")
        #expect(document["window_seconds"] as? Int == 259_200)
        let ranked = (document["brands"] as! [[String: Any]]).map { $0["brand"] as! String }
        #expect(ranked == ["fastco", "slowco"])
        let all = try brands([])
        let fast = all["fastco"]!
        #expect(fast["requests"] as? Int == 2)
        #expect(fast["answered_within_window"] as? Int == 2)
        #expect(fast["response_rate"] as? Double == 1)
        #expect(fast["frt_p50"] as? Int == 600)
        #expect(fast["frt_p90"] as? Int == 1800)
        #expect(fast["redirect_share"] as? Double == 0.5)
        #expect(fast["resolution_rate"] as? Double == 0.5)
        #expect(fast["resolution_p50"] as? Int == 3600)
        #expect(fast["one_touch_share"] as? Double == 1)
        let slow = all["slowco"]!
        #expect(slow["late"] as? Int == 1)
        #expect(slow["ignored"] as? Int == 1)
        #expect(slow["response_rate"] as? Double == 0)
        #expect(slow["frt_p50"] as? Int == 302_400)
        #expect(slow["share_within_24h"] as? Double == 0)
        #expect(slow["reopen_rate"] is NSNull)
    }

    @Test func atWindowChannelPeriodsAndBounds() throws {
        try load()
        let early = try brands(["--at", "2024-03-06"])
        #expect(early["slowco"]?["pending"] as? Int == 1)
        #expect(early["slowco"]?["requests"] as? Int == 1)
        #expect(early["slowco"]?["response_rate"] is NSNull)
        let wide = try brands(["--window", "100h"])
        #expect(wide["slowco"]?["response_rate"] as? Double == 0.5)
        #expect(try brands(["--window", "100"])["slowco"]?["response_rate"] as? Double == 0.5)
        let email = try brands(["--channel", "email"])
        #expect(Array(email.keys) == ["slowco"])
        let days = try brands(["--by", "day", "--brand", "fastco"])
        let periods = days["fastco"]?["periods"] as? [[String: Any]]
        #expect(periods?.map { $0["start"] as! String } == ["2024-03-04T00:00:00Z", "2024-03-05T00:00:00Z"])
        #expect(periods?.map { $0["requests"] as! Int } == [1, 1])
        let bounded = try brands(["--from", "2024-03-05", "--to", "2024-03-07"])
        #expect(bounded["fastco"]?["requests"] as? Int == 1)
        #expect(bounded["slowco"] == nil)
        let table = try plaint.run(["responsiveness"]).stdout
        #expect(table.contains("Socially Devoted"))
        #expect(table.contains("CFPB"))
        #expect(table.contains("fastco"))
    }

    @Test func badArgumentsAreUsageErrorsAndUnknownsAreMissing() throws {
        try load()
        for arguments in [
            ["--at", "yesterday"], ["--window", "-5"], ["--window", "0"], ["--by", "year"], ["--channel", "pigeon"],
            ["--from", "2024-13-01"], ["--from", "2024-03-09", "--to", "2024-03-01"],
        ] {
            let result = try plaint.run(["responsiveness"] + arguments)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stderr.contains(arguments[0]), "\(arguments): \(result.stderr)")
        }
        let unknown = try plaint.run(["responsiveness", "--brand", "nobody"])
        #expect(unknown.status == 67)
        #expect(unknown.stderr.contains("nobody"))
        #expect(try plaint.run(["journey", "no-such-case"]).status == 67)
        #expect(try plaint.run(["journey", "--customer", "nobody"]).status == 67)
        // No identifier is empty, so an empty one is simply unknown (LMDB refuses empty keys).
        #expect(try plaint.run(["journey", "--customer", ""]).status == 67)
        #expect(try plaint.run(["responsiveness", "--brand", ""]).status == 67)
        #expect(try plaint.run(["journey", ""]).status == 67)
        #expect(try plaint.run(["journey"]).status == 64)
        #expect(try Plaint(store: scratch.path("missing")).run(["responsiveness"]).status == 66)
    }

    @Test func journeyTimelineIsInEventTimeWithSteps() throws {
        try load()
        let result = try plaint.run(["journey", "f2", "--steps", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try json(result.stdout)
        let events = document["events"] as! [[String: Any]]
        #expect(
            events.map { $0["id"] as! String } == ["f2-filed", "f2-auto", "f2-redirect", "f2-followup", "f2-answer"])
        #expect(
            events.map { $0["state"] as! String } == [
                "awaiting_brand", "awaiting_brand", "awaiting_customer", "awaiting_brand", "awaiting_customer",
            ])
        #expect(events[2]["text"] as? String == "Please DM us")
        let figures = document["figures"] as! [String: Any]
        #expect(figures["first_response_seconds"] as? Int == 1800)
        #expect(figures["first_response_kind"] as? String == "redirect")
        #expect(figures["automatic_replies"] as? Int == 1)
        #expect(figures["channels"] as? [String] == ["twitter", "dm"])
        #expect(figures["channel_switches"] as? Int == 1)
        #expect(document["status"] as? String == "answered")
        let text = try plaint.run(["journey", "f1"]).stdout
        #expect(text.contains("brand (ann)"))
        #expect(text.contains("10m 00s"))
    }

    @Test func verifyChecksTheViewsAgainstAReplay() throws {
        try load()
        let intact = try plaint.run(["verify", "--json"])
        #expect(intact.status == 0)
        #expect(try json(intact.stdout)["views_differing_rows"] as? Int == 0)
        // An append that skips the views (the benchmark's switch) leaves them behind the log.
        let late = Fixture.event(
            "f1-late", "customer.followed_up", "2024-03-12T00:00:00Z", case: "f1", customer: "cu1", brand: "fastco",
            channel: "twitter")
        #expect(try plaint.run(["append"], stdin: late + "\n", environment: ["PLAINT_MAINTAIN_VIEWS": "0"]).status == 0)
        let behind = try plaint.run(["verify"])
        #expect(behind.status == 74)
        #expect(behind.stdout.contains("run `plaint replay`"))
        #expect(try plaint.run(["journey", "f1"]).status == 74)
        #expect(try json(try plaint.run(["replay", "--json"]).stdout)["views"] as? String == "rewritten")
        #expect(try plaint.run(["verify"]).status == 0)
        #expect(try json(try plaint.run(["journey", "f1", "--json"]).stdout)["state"] as? String == "awaiting_brand")
    }

    @Test func journeyAtAnEarlierTimeAndWithAnotherWindow() throws {
        try load()
        // At 09:20 on 03-05 only the complaint and the automatic reply have happened.
        let early = try json(try plaint.run(["journey", "f2", "--at", "2024-03-05T09:20:00Z", "--json"]).stdout)
        #expect(early["status"] as? String == "pending")
        #expect((early["figures"] as? [String: Any])?["first_response_seconds"] is NSNull)
        #expect((early["figures"] as? [String: Any])?["automatic_replies"] as? Int == 1)
        // f1 was answered in 600 s: within a 10-minute window, late for a 5-minute one.
        #expect(
            try json(try plaint.run(["journey", "f1", "--window", "10m", "--json"]).stdout)["status"] as? String
                == "answered")
        #expect(
            try json(try plaint.run(["journey", "f1", "--window", "5m", "--json"]).stdout)["status"] as? String
                == "late")
        #expect(try plaint.run(["journey", "f1", "--window", "-1"]).status == 64)
        #expect(try plaint.run(["journey", "f1", "--customer", "cu1"]).status == 64)
    }

    @Test func customerJourneysAcrossBrands() throws {
        try load()
        let document = try json(try plaint.run(["journey", "--customer", "cu1", "--json"]).stdout)
        let cases = document["cases"] as! [[String: Any]]
        #expect(cases.map { $0["case"] as! String } == ["f1", "s1"])
        #expect(cases.map { $0["status"] as! String } == ["answered", "ignored"])
        let relationships = document["relationship_events"] as! [[String: Any]]
        #expect(relationships.count == 1)
        #expect(relationships[0]["change"] as? String == "downgrade")
        #expect(relationships[0]["consented"] as? Bool == false)
    }

    @Test func replayMatchesTheStoredViewsAndReplaysHistory() throws {
        try load()
        let full = try json(try plaint.run(["replay", "--json"]).stdout)
        #expect(full["views"] as? String == "identical")
        #expect(full["events"] as? Int == 12)
        #expect(full["cases"] as? Int == 4)
        // Position 1 is f2's answer alone: a case with no complaint, an anomaly.
        let first = try json(try plaint.run(["replay", "--upto", "1", "--json"]).stdout)
        #expect(first["position"] as? Int == 1)
        #expect(first["unknown_cases"] as? Int == 1)
        #expect(first["views"] as? String == "not compared")
        let early = try json(try plaint.run(["replay", "--at", "2024-03-06", "--json"]).stdout)
        let ranking = (early["responsiveness"] as! [String: Any])["brands"] as! [[String: Any]]
        #expect(ranking.first { $0["brand"] as? String == "slowco" }?["pending"] as? Int == 1)
        #expect(try plaint.run(["replay", "--upto", "0"]).status == 64)
        #expect(try Plaint(store: scratch.path("missing")).run(["replay", "--upto", "3"]).status == 66)
    }
}
