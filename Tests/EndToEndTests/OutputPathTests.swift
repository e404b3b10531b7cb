import Foundation
import Testing

/// Paths plaint writes can never destroy data: an output that is an input, lies inside a store,
/// is a link, a device or a FIFO is refused with exit 64 before anything is read or written; a
/// damaged data file is refused with exit 74, never a signal and never a new log.
@Suite("output paths and damaged data files")
struct OutputPathTests {
    let scratch = Scratch()
    var plaint: Plaint { Plaint(store: scratch.path("store")) }

    static let good =
        #"{"id":"e1","type":"complaint.filed","occurred_at":"2024-03-04T09:00:00Z","case":"c1","customer":"u1","brand":"acme","channel":"twitter"}"#
    static let bad = #"{"id":"e2","type":"complaint.filed"}"#

    func load() throws {
        #expect(try plaint.run(["append"], stdin: Self.good + "\n").status == 0)
    }

    func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    func shell(_ command: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func aRejectsFileThatIsTheInputIsRefusedAndTheInputKept() throws {
        let input = scratch.path("in.ndjson")
        try (Self.good + "\n" + Self.bad + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let before = contents(input)
        let result = try plaint.run(["append", "--rejects", input, input])
        #expect(result.status == 64)
        #expect(result.stderr.contains("is also an input of this command"))
        #expect(contents(input) == before)
        #expect(!FileManager.default.fileExists(atPath: scratch.path("store")), "nothing was opened or created")
        // The same file given as standard input.
        let quoted = [Plaint.executable.path, "append", "--store", scratch.path("store"), "--rejects", input]
            .map { "'\($0)'" }.joined(separator: " ")
        #expect(try shell(quoted + " < '\(input)'") == 64)
        #expect(contents(input) == before)
    }

    @Test func outputsInsideTheStoreAreRefusedAndTheStoreVerifies() throws {
        try load()
        let data = scratch.path("store/data.mdb")
        let input = scratch.path("in.ndjson")
        try (Self.bad + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        #expect(try plaint.run(["append", "--rejects", data, input]).status == 64)
        let audit = try plaint.run(["audit", "acme", "--output", data])
        #expect(audit.status == 64 && audit.stderr.contains("lies inside the store"))
        #expect(try plaint.run(["audit", "acme", "--output", scratch.path("store/report.md")]).status == 64)
        #expect(try plaint.run(["backup", scratch.path("store/copy")]).status == 64)
        #expect(try plaint.run(["backup", scratch.path("store")]).status == 64)
        #expect(try plaint.run(["verify"]).status == 0)
        #expect(try plaint.run(["head", "--json"]).stdout.contains(#""position":1"#))
    }

    @Test func linksDevicesAndFIFOsAreNeverWrittenThrough() throws {
        try load()
        let target = scratch.path("precious.txt")
        try "keep me\n".write(toFile: target, atomically: true, encoding: .utf8)
        let link = scratch.path("link.md")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let fifo = scratch.path("fifo")
        #expect(mkfifo(fifo, 0o644) == 0)
        for path in [link, fifo, "/dev/null", scratch.path("")] {
            let result = try plaint.run(["audit", "acme", "--output", path])
            #expect(result.status == 64, "\(path): \(result.stderr)")
        }
        let input = scratch.path("in.ndjson")
        try (Self.bad + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        #expect(try plaint.run(["append", "--rejects", link, input]).status == 64)
        #expect(String(decoding: contents(target) ?? Data(), as: UTF8.self) == "keep me\n")
        var status = stat()
        #expect(lstat(link, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK, "the link is still a link")
        #expect(lstat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
    }

    /// The temporary file a report is written through is made new: a link planted under its
    /// name (the writer's pid is known to whoever starts it) is never followed.
    @Test func aLinkPlantedAsTheTemporaryFileIsNotFollowed() throws {
        try load()
        let target = scratch.path("victim.txt")
        try "keep me\n".write(toFile: target, atomically: true, encoding: .utf8)
        let output = scratch.path("out.md")
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        // `exec` keeps the shell's pid, so the link has the name the report's writer tries first.
        shell.arguments = [
            "-c", "ln -s \"$1\" \"$2.partial-$$-0\" && exec \"$3\" audit acme --store \"$4\" --output \"$2\"", "sh",
            target, output, Plaint.executable.path, plaint.store,
        ]
        try shell.run()
        shell.waitUntilExit()
        #expect(shell.terminationStatus == 0)
        #expect(String(decoding: contents(target) ?? Data(), as: UTF8.self) == "keep me\n")
        var status = stat()
        #expect(lstat(output, &status) == 0 && status.st_mode & S_IFMT == S_IFREG, "the report is a file of its own")
        #expect(String(decoding: contents(output) ?? Data(), as: UTF8.self).hasPrefix("# Audit of acme"))
    }

    @Test func aBackupOntoAFileIsRefused() throws {
        try load()
        let file = scratch.path("not-a-directory")
        try "keep me\n".write(toFile: file, atomically: true, encoding: .utf8)
        for destination in [file, "/dev/null"] {
            let result = try plaint.run(["backup", destination])
            #expect(result.status == 64, "\(destination): \(result.stderr)")
        }
        #expect(String(decoding: contents(file) ?? Data(), as: UTF8.self) == "keep me\n")
    }

    @Test func aRejectsFileIsWrittenWholeAndNothingElseIsLeft() throws {
        let input = scratch.path("in.ndjson")
        try (Self.good + "\n" + Self.bad + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let rejects = scratch.path("rejects.ndjson")
        try "an older rejects file\n".write(toFile: rejects, atomically: true, encoding: .utf8)
        let result = try plaint.run(["append", "--rejects", rejects, input])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(String(decoding: contents(rejects) ?? Data(), as: UTF8.self) == Self.bad + "\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path("")).filter {
            $0.contains("partial")
        }
        #expect(leftovers.isEmpty)
    }

    /// Every command a user may point at a damaged store.
    static let commands: [[String]] = [
        ["head"], ["events"], ["verify"], ["stats"], ["journey", "c1"], ["responsiveness"], ["audit", "acme"],
        ["loyalty", "--brand", "acme"], ["replay"], ["backup", "BACKUP"], ["append"],
    ]

    func expectRefused(_ reason: String) throws {
        for command in Self.commands {
            let arguments = command.map { $0 == "BACKUP" ? scratch.path("backup-\(UUID().uuidString)") : $0 }
            let result = try plaint.run(arguments, stdin: command == ["append"] ? Self.good + "\n" : nil)
            #expect(result.status == 74, "\(command): \(result.status) \(result.stderr)")
            #expect(
                result.stderr.contains("data.mdb") && result.stderr.contains(reason), "\(command): \(result.stderr)")
        }
    }

    /// A store of 400 events of some 200 bytes each, so several pages; its data file and size.
    func loadSeveralPages() throws -> (data: String, size: Int) {
        var lines: [String] = []
        for index in 0..<400 {
            lines.append(
                #"{"id":"e\#(index)","type":"complaint.filed","occurred_at":"2024-03-04T09:00:00Z","case":"c\#(index)","customer":"u1","brand":"acme","channel":"twitter","data":{"text":"\#(String(repeating: "x", count: 200))"}}"#
            )
        }
        #expect(try plaint.run(["append"], stdin: lines.joined(separator: "\n") + "\n").status == 0)
        let data = scratch.path("store/data.mdb")
        return (data, try FileManager.default.attributesOfItem(atPath: data)[.size] as! Int)
    }

    /// A store of several pages, then cut to `size` bytes (negative: that many bytes less than
    /// half of it, so never a whole number of pages).
    @Test(arguments: [8191, -1, -4095])
    func aTruncatedDataFileIsRefusedByEveryCommand(size: Int) throws {
        let (data, full) = try loadSeveralPages()
        #expect(truncate(data, off_t(size < 0 ? full / 2 + size : size)) == 0)
        try expectRefused("not a whole number of 4096-byte pages")
    }

    /// Cut at a page boundary, short of the pages in use (by one page, or by half of them),
    /// the file is refused by every command, `append` included, naming the file and both sizes.
    @Test(arguments: [1, 2])
    func aDataFileCutShortOfItsPagesIsRefusedByEveryCommand(cut: Int) throws {
        let (data, _) = try loadSeveralPages()
        let used = try json(try plaint.run(["stats", "--json"]).stdout)["used_bytes"] as! Int
        let size = cut == 1 ? used - 4096 : used / 2 / 4096 * 4096
        #expect(truncate(data, off_t(size)) == 0)
        try expectRefused("shorter than the pages in use")
        // Refused, not repaired: no writer lengthened the file.
        #expect(try FileManager.default.attributesOfItem(atPath: data)[.size] as? Int == size)
    }

    @Test func anEmptyDataFileIsNeverANewLog() throws {
        try load()
        #expect(truncate(scratch.path("store/data.mdb"), 0) == 0)
        try expectRefused("the file is empty (0 bytes)")
        #expect(try FileManager.default.attributesOfItem(atPath: scratch.path("store/data.mdb"))[.size] as? Int == 0)
    }
}
