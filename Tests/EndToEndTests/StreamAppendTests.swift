import Foundation
import Testing

@Suite("plaint append --stream")
struct StreamAppendTests {
    let scratch = Scratch()
    var plaint: Plaint { Plaint(store: scratch.path("store")) }

    @Test func aBadLineStopsTheStreamKeepingTheLinesBeforeIt() throws {
        let result = try plaint.run(
            ["append", "--stream", "--commit-every", "1000"],
            stdin: Events.lines(
                Events.complaint("a"), Events.reply("b"), "{\"id\":\"c\"}", Events.complaint("d", case: "k")))
        #expect(result.status == 65)
        #expect(result.stderr.contains("<stdin>:3: field \"type\": required"))
        #expect(result.stderr.contains("lines before it were committed: appended 2 events"))
        let ids = try plaint.run(["events"]).lines.map { try json($0)["id"] as? String }
        #expect(ids == ["a", "b"])
    }

    @Test func commitsOnTimeWhileThePipeStaysOpen() throws {
        try plaint.run(["append"], stdin: Events.complaint("seed"))  // create the store
        let (process, input, _, _) = try plaint.start(["append", "--stream", "--commit-interval", "0.2"])
        input.fileHandleForWriting.write(Data((Events.complaint("live", case: "case-9") + "\n").utf8))
        var seen = false
        for _ in 0..<50 where !seen {
            usleep(100_000)
            seen = try plaint.run(["events", "--case", "case-9"]).stdout.contains("\"live\"")
        }
        #expect(seen, "the event is visible while the writer still runs")
        #expect(process.isRunning)
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func commitsEveryNEvents() throws {
        let lines = (0..<25).map { Events.complaint("e\($0)", case: "c\($0)") }
        let result = try plaint.run(
            ["append", "--stream", "--commit-every", "10", "--json"], stdin: lines.joined(separator: "\n"))
        #expect(result.status == 0)
        #expect(try json(result.stdout)["appended"] as? Int == 25)
        // Batches of 10, 10 and 5 share a recorded_at each.
        let recorded = try plaint.run(["events"]).lines.map { try json($0)["recorded_at"] as! String }
        #expect(Set(recorded).count <= 3)
        #expect(recorded[0] == recorded[9])
    }

    @Test func aConflictStopsTheStreamAfterCommittingWhatCameBefore() throws {
        try plaint.run(["append"], stdin: Events.complaint("a", text: "one"))
        let result = try plaint.run(
            ["append", "--stream"],
            stdin: Events.lines(
                Events.complaint("b", case: "k"), Events.complaint("a", text: "two"), Events.complaint("c", case: "k2"))
        )
        #expect(result.status == 69)
        #expect(result.stderr.contains("<stdin>:2: conflict"))
        let ids = try plaint.run(["events"]).lines.map { try json($0)["id"] as? String }
        #expect(ids == ["a", "b"])
    }

    @Test func withRejectsTheStreamGoesOn() throws {
        let rejects = scratch.path("rejects.ndjson")
        let result = try plaint.run(
            ["append", "--stream", "--rejects", rejects, "--json"],
            stdin: Events.lines(Events.complaint("a"), "garbage", Events.reply("b")))
        #expect(result.status == 0)
        #expect(try json(result.stdout)["appended"] as? Int == 2)
        #expect(try String(contentsOfFile: rejects, encoding: .utf8) == "garbage\n")
    }
}
