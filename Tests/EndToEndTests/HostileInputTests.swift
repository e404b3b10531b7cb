import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// What a careful adversary types or stores: control characters meant for a terminal, numbers a
/// double cannot hold, times that leave the valid range in UTC, outputs that cannot be written,
/// and commands pointed at stores that do not exist. Each through the binary.
@Suite("hostile input")
struct HostileInputTests {
    let scratch = Scratch()
    var plaint: Plaint { Plaint(store: scratch.path("store")) }

    static func event(id: String = "e1", at time: String = "2024-03-04T09:00:00Z", data: String = "{}") -> String {
        #"{"id":"\#(id)","type":"complaint.filed","occurred_at":"\#(time)","case":"c1","customer":"u1","brand":"acme","channel":"twitter","data":\#(data)}"#
    }

    /// The event object is level 1 and `data` level 2: 62 nested lists inside `data` reach the
    /// 64-level limit, one more is refused naming the line, and nothing is appended.
    @Test func nestingBeyond64LevelsIsRefused() throws {
        func nested(_ lists: Int) -> String {
            Self.event(
                id: "deep\(lists)",
                data: #"{"text":"x","n":"# + String(repeating: "[", count: lists)
                    + String(repeating: "]", count: lists) + "}")
        }
        let deepest = try plaint.run(["append"], stdin: nested(62) + "\n")
        #expect(deepest.status == 0, "\(deepest.stderr)")
        let tooDeep = try plaint.run(["append"], stdin: nested(63) + "\n")
        #expect(tooDeep.status == 65)
        #expect(tooDeep.stderr.contains("<stdin>:1") && tooDeep.stderr.contains("64"), "\(tooDeep.stderr)")
        #expect(try json(try plaint.run(["head", "--json"]).stdout)["position"] as? Int == 1)
    }

    /// Runs a shell command line (for redirections plaint's runner cannot make) and returns its
    /// exit status and standard error.
    func shell(_ command: String) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    // MARK: Control characters

    static let hostileText = #"\u001b]0;PWNED\u0007\u001b[2J \u0085 \u009b31m \u202egnp.exe \ufffe\uffff"#

