import Foundation
import Testing

/// Tables on a terminal narrower than the table leave out their least needed columns and say
/// which; `--wide` and piped output keep every column. A real pseudo-terminal of a given width
/// comes from util-linux's `script`.
@Suite("tables fit the terminal")
struct TerminalWidthTests {
    let scratch = Scratch()
    var plaint: Plaint { Plaint(store: scratch.path("store")) }

    func load() throws {
        #expect(try plaint.run(["append"], stdin: Fixture.answerFirst + "\n").status == 0)
        #expect(try plaint.run(["append"], stdin: Fixture.rest.joined(separator: "\n") + "\n").status == 0)
    }

    /// The command's output on a terminal `columns` wide, line ends as the terminal gives them.
    func onTerminal(_ arguments: [String], columns: Int) throws -> [String] {
        try PseudoTerminal.output(arguments + ["--store", scratch.path("store")], columns: columns)
            .replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The lines of the table that starts with a heading line beginning with `heading`.
    func table(_ lines: [String], heading: String) -> [String] {
        guard let start = lines.firstIndex(where: { $0.hasPrefix(heading) }) else { return [] }
        return Array(lines[start...].prefix { !$0.isEmpty && !$0.hasPrefix("columns left out") })
    }

    @Test func responsivenessLeavesOutColumnsAndSaysWhich() throws {
        try load()
        let arguments = ["responsiveness", "--min-requests", "1"]
        let narrow = try onTerminal(arguments, columns: 80)
        let rows = table(narrow, heading: "#  brand")
        #expect(rows.count == 3, "\(narrow)")
        for row in rows { #expect(row.count <= 80, "\(row)") }
        let note = try #require(narrow.first { $0.hasPrefix("columns left out to fit the terminal: ") })
        #expect(note.contains("sources") && note.hasSuffix("(--wide shows them)"))
        // What stays: the brand, its rate with the interval, the verdict.
        #expect(rows[0].contains("rate@H") && rows[0].contains("devoted"))
        #expect(!rows[0].contains("sources"))

        let wide = try onTerminal(arguments + ["--wide"], columns: 80)
        #expect(table(wide, heading: "#  brand")[0].contains("sources"))
        #expect(!wide.contains { $0.hasPrefix("columns left out") })
        let piped = try plaint.run(arguments)
        #expect(piped.stdout.contains("sources") && !piped.stdout.contains("columns left out"))
        // Wide enough: nothing is left out.
        #expect(!(try onTerminal(arguments, columns: 400)).contains { $0.hasPrefix("columns left out") })
    }

    @Test func listingsFitToo() throws {
        try load()
        for (arguments, heading) in [
            (["cases"], "case "), (["brands"], "brand "), (["loyalty", "--brand", "fastco", "--all"], "customer "),
        ] {
            let lines = try onTerminal(arguments, columns: 64)
            let rows = table(lines, heading: heading)
            #expect(!rows.isEmpty, "\(arguments): \(lines)")
            for row in rows { #expect(row.count <= 64, "\(arguments): \(row)") }
            #expect(lines.contains { $0.hasPrefix("columns left out to fit the terminal: ") }, "\(arguments)")
            #expect(lines.contains { $0.hasPrefix("plaint ") }, "\(arguments): the footer names the version")
        }
    }
}

/// Commands that can run for seconds show a progress line on a terminal, and never in a pipe.
@Suite("progress on a terminal")
struct ProgressLineTests {
    let scratch = Scratch()
    var plaint: Plaint { Plaint(store: scratch.path("store")) }

    /// The command's output on a terminal, progress redraws split into lines.
    func onTerminal(_ arguments: [String]) throws -> [String] {
        try PseudoTerminal.output(arguments).split(whereSeparator: { $0 == "\r" || $0 == "\n" })
            .map { $0.replacingOccurrences(of: "\u{1B}[K", with: "") }
    }

    @Test func appendVerifyAndAuditShowWhereTheyAre() throws {
        let events = (1...3000).map { number in
            Events.complaint("c\(number)", case: "case-\(number)", customer: "u\(number % 97)")
        }
        let file = try scratch.write("events.ndjson", events.joined(separator: "\n") + "\n")
        let store: String = scratch.path("store")
        let append = try onTerminal(["append", "--store", store, file])
        let checking = try #require(append.first { $0.hasPrefix("checking: ") })
        // The file's size is known: progress in megabytes of it.
        #expect(checking.contains(" MB ("), "\(checking)")
        #expect(append.contains { $0.hasPrefix("writing: ") && $0.contains("/3000 events") }, "\(append)")
        #expect(append.contains { $0.hasPrefix("appended 3000 events") })
        let verify = try onTerminal(["verify", "--store", store])
        #expect(verify.contains { $0.hasPrefix("verify: ") && $0.contains("/3000 events") }, "\(verify)")
        let audit = try onTerminal(["audit", "acme", "--store", store, "--verify", "full"])
        #expect(audit.contains { $0.hasPrefix("verify: ") }, "\(audit.prefix(5))")
        // From a pipe nothing but the summary: scripts see no progress.
        let piped = try plaint.run(["append", file])
        #expect(piped.status == 0)
        #expect(!piped.stderr.contains("checking") && !piped.stdout.contains("checking"))
    }

    @Test func importShowsItsPasses() throws {
        let lines = try onTerminal([
            "import", "twcs", "--store", scratch.path("store"),
            Plaint.packageRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/twcs/threads.csv").path,
        ])
        #expect(lines.contains { $0.hasPrefix("reading threads: ") && $0.contains(" MB (") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("converting: ") }, "\(lines)")
        #expect(!lines.contains { $0.contains(" 0s left") })
    }
}

/// Runs plaint on a real pseudo-terminal (util-linux `script`), as a user at a terminal would.
enum PseudoTerminal {
    /// Everything the command wrote to the terminal; `columns` sets the terminal's width.
    static func output(_ arguments: [String], columns: Int? = nil) throws -> String {
        let command = ([Plaint.executable.path] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", (columns.map { "stty cols \($0); " } ?? "") + command, "/dev/null"]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }
}
