import Foundation
import Testing

/// Every JSON document plaint prints conforms to its published schema in `schemas/output/`, as
/// python's jsonschema judges it (`tools/output_schema_check.py`): each output is run on a store
/// that makes its rarer members appear (nulls, empty lists, clock skew, unknown cases, churns,
/// a sub-second time, twcs's caveat, a damaged log), on a store with one complaint and on an
/// empty one.
@Suite("output schemas")
struct OutputSchemaTests {
    let scratch = Scratch()
    var plaint: Plaint { Plaint(store: scratch.path("store")) }
    /// One complaint, pending: lists of one, figures without a base.
    var lone: Plaint { Plaint(store: scratch.path("lone")) }
    /// No event at all.
    var empty: Plaint { Plaint(store: scratch.path("empty")) }
    /// The fixture alone, to be damaged.
    var small: Plaint { Plaint(store: scratch.path("small")) }

    /// One schema per output, named after the command.
    enum Output: String, CaseIterable, Sendable {
        case append
        case importTwcs = "import-twcs"
        case head, stats, verify, backup, replay, brands, cases, journey, loyalty, responsiveness, audit
    }

    static let threads = Plaint.packageRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/twcs/threads.csv").path

    /// Beside the fixture: an unknown case (a reply without a complaint), a clock-skewed reply, a
    /// redirect that names no channel half a second after its request, an escalation, ratings (one
    /// in a case with nothing else), a churn and a renewal, a consented upgrade, a reopened and an
    /// abandoned case.
    static let extra = [
        Fixture.event(
            "x-orphan", "brand.replied", "2024-03-06T08:00:00Z", case: "x-orphan", customer: "cu4", brand: "slowco",
            channel: "email", data: #"{"kind":"answer"}"#),
        Fixture.event(
            "x-skew-filed", "complaint.filed", "2024-03-07T10:00:00.25Z", case: "x-skew", customer: "cu4",
            brand: "slowco", channel: "email", data: #"{"text":"hello"}"#),
        Fixture.event(
            "x-skew-reply", "brand.replied", "2024-03-07T09:00:00Z", case: "x-skew", customer: "cu4", brand: "slowco",
            channel: "email", data: #"{"kind":"answer"}"#),
        Fixture.event(
            "x-redir-filed", "complaint.filed", "2024-03-09T10:00:00Z", case: "x-redir", customer: "cu5",
            brand: "fastco", channel: "facebook"),
        Fixture.event(
            "x-redir", "brand.replied", "2024-03-09T10:00:01.5Z", case: "x-redir", customer: "cu5", brand: "fastco",
            channel: "facebook", data: #"{"kind":"redirect"}"#),
        Fixture.event(
            "x-esc", "case.escalated", "2024-03-09T11:00:00Z", case: "x-redir", customer: "cu5", brand: "fastco",
            data: #"{"to":"regulator","by":"customer"}"#),
        Fixture.event(
            "x-rated", "customer.rated", "2024-03-09T12:00:00Z", case: "x-redir", customer: "cu5", brand: "fastco",
            data: #"{"scale":"nps","score":2}"#),
        Fixture.event(
            "x-churn", "customer.churned", "2024-03-10T12:00:00Z", case: nil, customer: "cu5", brand: "fastco",
            data: "{}"),
        Fixture.event(
            "x-renew", "customer.renewed", "2024-03-11T00:00:00Z", case: nil, customer: "cu5", brand: "fastco",
            data: "{}"),
        Fixture.event(
            "x-upgrade", "vendor.changed_service", "2024-03-10T00:00:00Z", case: nil, customer: "cu2",
            brand: "fastco", data: #"{"change":"upgrade","consented":true}"#),
        Fixture.event(
            "x-ronly", "customer.rated", "2024-03-10T09:00:00Z", case: "x-ronly", customer: "cu6", brand: "fastco",
            data: #"{"scale":"csat","score":1}"#),
        Fixture.event(
            "x-reopen", "case.reopened", "2024-03-04T11:00:00Z", case: "f1", customer: "cu1", brand: "fastco",
            data: #"{"reason":"still down"}"#),
        Fixture.event(
            "x-ab-filed", "complaint.filed", "2024-03-10T01:00:00Z", case: "x-ab", customer: "cu7", brand: "slowco",
            channel: "phone", data: #"{"text":"line noise"}"#),
        Fixture.event(
            "x-ab", "case.abandoned", "2024-03-10T02:00:00Z", case: "x-ab", customer: "cu7", brand: "slowco",
            data: "{}"),
    ]

    static let lateFollowUp = Fixture.event(
        "f1-late", "customer.followed_up", "2024-03-12T00:00:00Z", case: "f1", customer: "cu1", brand: "fastco",
        channel: "twitter")

    /// The schema's verdict on `document`: exit status 0 and "valid", or 1 and the first errors.
    static func judge(_ schema: String, _ document: String) throws -> (status: Int32, report: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", Plaint.packageRoot.appendingPathComponent("tools/output_schema_check.py").path, schema,
        ]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // The checker reads all of its input before it writes, so the whole document goes first.
        input.fileHandleForWriting.write(Data(document.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Runs `arguments` on `store` (the main store by default), expects `status`, and expects the
    /// one document printed (on standard error with `onStandardError`) to conform to `output`'s
    /// schema. Returns the document.
    @discardableResult
    func expectConforms(
        _ output: Output, _ arguments: [String], store: Plaint? = nil, stdin: String? = nil,
        environment: [String: String] = [:], status: Int32 = 0, onStandardError: Bool = false
    ) throws -> [String: Any] {
        let result = try (store ?? plaint).run(arguments, stdin: stdin, environment: environment)
        #expect(result.status == status, "\(arguments): \(result.stderr)")
        let document = onStandardError ? result.stderr : result.stdout
        #expect(document.split(separator: "\n").count == 1, "\(arguments): one document on one line")
        let verdict = try Self.judge(output.rawValue, document)
        #expect(verdict.status == 0, "\(output.rawValue) \(arguments): \(verdict.report)")
        let parsed = try? JSONSerialization.jsonObject(with: Data(document.utf8))
        return parsed as? [String: Any] ?? [:]
    }

    /// Writes a scenario of 300 generated complaints (five brands) and returns its path.
    func scenario() throws -> String {
        let generator = Process()
        generator.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        generator.arguments = [
            "python3", Plaint.packageRoot.appendingPathComponent("tools/generate_scenario.py").path,
            "--cases", "300", "--seed", "5",
        ]
        let file = scratch.path("scenario.ndjson")
        _ = FileManager.default.createFile(atPath: file, contents: nil)
        generator.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        try generator.run()
        generator.waitUntilExit()
        #expect(generator.terminationStatus == 0)
        return file
    }

    /// Loads the stores. The main one gets the fixture, the extra events, the scenario and the
    /// twcs threads, each append and import judged as `.append` and `.importTwcs`.
    func load() throws {
        // The fast path (standard input, a file, `-`) and the full parser (options it does not take).
        try expectConforms(.append, ["append", "--json"], stdin: Fixture.answerFirst + "\n")
        let rest = try scratch.write("rest.ndjson", Fixture.rest.joined(separator: "\n") + "\n")
        try expectConforms(.append, ["append", "--json", rest])
        try expectConforms(.append, ["append", "--json", "-"], stdin: Self.extra.joined(separator: "\n") + "\n")
        try expectConforms(.append, ["append", "--json", "--no-sync", "--batch-size", "100", try scenario()])
        let imported = try expectConforms(.importTwcs, ["import", "twcs", Self.threads, "--json"])
        #expect((imported["append"] as? [String: Any])?["appended"] as? Int == 13)

        try expectConforms(
            .append, ["append", "--json"], store: lone,
            stdin: Events.lines(Events.complaint("lone-1", case: "lone", customer: "solo", brand: "soloco")))
        try expectConforms(.append, ["append", "--json"], store: empty, stdin: "")
        try expectConforms(
            .append, ["append", "--json"], store: small,
            stdin: ([Fixture.answerFirst] + Fixture.rest).joined(separator: "\n") + "\n")
    }

    @Test(arguments: Output.allCases)
    func everyDocumentConformsToItsSchema(_ output: Output) throws {
        try load()
        switch output {
        case .append: try appendDocuments()
        case .importTwcs: try importDocuments()
        case .head:
            for store in [plaint, empty] { try expectConforms(.head, ["head", "--json"], store: store) }
        case .stats:
            for store in [plaint, empty] { try expectConforms(.stats, ["stats", "--json"], store: store) }
        case .verify: try verifyDocuments()
        case .backup:
            try expectConforms(.backup, ["backup", scratch.path("copy"), "--json"])
            try expectConforms(.backup, ["backup", scratch.path("empty-copy"), "--json"], store: empty)
        case .replay: try replayDocuments()
        case .brands:
            for store in [plaint, lone, empty] { try expectConforms(.brands, ["brands", "--json"], store: store) }
            // Before any request: first and last request times are null.
            try expectConforms(.brands, ["brands", "--format", "json", "--at", "2017-01-01"])
        case .cases: try caseDocuments()
        case .journey: try journeyDocuments()
        case .loyalty: try loyaltyDocuments()
        case .responsiveness: try responsivenessDocuments()
        case .audit: try auditDocuments()
        }
    }

    /// Beyond the loads: duplicates only, a refused bad line, a conflict, a stream stopped by a
    /// bad line after committing the lines before it, and --rejects.
    func appendDocuments() throws {
        let again = try expectConforms(.append, ["append", "--json"], stdin: Fixture.answerFirst + "\n")
        #expect(again["first_position"] is NSNull)
        try expectConforms(.append, ["append", "--json"], stdin: "{\"bad\":1}\n", status: 65)
        let conflicting = Fixture.answerFirst.replacingOccurrences(of: "Fixed on our side.", with: "Other text")
        try expectConforms(.append, ["append", "--json"], stdin: conflicting + "\n", status: 69)
        let streamed = try expectConforms(
            .append, ["append", "--json", "--stream"], store: Plaint(store: scratch.path("streamed")),
            stdin: Fixture.rest.joined(separator: "\n") + "\nnot json\n", status: 65)
        #expect(streamed["appended"] as? Int == Fixture.rest.count)
        try expectConforms(
            .append, ["append", "--json", "--rejects", scratch.path("rejects.ndjson")], stdin: "{\"bad\":1}\n")
    }

    /// Beyond the load: the same file again (duplicates only), --emit (the document on standard
    /// error, `append` null) and --skip-malformed.
    func importDocuments() throws {
        let again = try expectConforms(.importTwcs, ["import", "twcs", Self.threads, "--json"])
        #expect((again["append"] as? [String: Any])?["duplicates"] as? Int == 13)
        let emitted = try expectConforms(
            .importTwcs, ["import", "twcs", Self.threads, "--json", "--emit"], store: empty, onStandardError: true)
        #expect(emitted["append"] is NSNull)
        let lines = try String(contentsOfFile: Self.threads, encoding: .utf8).split(separator: "\n").prefix(3)
        let malformed = try scratch.write(
            "malformed.csv", lines.joined(separator: "\n") + "\nzz,notanumber,True,whenever,text,,\n")
        let skipped = try expectConforms(
            .importTwcs, ["import", "twcs", malformed, "--json", "--skip-malformed"],
            store: Plaint(store: scratch.path("malformed")))
        #expect((skipped["skipped_by_reason"] as? [String: Any])?["malformed"] as? Int == 1)
    }

    /// Intact, empty, views behind the log (exit 74, `ok` false) and a changed byte (exit 74).
    func verifyDocuments() throws {
        for store in [plaint, empty, small] { try expectConforms(.verify, ["verify", "--json"], store: store) }
        #expect(
            try small.run(["append"], stdin: Self.lateFollowUp + "\n", environment: ["PLAINT_MAINTAIN_VIEWS": "0"])
                .status == 0)
        let behind = try expectConforms(.verify, ["verify", "--json"], store: small, status: 74)
        #expect((behind["views_differing_rows"] as? Int ?? 0) > 0)
        #expect(behind["ok"] as? Bool == false, "ok answers for the views too")
        // The append left an older copy of f1-filed's page behind: every copy is changed.
        #expect(try corrupt(scratch.path("small") + "/data.mdb", marker: "My line is down", byteAt: 3, to: "L") >= 1)
        let damaged = try expectConforms(.verify, ["verify", "--json"], store: small, status: 74)
        #expect(damaged["first_bad_position"] as? Int == 2)
    }

    /// A full replay, a partial one (views not compared), one as of a time before every event,
    /// the empty store, and views rewritten after an append that skipped them.
    func replayDocuments() throws {
        try expectConforms(.replay, ["replay", "--json"])
        let partial = try expectConforms(.replay, ["replay", "--json", "--upto", "3"])
        #expect(partial["views"] as? String == "not compared")
        try expectConforms(.replay, ["replay", "--json", "--at", "2000-01-01", "--window", "10m"])
        try expectConforms(.replay, ["replay", "--json"], store: empty)
        #expect(
            try small.run(["append"], stdin: Self.lateFollowUp + "\n", environment: ["PLAINT_MAINTAIN_VIEWS": "0"])
                .status == 0)
        let rebuilt = try expectConforms(.replay, ["replay", "--json"], store: small)
        #expect(rebuilt["views"] as? String == "rewritten")
    }

    func caseDocuments() throws {
        for store in [plaint, lone, empty] { try expectConforms(.cases, ["cases", "--json"], store: store) }
        try expectConforms(
            .cases,
            ["cases", "--format", "json", "--sort", "frt", "--limit", "3", "--outcome", "ignored", "--window", "90m"])
        try expectConforms(.cases, ["cases", "--json", "--at", "2000-01-01"])
        try expectConforms(.cases, ["cases", "--json", "--window", "1.5s", "--brand", "slowco"])
        // A case with no request: channel, filed_at, state and outcome null.
        let unknown = try expectConforms(.cases, ["cases", "--json", "--customer", "cu6"])
        #expect(((unknown["cases"] as? [[String: Any]])?.first?["state"]) is NSNull)
    }

    func journeyDocuments() throws {
        for caseID in ["f1", "f2", "x-ronly", "x-skew", "x-orphan", "x-redir", "twcs:1"] {
            try expectConforms(.journey, ["journey", caseID, "--json"])
            try expectConforms(.journey, ["journey", caseID, "--json", "--steps"])
        }
        // The full parser (--stale-after is not a fast-path option), before every event.
        try expectConforms(
            .journey, ["journey", "f2", "--json", "--steps", "--stale-after", "1m", "--at", "2000-01-01"])
        try expectConforms(.journey, ["journey", "lone", "--json"], store: lone)
        for customer in ["cu1", "cu5", "cu6", "101"] {
            try expectConforms(.journey, ["journey", "--customer", customer, "--json"])
        }
        try expectConforms(.journey, ["journey", "--customer", "cu1", "--json", "--at", "2000-01-01"])
    }

    func loyaltyDocuments() throws {
        // A customer the scenario's downgrader cut without consent: B has penalties.
        let cut = try plaint.run(["events", "--brand", "cutrate", "--type", "vendor.changed_service", "--limit", "1"])
        let downgraded = try #require(try json(cut.stdout)["customer"] as? String)
        for customer in ["cu1", "cu2", "cu5", "cu6", "101", downgraded] {
            try expectConforms(.loyalty, ["loyalty", "--customer", customer, "--json"])
            try expectConforms(.loyalty, ["loyalty", "--customer", customer, "--json", "--explain"])
        }
        try expectConforms(.loyalty, ["loyalty", "--customer", "cu1", "--brand", "slowco", "--format", "json"])
        for brand in ["fastco", "slowco", "cutrate", "AcmeHelp"] {
            try expectConforms(.loyalty, ["loyalty", "--brand", brand, "--json"])
            try expectConforms(.loyalty, ["loyalty", "--brand", brand, "--json", "--all"])
        }
        try expectConforms(.loyalty, ["loyalty", "--brand", "soloco", "--json", "--all"], store: lone)
        try expectConforms(.loyalty, ["loyalty", "--brand", "fastco", "--json", "--all", "--at", "2000-01-01"])
    }

    func responsivenessDocuments() throws {
        for store in [plaint, lone, empty] {
            try expectConforms(.responsiveness, ["responsiveness", "--json"], store: store)
        }
        for period in ["day", "week", "month"] {
            let document = try expectConforms(.responsiveness, ["responsiveness", "--json", "--by", period])
            #expect((document["brands"] as? [[String: Any]])?.allSatisfy { $0["periods"] != nil } == true)
        }
        try expectConforms(
            .responsiveness,
            [
                "responsiveness", "--format", "json", "--exclude-stale", "--stale-after", "1h", "--min-requests", "1",
                "--window", "1.5h",
            ])
        try expectConforms(.responsiveness, ["responsiveness", "--json", "--window", "1.5s", "--brand", "fastco"])
        try expectConforms(.responsiveness, ["responsiveness", "--json", "--channel", "email", "--by", "day"])
        let none = try expectConforms(
            .responsiveness, ["responsiveness", "--json", "--from", "1999-01-01", "--to", "1999-01-02", "--by", "week"])
        #expect((none["brands"] as? [Any])?.isEmpty == true)
    }

    func auditDocuments() throws {
        for brand in ["fastco", "slowco", "cutrate", "AcmeHelp"] {
            try expectConforms(.audit, ["audit", brand, "--format", "json"])
        }
        try expectConforms(.audit, ["audit", "ghostline", "--format", "json", "--verify", "full"])
        try expectConforms(
            .audit,
            [
                "audit", "slowco", "--format", "json", "--from", "2024-03-05", "--to", "2024-03-08", "--exclude-stale",
                "--stale-after", "2h", "--min-requests", "1",
            ])
        try expectConforms(.audit, ["audit", "soloco", "--format", "json", "--verify", "full"], store: lone)
        #expect(try corrupt(scratch.path("small") + "/data.mdb", marker: "My line is down", byteAt: 3, to: "L") == 1)
        for check in ["chain", "full"] {
            let damaged = try expectConforms(
                .audit, ["audit", "fastco", "--format", "json", "--verify", check], store: small, status: 74)
            let integrity = damaged["integrity"] as? [String: Any]
            #expect((integrity?["chain"] as? [String: Any])?["ok"] as? Bool == false)
        }
    }

    /// No schema without its output above (and no output without a schema), and the checker
    /// refuses what does not conform: a brands row missing `requests`, a count given as text, a
    /// member no schema names, a wrong type in the part of replay's document that another schema
    /// file gives, and a schema it does not know.
    @Test func everySchemaIsExercisedAndTheCheckerCanFail() throws {
        let directory = Plaint.packageRoot.appendingPathComponent("schemas/output").path
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".schema.json") }.map { String($0.dropLast(".schema.json".count)) }
        #expect(Set(names) == Set(Output.allCases.map(\.rawValue)))
        #expect(names.count == Output.allCases.count)

        try load()
        let printed = try plaint.run(["brands", "--json"]).stdout
        #expect(try Self.judge("brands", printed).status == 0)
        func brands(_ change: (inout [String: Any]) -> Void) throws -> String {
            var document = try json(printed)
            var rows = document["brands"] as! [[String: Any]]
            change(&rows[0])
            document["brands"] = rows
            return String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
        }
        let missing = try Self.judge("brands", try brands { $0.removeValue(forKey: "requests") })
        #expect(missing.status == 1)
        #expect(missing.report.contains("requests"), "\(missing.report)")
        #expect(try Self.judge("brands", try brands { $0["cases"] = "3" }).status == 1)
        #expect(try Self.judge("brands", try brands { $0["extra"] = 1 }).status == 1)

        let replay = try plaint.run(["replay", "--json"]).stdout
        #expect(try Self.judge("replay", replay).status == 0)
        #expect(replay.contains(#""exclude_stale":false"#))
        let wrongType = replay.replacingOccurrences(of: #""exclude_stale":false"#, with: #""exclude_stale":"no""#)
        #expect(try Self.judge("replay", wrongType).status == 1)
        let unversioned = replay.replacingOccurrences(of: #""plaint_version":"#, with: #""plaint_versio":"#)
        #expect(try Self.judge("replay", unversioned).status == 1)

        #expect(try Self.judge("no-such-output", printed).status == 2)
    }
}
