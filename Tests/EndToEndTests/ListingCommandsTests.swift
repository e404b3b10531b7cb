import Foundation
import Testing

/// `plaint brands`, `plaint cases`, forgiving names and the CSV form, through the binary.
@Suite("listings and names")
struct ListingCommandsTests {
    let scratch = Scratch()
    var plaint: Plaint { Plaint(store: scratch.path("store")) }

    static func event(
        _ id: String, _ type: String, at time: String, case caseID: String?, customer: String, brand: String,
        channel: String? = "twitter", data: String = "{}", source: String? = nil
    ) -> String {
        var fields = [
            #""id":"\#(id)""#, #""type":"\#(type)""#, #""occurred_at":"\#(time)""#, #""customer":"\#(customer)""#,
            #""brand":"\#(brand)""#, #""data":\#(data)"#,
        ]
        if let caseID { fields.append(#""case":"\#(caseID)""#) }
        if let channel { fields.append(#""channel":"\#(channel)""#) }
        if let source { fields.append(#""meta":{"source":"\#(source)"}"#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// Two brands, `AmazonHelp` (three cases: answered in 1 h, answered in 5 days, never) and
    /// `quickfix` (one email case answered in 2 h, and a service change with no case).
    func load() throws {
        let text = #"{"text":"help"}"#
        let answer = #"{"kind":"answer"}"#
        let events = [
            Self.event(
                "e1", "complaint.filed", at: "2024-03-01T09:00:00Z", case: "twcs:8", customer: "Alice",
                brand: "AmazonHelp", data: text, source: "twcs"),
            Self.event(
                "e2", "brand.replied", at: "2024-03-01T10:00:00Z", case: "twcs:8", customer: "Alice",
                brand: "AmazonHelp",
                data: #"{"kind":"answer","agent":"ag7"}"#, source: "twcs"),
            Self.event(
                "e3", "complaint.filed", at: "2024-03-02T09:00:00Z", case: "twcs:12", customer: "bob",
                brand: "AmazonHelp", data: text, source: "twcs"),
            Self.event(
                "e4", "brand.replied", at: "2024-03-07T09:00:00Z", case: "twcs:12", customer: "bob",
                brand: "AmazonHelp", data: answer, source: "twcs"),
            Self.event(
                "e5", "complaint.filed", at: "2024-03-03T09:00:00Z", case: "twcs:20", customer: "bob",
                brand: "AmazonHelp", data: text, source: "twcs"),
            Self.event(
                "e6", "complaint.filed", at: "2024-03-04T09:00:00Z", case: "mail-1", customer: "Alice",
                brand: "quickfix", channel: "email", data: text),
            Self.event(
                "e7", "brand.replied", at: "2024-03-04T11:00:00Z", case: "mail-1", customer: "Alice", brand: "quickfix",
                channel: "email", data: answer),
            Self.event(
                "e8", "vendor.changed_service", at: "2024-03-20T09:00:00Z", case: nil, customer: "carol",
                brand: "quickfix",
                channel: nil, data: #"{"change":"downgrade","consented":false}"#),
        ]
        let result = try plaint.run(["append"], stdin: events.joined(separator: "\n") + "\n")
        #expect(result.status == 0, "\(result.stderr)")
    }

    func document(_ arguments: [String]) throws -> [String: Any] {
        let result = try plaint.run(arguments + ["--format", "json"])
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try json(result.stdout)
    }

    func caseIDs(_ arguments: [String]) throws -> [String] {
        let rows = try document(["cases"] + arguments)["cases"] as! [[String: Any]]
        return rows.map { $0["case"] as! String }
    }

    @Test func brandsListsEveryBrandWithItsRequestsAndSources() throws {
        try load()
        let brands = try document(["brands"])["brands"] as! [[String: Any]]
        #expect(brands.map { $0["brand"] as! String } == ["AmazonHelp", "quickfix"])
        #expect(brands[0]["requests"] as? Int == 3)
        #expect(brands[0]["events"] as? Int == 5)
        #expect(brands[0]["first_request_at"] as? String == "2024-03-01T09:00:00Z")
        #expect(brands[0]["last_request_at"] as? String == "2024-03-03T09:00:00Z")
        #expect(brands[0]["sources"] as? [String] == ["twcs"])
        #expect(brands[1]["requests"] as? Int == 1)
        #expect(brands[1]["events"] as? Int == 3, "the service change counts as one of the brand's events")
        #expect(brands[1]["sources"] as? [String] == [])
        let table = try plaint.run(["brands"])
        #expect(table.lines.first?.hasPrefix("brand") == true)
        #expect(table.lines.suffix(2) == ["2 brands", "plaint \(try plaint.run(["--version"]).lines[0])"])
    }

    @Test func casesFilterAndOrder() throws {
        try load()
        // Evaluated at the latest event (March 20): the window is 72 h.
        #expect(try caseIDs([]) == ["twcs:8", "twcs:12", "twcs:20", "mail-1"])
        #expect(try caseIDs(["--brand", "AmazonHelp", "--outcome", "late"]) == ["twcs:12"])
        #expect(try caseIDs(["--outcome", "ignored"]) == ["twcs:20"])
        #expect(try caseIDs(["--outcome", "answered", "--outcome", "ignored"]) == ["twcs:8", "twcs:20", "mail-1"])
        #expect(try caseIDs(["--channel", "email"]) == ["mail-1"])
        #expect(try caseIDs(["--customer", "bob"]) == ["twcs:12", "twcs:20"])
        #expect(try caseIDs(["--state", "awaiting_brand"]) == ["twcs:20"])
        #expect(try caseIDs(["--from", "2024-03-02", "--to", "2024-03-03"]) == ["twcs:12", "twcs:20"])
        #expect(try caseIDs(["--sort", "frt"]) == ["twcs:12", "mail-1", "twcs:8", "twcs:20"])
        #expect(try caseIDs(["--sort", "frt", "--limit", "1"]) == ["twcs:12"])
        // Every case here is still open (no resolution): the oldest filing waited longest.
        #expect(try caseIDs(["--sort", "age"]) == ["twcs:8", "twcs:12", "twcs:20", "mail-1"])
        // As of March 2, 12:00, case twcs:12 is three hours old and unanswered: pending.
        #expect(try caseIDs(["--at", "2024-03-02T12:00:00Z", "--outcome", "pending"]) == ["twcs:12"])
        let late = try document(["cases", "--outcome", "late"])
        let row = (late["cases"] as! [[String: Any]])[0]
        #expect(row["first_response_seconds"] as? Int == 5 * 86_400)
        #expect(row["first_response_kind"] as? String == "answer")
        #expect(late["matched"] as? Int == 1)
        for arguments in [["--outcome", "lost"], ["--sort", "size"], ["--state", "open"], ["--limit", "-1"]] {
            #expect(try plaint.run(["cases"] + arguments).status == 64, "\(arguments)")
        }
    }

    @Test func csvReadsBackAsTheJSON() throws {
        try load()
        for command in [["brands"], ["cases"]] {
            let csv = try plaint.run(command + ["--format", "csv"])
            #expect(csv.status == 0)
            #expect(csv.stdout.hasSuffix("\r\n"))
            let rows = try CSVReadBack.rows(csv.stdout)
            let key = command[0]
            let expected = try document(command)[key] as! [[String: Any]]
            #expect(rows.count == expected.count)
            for (row, object) in zip(rows, expected) {
                #expect(Set(row.keys) == Set(object.keys))
                for (name, value) in object { #expect(row[name] == CSVReadBack.text(value), "\(key).\(name)") }
            }
        }
        #expect(try plaint.run(["cases", "--json", "--format", "csv"]).status == 64)
    }

    @Test func journeyCSVReadsBackAsTheJSON() throws {
        try load()
        let timeline = try document(["journey", "twcs:8", "--steps"])["events"] as! [[String: Any]]
        let rows = try CSVReadBack.rows(try plaint.run(["journey", "twcs:8", "--steps", "--format", "csv"]).stdout)
        #expect(rows.count >= 2)
        CSVReadBack.expectEqual(rows, timeline, "journey")
        // A customer's cases: the figures' members beside the case's own.
        let customer = try document(["journey", "--customer", "alice"])
        let cases = (customer["cases"] as! [[String: Any]]).map { item in
            var flat = item.filter { $0.key != "figures" }
            for (name, value) in item["figures"] as! [String: Any] { flat[name] = value }
            return flat
        }
        let caseRows = try CSVReadBack.rows(
            try plaint.run(["journey", "--customer", "alice", "--format", "csv"]).stdout)
        #expect(!cases.isEmpty)
        CSVReadBack.expectEqual(caseRows, cases, "journey --customer")
    }

    @Test func responsivenessCSVReadsBackAsTheJSONBrands() throws {
        try load()
        let csv = try plaint.run(["responsiveness", "--format", "csv", "--min-requests", "1"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let rows = try CSVReadBack.rows(csv.stdout)
        let brands =
            try json(try plaint.run(["responsiveness", "--json", "--min-requests", "1"]).stdout)["brands"]
            as! [[String: Any]]
        #expect(rows.map { $0["brand"] } == brands.map { $0["brand"] as? String })
        #expect(rows.first?["rank"] == "1")
        for (row, brand) in zip(rows, brands) {
            for (name, value) in brand {
                if name.hasSuffix("_ci") {
                    let ends = value as? [Any] ?? [NSNull(), NSNull()]
                    #expect(row[name + "_low"] == CSVReadBack.text(ends[0]), "\(name)_low")
                    #expect(row[name + "_high"] == CSVReadBack.text(ends[1]), "\(name)_high")
                } else if let list = value as? [Any], list.contains(where: { $0 is [String: Any] }) {
                    #expect(row[name] == nil, "\(name): breakdowns stay in the JSON")
                } else {
                    #expect(row[name] == CSVReadBack.text(value), "\(name)")
                }
            }
        }
    }

    @Test func namesResolveExactlyThenIgnoringCaseElseSuggest() throws {
        try load()
        // A unique match ignoring case is used, and stderr says so.
        let folded = try plaint.run(["audit", "amazonhelp", "--format", "json"])
        #expect(folded.status == 0, "\(folded.stderr)")
        #expect(folded.stderr.contains(#"using "AmazonHelp""#))
        #expect(try plaint.run(["responsiveness", "--brand", "QUICKFIX", "--json"]).status == 0)
        #expect(try plaint.run(["loyalty", "--customer", "alice"]).status == 0)
        // An unknown name: exit 67 and suggestions, whatever the command.
        let typo = try plaint.run(["events", "--brand", "quikfix"])
        #expect(typo.status == 67)
        #expect(typo.stderr.contains(#"unknown brand "quikfix""#) && typo.stderr.contains(#""quickfix""#))
        let bare = try plaint.run(["journey", "8"])
        #expect(bare.status == 67)
        #expect(bare.stderr.contains(#"did you mean "twcs:8"?"#), "\(bare.stderr)")
        for arguments in [
            ["audit", "nobody"], ["cases", "--brand", "nobody"], ["journey", "--customer", "dave"],
            ["loyalty", "--brand", "nobody"], ["responsiveness", "--brand", "nobody"],
            ["events", "--customer", "dave"],
        ] {
            let result = try plaint.run(arguments)
            #expect(result.status == 67, "\(arguments): \(result.stderr)")
        }
        // A missing store is not an unknown name.
        #expect(try Plaint(store: scratch.path("missing")).run(["cases", "--brand", "x"]).status == 66)
    }

    @Test func anExactMatchWinsAndAnAmbiguousOneIsRefused() throws {
        let events = [
            Self.event("a", "complaint.filed", at: "2024-03-01T09:00:00Z", case: "k1", customer: "u", brand: "Acme"),
            Self.event("b", "complaint.filed", at: "2024-03-01T09:00:00Z", case: "k2", customer: "u", brand: "ACME"),
        ]
        #expect(try plaint.run(["append"], stdin: events.joined(separator: "\n") + "\n").status == 0)
        let exact = try plaint.run(["cases", "--brand", "ACME", "--json"])
        #expect(exact.status == 0 && exact.stderr.isEmpty, "\(exact.stderr)")
        #expect(try caseIDs(["--brand", "ACME"]) == ["k2"])
        let ambiguous = try plaint.run(["cases", "--brand", "acme"])
        #expect(ambiguous.status == 67)
        #expect(ambiguous.stderr.contains(#""ACME", "Acme""#), "\(ambiguous.stderr)")
    }

    @Test func eventsFilterOnOccurredAtAndSeveralBrands() throws {
        try load()
        func ids(_ arguments: [String]) throws -> [String] {
            let result = try plaint.run(["events"] + arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            return try result.lines.map { try json($0)["id"] as! String }
        }
        #expect(try ids(["--from", "2024-03-03", "--to", "2024-03-04"]) == ["e5", "e6", "e7"])
        #expect(try ids(["--to", "2024-03-01T09:30:00Z"]) == ["e1"])
        #expect(try ids(["--brand", "quickfix", "--from", "2024-03-05"]) == ["e8"])
        #expect(
            try ids(["--brand", "quickfix", "--brand", "AmazonHelp", "--type", "brand.replied"]) == ["e2", "e4", "e7"])
        #expect(try plaint.run(["events", "--from", "2024-03-05", "--to", "2024-03-01"]).status == 64)
    }

    @Test func journeyJSONGivesTheActorsRoleAgentAndReplyKind() throws {
        try load()
        let result = try plaint.run(["journey", "twcs:8", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let events = try json(result.stdout)["events"] as! [[String: Any]]
        #expect(events[0]["actor_role"] as? String == "customer")
        #expect(events[0]["agent"] is NSNull && events[0]["reply_kind"] is NSNull)
        #expect(events[1]["actor_role"] as? String == "brand")
        #expect(events[1]["agent"] as? String == "ag7")
        #expect(events[1]["reply_kind"] as? String == "answer")
        #expect(events[1]["actor"] as? String == "brand (ag7)")
    }

    @Test func versionIsPrinted() throws {
        let result = try Plaint(store: scratch.path("none")).run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil)
    }
}
