import Foundation
import Testing

/// Every command's `--help`, compared with a reviewed copy: a change to an option, a default or
/// a sentence of help shows up as a diff to read.
///
/// After an intended change: `PLAINT_UPDATE_GOLDEN=1 swift test --filter HelpGoldenTests`, then
/// review the diff of `Tests/EndToEndTests/Fixtures/golden/help`.
@Suite("golden --help")
struct HelpGoldenTests {
    static let golden = Plaint.packageRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/golden/help")
    static let commands = [
        [], ["append"], ["events"], ["head"], ["verify"], ["stats"], ["backup"], ["replay"], ["brands"], ["cases"],
        ["journey"], ["responsiveness"], ["loyalty"], ["audit"], ["import"], ["import", "twcs"],
    ]

    @Test(arguments: commands)
    func helpMatchesTheReviewedCopy(_ command: [String]) throws {
        let scratch = Scratch()
        // A fixed width: help is wrapped to the terminal, and to COLUMNS when there is none.
        let result = try Plaint(store: scratch.path("store")).run(command + ["--help"], environment: ["COLUMNS": "100"])
        #expect(result.status == 0, "\(result.stderr)")
        let file = Self.golden.appendingPathComponent((["plaint"] + command).joined(separator: "-") + ".txt")
        if ProcessInfo.processInfo.environment["PLAINT_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.golden, withIntermediateDirectories: true)
            try result.stdout.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(result.stdout == expected, "\(file.lastPathComponent) differs; see the doc comment to update it")
    }
}