    @Test func controlCharactersAreEscapedInEveryHumanOutput() throws {
        let lines = [
            Self.event(data: #"{"text":"\#(Self.hostileText)"}"#),
            #"{"id":"e2","type":"brand.replied","occurred_at":"2024-03-04T10:00:00Z","case":"c1","customer":"u1","brand":"acme","channel":"twitter","data":{"kind":"answer","agent":"\u202eevil","text":"\u009b2J"}}"#,
        ]
        #expect(try plaint.run(["append"], stdin: lines.joined(separator: "\n") + "\n").status == 0)
        let raw: [Character] = ["\u{1B}", "\u{07}", "\u{85}", "\u{9B}", "\u{202E}", "\u{FFFE}", "\u{FFFF}"]
        let journey = try plaint.run(["journey", "c1"]).stdout
        for character in raw { #expect(!journey.contains(character), "journey: \(character.unicodeScalars.first!)") }
        #expect(journey.contains(#"\u001b]0;PWNED\u0007"#))
        let markdown = try plaint.run(["audit", "acme"])
        #expect(markdown.status == 0)
        for character in raw { #expect(!markdown.stdout.contains(character)) }
        let html = try plaint.run(["audit", "acme", "--format", "html"]).stdout
        for character in raw { #expect(!html.contains(character)) }
        #expect(XMLParser(data: Data(html.utf8)).parse(), "the page stays well-formed XML")
        let written = scratch.path("audit.html")
        #expect(try plaint.run(["audit", "acme", "--format", "html", "--output", written]).status == 0)
        #expect(XMLParser(contentsOf: URL(fileURLWithPath: written))!.parse())
        // JSON keeps its meaning: the escapes are JSON's own.
        let journeyJSON = try json(try plaint.run(["journey", "c1", "--json"]).stdout)
        let events = journeyJSON["events"] as! [[String: Any]]
        #expect((events[0]["text"] as! String).contains("\u{1B}]0;PWNED\u{07}"))
        // The stored event keeps its bytes: `events` prints them exactly as stored.
        let stored = try plaint.run(["events", "--case", "c1"]).stdout
        #expect(stored.contains(#"\u001b]0;PWNED\u0007\u001b[2J"#))
        #expect(stored.contains("\u{202E}gnp.exe"))
    }

    @Test func anUnknownBrandTypedWithControlCharactersIsEchoedEscaped() throws {
        #expect(try plaint.run(["append"], stdin: Self.event() + "\n").status == 0)
        let result = try plaint.run(["audit", "x\u{1B}[2Jy\u{202E}"])
        #expect(result.status == 67)
        #expect(!result.stderr.contains("\u{1B}") && !result.stderr.contains("\u{202E}"))
        #expect(result.stderr.contains(#"x\u001b[2Jy\u202e"#))
    }

    // MARK: Numbers

    @Test(
        "numbers a double cannot hold exactly are refused, naming the field",
        arguments: [
            (#"{"n":1e400}"#, "data.n"), (#"{"n":-1e400}"#, "data.n"),
            (#"{"list":[1,{"deep":"# + String(repeating: "9", count: 400) + "}]}", "data.list[1].deep"),
            (#"{"n":9007199254740993}"#, "data.n"), (#"{"n":-9007199254740993}"#, "data.n"),
            (#"{"n":1"# + String(repeating: "0", count: 400) + ".5}", "data.n"),
            // Beyond 2^53 however written, as long as the canonical form would print plain digits.
            (#"{"n":1e20}"#, "data.n"), (#"{"n":12345678901234567890.5}"#, "data.n"),
            // Not zero as written, zero as a double.
            (#"{"n":1e-400}"#, "data.n"),
        ])
    func inexactNumbers(data: String, field: String) throws {
        let result = try plaint.run(["append"], stdin: Self.event(data: data) + "\n")
        #expect(result.status == 65)
        #expect(result.stderr.contains(#"<stdin>:1: field "\#(field)""#), "\(result.stderr)")
        #expect(try plaint.run(["events"]).stdout.isEmpty, "nothing was written")
    }

    @Test func numbersADoubleHoldsAreKept() throws {
        let data = #"{"a":9007199254740992,"b":-9007199254740992,"c":1.5e300,"d":1e21,"e":0e5,"f":0.1}"#
        let result = try plaint.run(["append"], stdin: Self.event(data: data) + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        let stored = try plaint.run(["events"]).stdout
        #expect(stored.contains(#""a":9007199254740992"#) && stored.contains(#""c":1.5e+300"#))
        #expect(stored.contains(#""d":1e+21"#) && stored.contains(#""e":0"#))
        // What append accepted, verify accepts, and the printed events append again.
        #expect(try plaint.run(["verify"]).status == 0)
        #expect(try Plaint(store: scratch.path("again")).run(["append"], stdin: stored).status == 0)
    }

    @Test func aRetriedIdWithAnotherHugeNumberIsNotADuplicate() throws {
        #expect(try plaint.run(["append"], stdin: Self.event(data: #"{"n":1}"#) + "\n").status == 0)
        let result = try plaint.run(["append", "--json"], stdin: Self.event(data: #"{"n":2e400}"#) + "\n")
        #expect(result.status == 65)
    }

    // MARK: Times

    @Test(
        "a time whose UTC value leaves 1900-2999 is refused",
        arguments: ["1900-01-01T00:30:00+00:45", "2999-12-31T23:59:59-23:59", "1900-01-01T23:59:59+00:01"])
    func outOfRangeInUTC(time: String) throws {
        let result = try plaint.run(["append"], stdin: Self.event(at: time) + "\n")
        #expect(result.status == 65)
        #expect(result.stderr.contains(#"field "occurred_at""#) && result.stderr.contains("in UTC too"))
    }

    @Test func whatIsAcceptedVerifiesAndReappends() throws {
        let lines = [
            Self.event(id: "a", at: "1900-01-01T00:30:00-05:00"), Self.event(id: "b", at: "2999-12-31T00:00:00+05:00"),
            Self.event(id: "c", at: "1900-01-01T00:00:00+00:00"), Self.event(id: "d", at: "2999-12-31T23:59:59-00:00"),
        ]
        #expect(try plaint.run(["append"], stdin: lines.joined(separator: "\n") + "\n").status == 0)
        #expect(try plaint.run(["verify"]).status == 0)
        let printed = try plaint.run(["events"]).stdout
        let copy = Plaint(store: scratch.path("copy"))
        let again = try copy.run(["append", "--json"], stdin: printed)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try json(again.stdout)["appended"] as? Int == 4)
        #expect(try plaint.run(["append", "--json"], stdin: printed).stdout.contains(#""duplicates":4"#))
    }

    // MARK: Long lines

    /// Lines 1, 2 and 4 good; line 3 over the 1 MiB limit (a valid event but for its length).
    func longLineInput() throws -> (path: String, long: String) {
        let long = Self.event(id: "long", data: #"{"text":"\#(String(repeating: "x", count: 1 << 21))"}"#)
        let lines = [Self.event(id: "a"), Self.event(id: "b"), long, Self.event(id: "d")]
        let path = scratch.path("long.ndjson")
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return (path, long)
    }

    @Test(arguments: [[], ["--stream"]])
    func aLineOverTheLimitGoesToTheRejectsFile(_ mode: [String]) throws {
        let (input, long) = try longLineInput()
        let rejects = scratch.path("rejects.ndjson")
        let result = try plaint.run(["append", "--json", "--rejects", rejects] + mode + [input])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try json(result.stdout)["appended"] as? Int == 3)
        #expect(try String(contentsOfFile: rejects, encoding: .utf8) == long + "\n", "the line verbatim")
        #expect(result.stderr.contains("long.ndjson:3: line longer than 1048576 bytes"))
    }

    @Test func aLineOverTheLimitStopsAStreamAfterTheLinesBeforeIt() throws {
        let (input, _) = try longLineInput()
        let result = try plaint.run(["append", "--stream", input])
        #expect(result.status == 65)
        #expect(result.stderr.contains("long.ndjson:3: line longer than 1048576 bytes"), "\(result.stderr)")
        #expect(result.stderr.contains("lines before it were committed"))
        #expect(try plaint.run(["events"]).lines.count == 2)
    }

    @Test func aLineOverTheLimitRejectsACheckedInputWhole() throws {
        let (input, _) = try longLineInput()
        let result = try plaint.run(["append", input])
        #expect(result.status == 65)
        #expect(result.stderr.contains("long.ndjson:3: line longer than 1048576 bytes"), "\(result.stderr)")
        #expect(try plaint.run(["events"]).stdout.isEmpty)
    }

    // MARK: recorded_at

    /// Three events appended one by one, then `change` applied to the stored `recorded_at` of
    /// the event of case `case` (its 8 bytes, big-endian, sit 48 bytes before the event's JSON).
    func damageRecordedAt(ofCase caseID: String, _ change: (inout [UInt8]) -> Void) throws {
        for index in 1...3 {
            let line =
                #"{"id":"e\#(index)","type":"complaint.filed","occurred_at":"2024-03-04T09:00:00Z","case":"k\#(index)","customer":"u1","brand":"acme","channel":"twitter"}"#
            #expect(try plaint.run(["append"], stdin: line + "\n").status == 0)
            usleep(2_000)
        }
        let file = URL(fileURLWithPath: scratch.path("store/data.mdb"))
        var bytes = [UInt8](try Data(contentsOf: file))
        let marker = Array(#"{"brand":"acme","case":"\#(caseID)""#.utf8)
        let start = try #require(
            bytes.indices.first { $0 >= 49 && bytes[$0 - 49] == 1 && bytes[$0...].starts(with: marker) }, "the record")
        var recordedAt = Array(bytes[start - 48..<start - 40])
        change(&recordedAt)
        bytes.replaceSubrange(start - 48..<start - 40, with: recordedAt)
        try Data(bytes).write(to: file)
    }

    @Test func aRecordedAtOutOfRangeFailsVerifyAndNoCommandDies() throws {
        try damageRecordedAt(ofCase: "k2") { $0[0] = 0x80 }
        let verify = try plaint.run(["verify"])
        #expect(verify.status == 74)
        #expect(
            verify.stdout.contains("FAILED at position 2: recorded_at") && verify.stdout.contains("outside 1970-2999"))
        let events = try plaint.run(["events"])
        #expect(events.status == 74, "exit \(events.status): \(events.stderr)")
        #expect(events.stderr.contains("corrupt record at position 2"))
        let stats = try plaint.run(["stats"])
        #expect([0, 74].contains(stats.status), "an exit, not a signal: \(stats.status)")
    }

    @Test func aRecordedAtMovedLaterThanTheNextFailsVerify() throws {
        try damageRecordedAt(ofCase: "k1") { $0[3] &+= 1 }
        let verify = try plaint.run(["verify"])
        #expect(verify.status == 74)
        #expect(
            verify.stdout.contains("FAILED at position 2: recorded_at")
                && verify.stdout.contains("earlier than the record before it"))
    }

    @Test func eventsFollowEndsWhenItsReaderGoesAway() throws {
        #expect(try plaint.run(["append"], stdin: Self.event() + "\n").status == 0)
        let command = [Plaint.executable.path, "events", "--follow", "--store", scratch.path("store")]
            .map { "'\($0)'" }.joined(separator: " ")
        let started = Date()
        let result = try shell("timeout 10 " + command + " | head -1 > /dev/null")
        #expect(result.status == 0)
        #expect(Date().timeIntervalSince(started) < 5, "it ended without waiting for another append")
    }

    // MARK: Output that cannot be written, stores that do not exist

    @Test(arguments: [["head", "--json"], ["head"], ["responsiveness", "--json"], ["stats"], ["journey", "c1"]])
    func aFullDiskOnStandardOutputIsExit74(_ arguments: [String]) throws {
        #expect(try plaint.run(["append"], stdin: Self.event() + "\n").status == 0)
        let command = ([Plaint.executable.path] + arguments + ["--store", scratch.path("store")])
            .map { "'\($0)'" }.joined(separator: " ")
        let result = try shell(command + " > /dev/full")
        #expect(result.status == 74, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains("No space left on device"))
    }

    /// Help and the version are output too: on a full disk they fail like any other.
    @Test(arguments: [["--help"], ["append", "--help"], ["--version"]])
    func helpOnAFullDiskIsExit74(_ arguments: [String]) throws {
        let command = ([Plaint.executable.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let result = try shell(command + " > /dev/full")
        #expect(result.status == 74, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains("No space left on device"))
        #expect(try shell(command + " > /dev/null").status == 0)
    }

    @Test func aDirectoryThatIsNotAStoreIsLeftAsItWas() throws {
        let directory = scratch.path("not-a-store")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: 16_384).write(to: URL(fileURLWithPath: directory + "/data.mdb"))
        for command in [["head"], ["events"], ["verify"], ["stats"]] {
            let result = try Plaint(store: directory).run(command)
            #expect(result.status == 66, "\(command): \(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["data.mdb"])
    }

    /// As root, runs `head` as the unprivileged user `nobody` on a store it may read but not
    /// write: plaint says why it cannot read it.
    @Test(
        .enabled(
            if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser"),
            "needs root and runuser to read a store as another user"))
    func aStoreTheUserCannotWriteIsRefusedSayingWhy() throws {
        #expect(try plaint.run(["append"], stdin: Self.event() + "\n").status == 0)
        let command = [
            "/usr/sbin/runuser", "-u", "nobody", "--", Plaint.executable.path, "head", "--store", scratch.path("store"),
        ]
        .map { "'\($0)'" }.joined(separator: " ")
        let result = try shell(command)
        #expect(result.status == 66, "\(result.stderr)")
        #expect(result.stderr.contains("needs write access to lock.mdb"), "\(result.stderr)")
    }

    @Test func replayOfAMissingStoreCreatesNothing() throws {
        let missing = scratch.path("nothing-here")
        let result = try Plaint(store: missing).run(["replay"])
        #expect(result.status == 66)
        #expect(!FileManager.default.fileExists(atPath: missing))
    }
}
