import Foundation
import Testing

/// The kinds of store the log's promises are tested against.
enum StoreKind: String, CustomTestStringConvertible, Sendable {
    case lmdb, postgres

    var testDescription: String { rawValue }

    /// LMDB always; PostgreSQL where a cluster is available (`TestCluster`).
    static var testable: [StoreKind] { TestCluster.isAvailable ? [.lmdb, .postgres] : [.lmdb] }

    /// A new empty store of this kind.
    func plaint(_ scratch: Scratch, name: String = "store") throws -> Plaint {
        switch self {
        case .lmdb: Plaint(store: scratch.path(name))
        case .postgres:
            Plaint(store: try TestCluster.freshStore(), environment: ["PLAINT_VIEWS": scratch.path(name + "-views")])
        }
    }
}

/// The log's promises, the same tests against an LMDB store and a PostgreSQL store: all-or-nothing
/// inputs, idempotent re-appends, conflicts, `expect_version`, gapless positions under concurrent
/// writers, the same canonical bytes and hash chain, every reading command, and views equal to an
/// LMDB store's holding the same events.
@Suite("the log's promises, on every kind of store")
struct StoreContractTests {
    let scratch = Scratch()

    @Test(.enabled(if: TestCluster.isAvailable, TestCluster.skipReason))
    func postgresStoresAreTested() {
        #expect(StoreKind.testable.contains(.postgres))
    }

