import Foundation
import Testing

@Suite("plaint head, verify, stats, backup")
struct LogCommandsTests {
    let scratch = Scratch()
    var plaint: Plaint { Plaint(store: scratch.path("store")) }

    func load(_ count: Int = 40) throws {
        let lines = (1...count).map { Events.complaint("e\($0)", case: "c\($0 % 9)", text: "marker-\($0 + 1000)") }
        #expect(try plaint.run(["append"], stdin: lines.joined(separator: "\n")).status == 0)
    }

    @Test func headOfAnEmptyAndAFilledStore() throws {
        try plaint.run(["append"], stdin: "")
        let empty = try json(try plaint.run(["head", "--json"]).stdout)
        #expect(empty["position"] as? Int == 0)
        #expect(empty["hash"] as? String == String(repeating: "0", count: 64))
        try load(3)
        let head = try json(try plaint.run(["head", "--json"]).stdout)
        let last = try json(try plaint.run(["events", "--from-position", "3"]).stdout)
        #expect(head["position"] as? Int == 3)
        #expect(head["hash"] as? String == last["hash"] as? String)
        #expect(try plaint.run(["head"]).stdout == "position 3\nhash \(last["hash"] as! String)\n")
    }

    @Test func verifyReportsAnIntactStore() throws {
        try load()
        let result = try plaint.run(["verify", "--json"])
        #expect(result.status == 0)
        let report = try json(result.stdout)
        #expect(report["ok"] as? Bool == true)
        #expect(report["verified_through"] as? Int == 40)
        #expect(report["first_bad_position"] is NSNull)
    }

    @Test func verifyNamesTheFirstCorruptPositionAndExits74() throws {
        try load()
        let file = scratch.path("store") + "/data.mdb"
        #expect(try corrupt(file, marker: "marker-1023", byteAt: 7, to: "9") >= 1)
        let result = try plaint.run(["verify"])
        #expect(result.status == 74)
        #expect(result.stdout.hasPrefix("FAILED at position 23: hash mismatch"))
        let report = try json(try plaint.run(["verify", "--json"]).stdout)
        #expect(report["first_bad_position"] as? Int == 23)
        #expect(report["verified_through"] as? Int == 22)
    }

    @Test func statsCountsAndSizes() throws {
        try load()
        let stats = try json(try plaint.run(["stats", "--json"]).stdout)
        #expect(stats["format_version"] as? Int == 2)
        #expect(stats["events"] as? Int == 40)
        #expect(stats["cases"] as? Int == 9)
        #expect(stats["customers"] as? Int == 1)
        #expect((stats["events_by_type"] as? [String: Int]) == ["complaint.filed": 40])
        #expect((stats["file_bytes"] as? Int ?? 0) > 0)
        #expect(try plaint.run(["stats"]).stdout.contains("format version          2"))
    }

    @Test func backupIsAVerifiedCopyWithTheSameHead() throws {
        try load()
        let destination = scratch.path("backup")
        let result = try plaint.run(["backup", destination, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let copied = try json(result.stdout)
        let head = try json(try plaint.run(["head", "--json"]).stdout)
        #expect(copied["position"] as? Int == head["position"] as? Int)
        #expect(copied["hash"] as? String == head["hash"] as? String)
        let copy = Plaint(store: destination)
        #expect(try copy.run(["verify"]).status == 0)
        #expect(try copy.run(["events"]).stdout == (try plaint.run(["events"]).stdout))
        #expect(try plaint.run(["backup", destination]).status != 0, "an existing backup is not overwritten")
    }

    /// A backup of a damaged store is kept (it is what can be saved) but is not reported as good.
    @Test func backupOfADamagedStoreExits74AndKeepsTheCopy() throws {
        try load()
        #expect(try corrupt(scratch.path("store") + "/data.mdb", marker: "marker-1023", byteAt: 7, to: "9") >= 1)
        let destination = scratch.path("damaged-backup")
        let result = try plaint.run(["backup", destination])
        #expect(result.status == 74)
        #expect(result.stderr.contains("position 23: hash mismatch"), "\(result.stderr)")
        #expect(result.stderr.contains("the copy in \(destination) holds this damage"))
        #expect(FileManager.default.fileExists(atPath: destination + "/data.mdb"))
    }

    @Test func backupWhileAppendsContinue() throws {
        try load(10)
        let lines = (0..<30_000).map { Events.complaint("bulk\($0)", case: "b\($0 % 500)") }
        let input = try scratch.write("bulk.ndjson", lines.joined(separator: "\n"))
        let (writer, _, _, _) = try plaint.start(["append", "--stream", "--commit-every", "500", input])
        usleep(200_000)
        let destination = scratch.path("backup")
        let result = try plaint.run(["backup", destination, "--json"])
        writer.waitUntilExit()
        #expect(result.status == 0)
        let copied = try json(result.stdout)
        let position = copied["position"] as! Int
        let source = try json(try plaint.run(["events", "--from-position", "\(position)", "--limit", "1"]).stdout)
        #expect(
            source["hash"] as? String == copied["hash"] as? String,
            "the copy's head is the source's record at that position")
        #expect(try Plaint(store: destination).run(["verify"]).status == 0)
    }

    @Test func readCommandsOnAMissingStoreExit66() throws {
        for command in [["head"], ["verify"], ["stats"], ["events"], ["backup", scratch.path("b")]] {
            let result = try plaint.run(command)
            #expect(result.status == 66, "\(command)")
            #expect(result.stderr.hasPrefix("plaint: no plaint store at"), "\(command)")
        }
    }

    @Test func storeComesFromTheEnvironmentWhenNoFlagIsGiven() throws {
        try load(2)
        let process = Process()
        process.executableURL = Plaint.executable
        process.arguments = ["head", "--json"]
        process.environment = ["PLAINT_STORE": plaint.store]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let head = try json(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        #expect(head["position"] as? Int == 2)
    }
}
