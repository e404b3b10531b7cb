import Foundation
import Testing

@Suite("plaint events")
struct EventsCommandTests {
    let scratch = Scratch()
    var plaint: Plaint { Plaint(store: scratch.path("store")) }

    func load() throws {
        let result = try plaint.run(
            ["append"],
            stdin: Events.lines(
                Events.complaint("a", case: "k1", customer: "u1", brand: "b1"),
                Events.complaint("b", case: "k2", customer: "u2", brand: "b1"),
                Events.reply("c", case: "k1", customer: "u1", brand: "b1"),
                Events.complaint("d", case: "k3", customer: "u1", brand: "b2"),
                Events.reply("e", case: "k3", customer: "u1", brand: "b2", kind: "redirect")))
        #expect(result.status == 0)
    }

    func ids(_ arguments: [String]) throws -> [String] {
        let result = try plaint.run(["events"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return try result.lines.map { try json($0)["id"] as! String }
    }

    @Test func printsTheEventWithStoreFields() throws {
        try load()
        let first = try json(try plaint.run(["events", "--limit", "1"]).stdout)
        #expect(first["position"] as? Int == 1)
        #expect(first["version"] as? Int == 1)
        #expect((first["hash"] as? String)?.count == 64)
        #expect((first["recorded_at"] as? String)?.hasSuffix("Z") == true)
        #expect(first["occurred_at"] as? String == "2024-03-01T09:15:00Z")
        #expect((first["data"] as? [String: Any])?["text"] as? String == "slow line")
    }

    @Test func filtersCombine() throws {
        try load()
        #expect(try ids([]) == ["a", "b", "c", "d", "e"])
        #expect(try ids(["--case", "k1"]) == ["a", "c"])
        #expect(try ids(["--customer", "u1"]) == ["a", "c", "d", "e"])
        #expect(try ids(["--brand", "b1", "--type", "brand.replied"]) == ["c"])
        #expect(try ids(["--customer", "u1", "--brand", "b2"]) == ["d", "e"])
        #expect(try ids(["--from-position", "3"]) == ["c", "d", "e"])
        #expect(try ids(["--customer", "u1", "--from-position", "4", "--limit", "1"]) == ["d"])
        #expect(try ids(["--brand", "b1", "--brand", "b2", "--type", "complaint.filed"]) == ["a", "b", "d"])
        #expect(try plaint.run(["events", "--case", "nobody"]).status == 67)
    }

    @Test func exportedEventsReappendAsDuplicates() throws {
        try load()
        let exported = try plaint.run(["events"]).stdout
        let again = try plaint.run(["append", "--json"], stdin: exported)
        #expect(try json(again.stdout)["duplicates"] as? Int == 5)
        let copy = Plaint(store: scratch.path("copy"))
        #expect(try copy.run(["append"], stdin: exported).status == 0)
        #expect(try copy.run(["head"]).stdout == (try plaint.run(["head"]).stdout))
    }

    @Test func unknownTypeIsAUsageError() throws {
        try load()
        let result = try plaint.run(["events", "--type", "complaint"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("unknown event type 'complaint'"))
    }

    @Test func missingStoreExits66WithOneLine() throws {
        let result = try plaint.run(["events"])
        #expect(result.status == 66)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("no plaint store at"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("store")))
    }

    @Test func aClosedPipeEndsQuietly() throws {
        let lines = (0..<20_000).map { Events.complaint("e\($0)", case: "c\($0 % 100)") }
        try plaint.run(["append"], stdin: lines.joined(separator: "\n"))
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/bash")
        shell.arguments = [
            "-c",
            "'\(Plaint.executable.path)' events --store '\(plaint.store)' | head -n 1 >/dev/null; echo ${PIPESTATUS[0]}",
        ]
        let output = Pipe()
        let errors = Pipe()
        shell.standardOutput = output
        shell.standardError = errors
        try shell.run()
        shell.waitUntilExit()
        #expect(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "0\n")
        #expect(errors.fileHandleForReading.readDataToEndOfFile().isEmpty)
    }

    @Test func followPrintsNewEventsAndExitsCleanlyOnSIGINT() throws {
        try plaint.run(["append"], stdin: Events.complaint("a"))
        let (process, _, output, _) = try plaint.start(["events", "--follow", "--case", "case-1"])
        usleep(300_000)
        try plaint.run(["append"], stdin: Events.lines(Events.reply("b"), Events.complaint("other", case: "zzz")))
        var received = ""
        let descriptor = output.fileHandleForReading.fileDescriptor
        _ = fcntl(descriptor, F_SETFL, O_NONBLOCK)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        for _ in 0..<50 where received.components(separatedBy: "\n").count < 3 {
            usleep(100_000)
            let count = read(descriptor, &buffer, buffer.count)
            if count > 0 { received += String(decoding: buffer[..<count], as: UTF8.self) }
        }
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let ids = try received.split(separator: "\n").map { try json(String($0))["id"] as! String }
        #expect(ids == ["a", "b"])
    }
}