    static let events = [
        Fixture.event(
            "f1-filed", "complaint.filed", "2024-03-04T09:00:00+01:00", case: "f1", customer: "cu1", brand: "fastco",
            channel: "twitter", data: #"{"text":"My line is down","z":1.5e-7,"a":"\u00e9"}"#),
        Fixture.event(
            "f1-answer", "brand.replied", "2024-03-04T09:10:00Z", case: "f1", customer: "cu1", brand: "fastco",
            channel: "twitter", data: #"{"kind":"answer","agent":"ann"}"#),
        Fixture.event(
            "s1-filed", "complaint.filed", "2024-03-04T12:00:00Z", case: "s1", customer: "cu1", brand: "slowco",
            channel: "twitter", data: #"{"text":"Still waiting"}"#),
        Fixture.event(
            "cut", "vendor.changed_service", "2024-03-06T00:00:00Z", case: nil, customer: "cu1", brand: "slowco",
            data: #"{"change":"downgrade","consented":false}"#),
    ]

    static var input: String { events.joined(separator: "\n") + "\n" }

    func head(_ plaint: Plaint) throws -> [String: Any] {
        let result = try plaint.run(["head", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try json(result.stdout)
    }

    @Test(arguments: StoreKind.testable)
    func appendIsAllOrNothingAndIdempotent(kind: StoreKind) throws {
        let plaint = try kind.plaint(scratch)
        let first = try plaint.run(["append", "--json"], stdin: Self.input)
        #expect(first.status == 0, "\(first.stderr)")
        let summary = try json(first.stdout)
        #expect(summary["appended"] as? Int == 4)
        #expect(summary["first_position"] as? Int == 1 && summary["last_position"] as? Int == 4)
        let again = try json(try plaint.run(["append", "--json"], stdin: Self.input).stdout)
        #expect(again["appended"] as? Int == 0 && again["duplicates"] as? Int == 4)
        let before = try head(plaint)

        // A bad line anywhere: nothing of the input is stored.
        let file = try scratch.write(
            "bad.ndjson",
            Fixture.event(
                "n1", "complaint.filed", "2024-03-07T00:00:00Z", case: "n1", customer: "cu2", brand: "fastco",
                channel: "twitter") + "\n" + #"{"id":"n2","type":"complaint.filed"}"# + "\n")
        let bad = try plaint.run(["append", file])
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("bad.ndjson:2:"), "\(bad.stderr)")
        #expect(NSDictionary(dictionary: try head(plaint)).isEqual(to: before))

        // Other content under a stored id: a conflict, nothing stored.
        let conflicting =
            Fixture.event(
                "n3", "complaint.filed", "2024-03-07T00:00:00Z", case: "n3", customer: "cu2", brand: "fastco",
                channel: "twitter") + "\n" + Self.events[0].replacingOccurrences(of: "My line", with: "Our line") + "\n"
        let conflict = try plaint.run(["append"], stdin: conflicting)
        #expect(conflict.status == 69, "\(conflict.stderr)")
        #expect(conflict.stderr.contains("f1-filed") && conflict.stderr.contains("position 1"), "\(conflict.stderr)")
        #expect(NSDictionary(dictionary: try head(plaint)).isEqual(to: before))
        #expect(try plaint.run(["events", "--case", "n3"]).stdout.isEmpty)
    }

    @Test(arguments: StoreKind.testable)
    func expectVersionGuardsACase(kind: StoreKind) throws {
        let plaint = try kind.plaint(scratch)
        func event(_ id: String, expect: Int) -> String {
            #"{"id":"\#(id)","type":"customer.followed_up","occurred_at":"2024-03-05T00:00:00Z","case":"c","customer":"u","brand":"b","channel":"twitter","expect_version":\#(expect)}"#
        }
        #expect(
            try plaint.run(["append"], stdin: event("v1", expect: 0) + "\n" + event("v2", expect: 1) + "\n").status == 0
        )
        let stale = try plaint.run(["append"], stdin: event("v3", expect: 1) + "\n")
        #expect(stale.status == 69)
        #expect(stale.stderr.contains("expect_version 1 but case \"c\" is at version 2"), "\(stale.stderr)")
        let versions = try plaint.run(["events", "--case", "c"]).lines.map { try json($0)["version"] as? Int }
        #expect(versions == [1, 2])
    }

    @Test(arguments: StoreKind.testable)
    func theSameInputGivesTheSameBytesAndChainAsAnLMDBStore(kind: StoreKind) throws {
        let plaint = try kind.plaint(scratch)
        let reference = Plaint(store: scratch.path("reference"))
        for store in [plaint, reference] {
            #expect(try store.run(["append"], stdin: Self.input).status == 0)
            #expect(try store.run(["append"], stdin: Self.events[1] + "\n").status == 0)
        }
        #expect(try head(plaint)["hash"] as? String == (try head(reference)["hash"] as? String))
        // Every stored event, but `recorded_at`, byte for byte.
        func stored(_ store: Plaint) throws -> [String] {
            try store.run(["events"]).lines.map { $0.replacing(/"recorded_at":"[^"]*",?/, with: "") }
        }
        #expect(try stored(plaint) == (try stored(reference)))
        let verify = try plaint.run(["verify"])
        #expect(
            verify.status == 0 && verify.stdout.contains("ok: verified positions 1-4"),
            "\(verify.stdout)\(verify.stderr)")
    }

    @Test(arguments: StoreKind.testable)
    func everyReadingCommandAndViewsEqualAnLMDBStores(kind: StoreKind) throws {
        let plaint = try kind.plaint(scratch)
        let reference = Plaint(store: scratch.path("reference"))
        for store in [plaint, reference] {
            #expect(try store.run(["append"], stdin: Fixture.answerFirst + "\n").status == 0)
            #expect(try store.run(["append"], stdin: Fixture.rest.joined(separator: "\n") + "\n").status == 0)
        }
        let at = ["--at", "2024-03-11T12:00:00Z"]
        for command in [
            ["events", "--brand", "slowco"], ["events", "--type", "brand.replied", "--from", "2024-03-05"],
            ["events", "--customer", "cu2", "--limit", "1"], ["journey", "f1", "--json"] + at,
            ["journey", "--customer", "cu1", "--json"] + at, ["responsiveness", "--json", "--min-requests", "1"] + at,
            ["loyalty", "--brand", "slowco", "--all", "--json"] + at, ["loyalty", "--customer", "cu1", "--json"] + at,
            ["audit", "slowco", "--format", "json"] + at, ["brands", "--json"] + at, ["cases", "--json"] + at,
        ] {
            let ours = try plaint.run(command)
            let theirs = try reference.run(command)
            #expect(ours.status == 0, "\(command): \(ours.stderr)")
            let strip = { (text: String) in
                text.replacing(/"recorded_at":"[^"]*"/, with: "").replacing(/"recheck":"[^"]*"/, with: "")
            }
            #expect(strip(ours.stdout) == strip(theirs.stdout), "\(command)")
        }
        let stats = try json(try plaint.run(["stats", "--json"]).stdout)
        #expect(stats["events"] as? Int == Fixture.rest.count + 1)
        let backup = try plaint.run(["backup", scratch.path("copy"), "--json"])
        #expect(backup.status == 0, "\(backup.stderr)")
        let copy = Plaint(store: scratch.path("copy"))
        #expect(try head(copy)["hash"] as? String == (try head(plaint)["hash"] as? String))
        #expect(try copy.run(["verify"]).status == 0)
        let replay = try json(try plaint.run(["replay", "--json"]).stdout)
        #expect(replay["differing_rows"] as? Int == 0)
    }

    /// Writers that start together on a store that does not exist yet: one creates it, the
    /// others must neither fail nor take the store being created for another program's data.
    /// Repeated, because the moment a creator publishes its first commit is short.
    @Test func writersCreatingOneStoreAtOnceAllSucceed() throws {
        let writers = 4
        let inputs = try (0..<writers).map { writer in
            try scratch.write("create-\(writer).ndjson", Events.complaint("c\(writer)", case: "c\(writer)") + "\n")
        }
        for round in 0..<25 {
            let plaint = Plaint(store: scratch.path("created-\(round)"))
            let running = try inputs.map { try plaint.start(["append", $0]) }
            for (process, input, _, errors) in running {
                try input.fileHandleForWriting.close()
                process.waitUntilExit()
                let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                #expect(process.terminationStatus == 0, "round \(round): \(message)")
            }
            #expect(try plaint.run(["events"]).lines.count == writers)
        }
    }

    @Test(arguments: StoreKind.testable)
    func concurrentWritersGetGaplessPositions(kind: StoreKind) throws {
        let plaint = try kind.plaint(scratch)
        let writers = 4
        let perWriter = 40
        var running: [(Process, Pipe, Pipe, Pipe)] = []
        for writer in 0..<writers {
            let lines = (0..<perWriter).map { number in
                Events.complaint("w\(writer)-\(number)", case: "w\(writer)-\(number % 5)", customer: "u\(writer)")
            }
            let file = try scratch.write("w\(writer).ndjson", lines.joined(separator: "\n") + "\n")
            // Each writer appends its file in several small inputs, interleaving with the others.
            for part in 0..<4 {
                let slice = Array(lines[(part * perWriter / 4)..<((part + 1) * perWriter / 4)])
                let partFile = try scratch.write("w\(writer)-\(part).ndjson", slice.joined(separator: "\n") + "\n")
                running.append(try plaint.start(["append", partFile]))
            }
            _ = file
        }
        for (process, input, _, _) in running {
            try input.fileHandleForWriting.close()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        let positions = try plaint.run(["events"]).lines.map { try json($0)["position"] as! Int }
        #expect(positions == Array(1...(writers * perWriter)))
        #expect(try plaint.run(["verify"]).status == 0)
        // Versions within each case run 1, 2, … in position order.
        var versions: [String: [Int]] = [:]
        for line in try plaint.run(["events"]).lines {
            let event = try json(line)
            versions[event["case"] as! String, default: []].append(event["version"] as! Int)
        }
        for (caseID, list) in versions { #expect(list == Array(1...list.count), "\(caseID)") }
    }

    @Test(arguments: StoreKind.testable)
    func followSeesLaterAppends(kind: StoreKind) throws {
        let plaint = try kind.plaint(scratch)
        #expect(try plaint.run(["append"], stdin: Self.events[0] + "\n").status == 0)
        let (process, input, output, _) = try plaint.start(["events", "--follow", "--limit", "2"])
        try input.fileHandleForWriting.close()
        Thread.sleep(forTimeInterval: 1)
        #expect(try plaint.run(["append"], stdin: Self.events[1] + "\n").status == 0)
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { process.terminate() }
        let lines = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.last?.contains("f1-answer") == true)
    }
}
