import Foundation
import Testing

/// The README's recipe that recomputes the hash chain without plaint, run as printed.
@Suite("the README's integrity recipe")
struct IntegrityRecipeTests {
    let scratch = Scratch()

    /// The shell block of the README's Integrity paragraph, the one that pipes `plaint events` into python.
    static func recipe() throws -> String {
        let readme = try String(contentsOf: Plaint.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let blocks = readme.components(separatedBy: "```sh\n").dropFirst().map {
            $0.components(separatedBy: "\n```")[0]
        }
        return try #require(blocks.first { $0.hasPrefix("plaint events | python3") }, "the README lost its recipe")
    }

    /// The official JCS test vectors (cyberphone/json-canonicalization, testdata/input) and the
    /// key orders and numbers where a plain sorted `json.dumps` goes wrong, as the data of events.
    @Test func recomputesTheChainOfTheJCSTestVectors() throws {
        let store = scratch.path("store")
        let plaint = Plaint(store: store)
        let vectors = Plaint.packageRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/jcs/vectors.ndjson").path
        let appended = try plaint.run(["append", vectors, "--json"])
        #expect(appended.status == 0, "\(appended.stderr)")
        #expect(try json(appended.stdout)["appended"] as? Int == 8)
        let head = try json(try plaint.run(["head", "--json"]).stdout)["hash"] as! String
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", try Self.recipe()]
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = Plaint.executable.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "")
        environment["PLAINT_STORE"] = store
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let failed = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "the recipe needs python's rfc8785 (tools/install-deps.sh): \(failed)")
        #expect(printed == "chain ok: \(head)\n")
    }
}
