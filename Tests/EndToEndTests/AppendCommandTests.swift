import Foundation
import Testing

@Suite("plaint append")
struct AppendCommandTests {
    let scratch = Scratch()
    var plaint: Plaint { Plaint(store: scratch.path("store")) }

    @Test func appendsAndPrintsCountsAsJSON() throws {
        let input = try scratch.write("in.ndjson", Events.lines(Events.complaint("a"), Events.reply("b")))
        let first = try plaint.run(["append", input, "--json"])
        #expect(first.status == 0)
        let counts = try json(first.stdout)
        #expect(counts["appended"] as? Int == 2)
        #expect(counts["duplicates"] as? Int == 0)
        #expect(counts["rejected"] as? Int == 0)
        #expect(counts["first_position"] as? Int == 1)
        #expect(counts["last_position"] as? Int == 2)
        let again = try json(try plaint.run(["append", input, "--json"]).stdout)
        #expect(again["appended"] as? Int == 0)
        #expect(again["duplicates"] as? Int == 2)
        #expect(again["first_position"] is NSNull)
    }

    @Test func readsStandardInputAndSkipsBlankLines() throws {
        let result = try plaint.run(["append"], stdin: "\n" + Events.complaint("a") + "\n\n  \n" + Events.reply("b"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "appended 2 events (positions 1-2), 0 duplicates, 0 rejected\n")
    }

    @Test func oneBadLineRejectsTheWholeInputNamingFileLineAndField() throws {
        let bad = Events.reply("b").replacingOccurrences(of: "\"answer\"", with: "\"reply\"")
        let input = try scratch.write(
            "in.ndjson", Events.lines(Events.complaint("a"), bad, Events.complaint("c", case: "case-2")))
        let result = try plaint.run(["append", input])
        #expect(result.status == 65)
        #expect(result.stderr.contains("\(input):2: field \"data.kind\": must be one of"))
        #expect(result.stderr.contains("nothing was appended"))
        #expect(try plaint.run(["events"]).stdout.isEmpty)
    }

    /// A rejects file that is a device (`/dev/full`) is refused before anything is read: exit 64,
    /// named in one line; nothing is appended. (A rejects file on a disk that fills up is exit 74:
    /// `tools/disk_full_test.py`.)
    @Test func aRejectsFileThatIsADeviceIsRefusedAndNothingIsAppended() throws {
        let bad = Events.reply("b").replacingOccurrences(of: "\"answer\"", with: "\"reply\"")
        let input = try scratch.write("in.ndjson", Events.lines(Events.complaint("a"), bad))
        let result = try plaint.run(["append", input, "--rejects", "/dev/full"])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("plaint: /dev/full: is not a regular file"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try plaint.run(["events"]).status == 66, "the store was not even created")
    }

    /// `--rejects -` is refused (exit 64) rather than written to a file named "-" in the working
    /// directory; the store is not created.
    @Test func rejectsToADashIsRefused() throws {
        let input = try scratch.write("dash.ndjson", Events.lines(Events.complaint("a")))
        let result = try plaint.run(["append", input, "--rejects", "-"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--rejects needs a file name"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/-"))
        #expect(try plaint.run(["events"]).status == 66)
    }

    @Test func aByteOrderMarkAtTheStartIsSkipped() throws {
        let input = try scratch.write("bom.ndjson", "\u{FEFF}" + Events.lines(Events.complaint("a"), Events.reply("b")))
        let result = try plaint.run(["append", input, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try json(result.stdout)["appended"] as? Int == 2)
        // Only at the start: elsewhere it is still refused, naming the line.
        let inner = try scratch.write("inner.ndjson", Events.complaint("c") + "\n\u{FEFF}" + Events.reply("d") + "\n")
        let refused = try plaint.run(["append", inner])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("inner.ndjson:2:"), "\(refused.stderr)")
    }

    @Test func prettyPrintedJSONGetsOneErrorThatSuggestsJqC() throws {
        let event = try json(Events.complaint("a"))
        let pretty = try JSONSerialization.data(withJSONObject: event, options: [.prettyPrinted])
        let input = try scratch.write("pretty.json", String(decoding: pretty, as: UTF8.self) + "\n")
        let result = try plaint.run(["append", input])
        #expect(result.status == 65)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 2, "\(result.stderr)")
        #expect(lines.first?.contains("pretty.json:1:") == true && lines.first?.contains("jq -c") == true)
    }

    @Test func aFailedFirstAppendLeavesNoStoreBehind() throws {
        let store = scratch.path("new-store")
        let refused = try Plaint(store: store).run(["append"], stdin: "{}\n")
        #expect(refused.status == 65)
        #expect(!FileManager.default.fileExists(atPath: store))
        // A directory the user made stays, empty as it was.
        let made = scratch.path("made")
        try FileManager.default.createDirectory(atPath: made, withIntermediateDirectories: false)
        #expect(try Plaint(store: made).run(["append"], stdin: "{}\n").status == 65)
        #expect(try FileManager.default.contentsOfDirectory(atPath: made) == [])
        // A store that holds events is never removed by a failed append.
        #expect(try plaint.run(["append"], stdin: Events.lines(Events.complaint("a"))).status == 0)
        #expect(try plaint.run(["append"], stdin: "{}\n").status == 65)
        #expect(try plaint.run(["head"]).stdout.hasPrefix("position 1\n"))
    }

    @Test func invalidJSONNamesTheLine() throws {
        let input = try scratch.write("in.ndjson", Events.complaint("a") + "\n{\"id\": oops}\n")
        let result = try plaint.run(["append", input])
        #expect(result.status == 65)
        #expect(result.stderr.contains("\(input):2: invalid JSON at byte 8"))
    }

    @Test func aConflictRejectsTheInputWithExit69() throws {
        try plaint.run(["append"], stdin: Events.complaint("a", text: "first"))
        let result = try plaint.run(
            ["append"], stdin: Events.lines(Events.complaint("new"), Events.complaint("a", text: "second")))
        #expect(result.status == 69)
        #expect(result.stderr.contains("<stdin>:2: conflict: an event with id \"a\" is already stored at position 1"))
        #expect(try plaint.run(["events"]).lines.count == 1)
    }

    @Test func aConflictInsideOneInputIsFoundBeforeWriting() throws {
        let result = try plaint.run(
            ["append"],
            stdin: Events.lines(
                Events.complaint("a", text: "one"), Events.complaint("b"), Events.complaint("a", text: "two")))
        #expect(result.status == 69)
        #expect(result.stderr.contains("<stdin>:3: conflict: id \"a\" was already given other content at <stdin>:1"))
        #expect(try plaint.run(["events"]).stdout.isEmpty)
    }

    @Test func expectVersionMismatchIsAConflict() throws {
        try plaint.run(["append"], stdin: Events.complaint("a"))
        let stale = Events.reply("b").replacingOccurrences(of: "}}", with: "},\"expect_version\":0}")
        let result = try plaint.run(["append"], stdin: stale)
        #expect(result.status == 69)
        #expect(result.stderr.contains("expect_version 0 but case \"case-1\" is at version 1"))
        let fresh = Events.reply("b").replacingOccurrences(of: "}}", with: "},\"expect_version\":1}")
        #expect(try plaint.run(["append"], stdin: fresh).status == 0)
    }

    /// Within one input, each `expect_version` is checked against the store plus the input's
    /// earlier lines, from a case's first line on.
    @Test func expectVersionCountsTheInputsEarlierLines() throws {
        func expecting(_ line: String, _ version: Int) -> String {
            line.replacingOccurrences(of: "}}", with: "},\"expect_version\":\(version)}")
        }
        let first = expecting(Events.complaint("a"), 0)
        let second = expecting(Events.reply("b"), 1)
        let stale = expecting(Events.reply("c"), 1)
        let result = try plaint.run(["append"], stdin: Events.lines(first, second, stale))
        #expect(result.status == 69)
        #expect(result.stderr.contains("<stdin>:3: conflict: expect_version 1 but case \"case-1\" is at version 2"))
        #expect(try plaint.run(["events"]).stdout.isEmpty)
        #expect(try plaint.run(["append"], stdin: Events.lines(first, second)).status == 0)
        let versions = try plaint.run(["events"]).stdout.split(separator: "\n").map {
            try json(String($0))["version"] as? Int
        }
        #expect(versions == [1, 2])
    }

    @Test func rejectsFileGetsBadLinesVerbatimAndTheRestIsAppended() throws {
        let bad1 = #"{"id":"x","type":"nonsense"}"#
        let bad2 = "not json"
        try plaint.run(["append"], stdin: Events.complaint("a", text: "old"))
        let conflicting = Events.complaint("a", text: "new")
        let rejects = scratch.path("rejects.ndjson")
        let result = try plaint.run(
            ["append", "--rejects", rejects, "--json"],
            stdin: Events.lines(bad1, Events.complaint("b"), bad2, conflicting, Events.reply("c")))
        #expect(result.status == 0, "\(result.stderr)")
        let counts = try json(result.stdout)
        #expect(counts["appended"] as? Int == 2)
        #expect(counts["rejected"] as? Int == 3)
        #expect(try String(contentsOfFile: rejects, encoding: .utf8) == Events.lines(bad1, bad2, conflicting))
        #expect(result.stderr.contains("rejected <stdin>:1: field \"occurred_at\": required"))
    }

    @Test func missingInputFileExits66() throws {
        let result = try plaint.run(["append", scratch.path("absent.ndjson")])
        #expect(result.status == 66)
        #expect(result.stderr.contains("absent.ndjson: no such file"))
    }

    @Test func aDirectoryThatIsNotAStoreIsRefused() throws {
        try scratch.write("notes.txt", "hello")
        let result = try Plaint(store: scratch.url.path).run(["append"], stdin: Events.complaint("a"))
        #expect(result.status == 66)
        #expect(result.stderr.contains("is not a plaint store"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("data.mdb")))
    }

    @Test func usageErrorsExit64() throws {
        #expect(try plaint.run(["append", "--batch-size", "0"]).status == 64)
        #expect(try plaint.run(["append", "--bogus"]).status == 64)
    }

    @Test func tinyInitialMapGrowsWithoutUserAction() throws {
        let lines = (0..<3000).map {
            Events.complaint("e\($0)", case: "case-\($0 % 50)", text: String(repeating: "x", count: 200))
        }
        let result = try plaint.run(
            ["append", "--batch-size", "500"], stdin: lines.joined(separator: "\n"),
            environment: ["PLAINT_INITIAL_MAP_SIZE": "65536"])
        #expect(result.status == 0, "\(result.stderr)")
        let stats = try json(try plaint.run(["stats", "--json"]).stdout)
        #expect(stats["events"] as? Int == 3000)
        #expect((stats["map_bytes"] as? Int ?? 0) > 65536)
        #expect(try plaint.run(["verify"]).status == 0)
    }
}
