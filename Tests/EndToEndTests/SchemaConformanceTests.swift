import Foundation
import Testing

/// The published schemas and the store must judge every event alike (README, "Events").
@Suite("Schema conformance")
struct SchemaConformanceTests {
    struct Case {
        var expect: String
        var why: String
        var event: String
    }

    static func corpus() throws -> [Case] {
        let url = Bundle.module.url(forResource: "schema-corpus", withExtension: "ndjson", subdirectory: "Fixtures")!
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let event = try JSONSerialization.data(withJSONObject: object["event"]!, options: [.fragmentsAllowed])
            return Case(
                expect: object["expect"] as! String, why: object["why"] as! String,
                event: String(decoding: event, as: UTF8.self))
        }
    }

    /// Verdicts of python's jsonschema against `schemas/`, one per corpus line.
    static func schemaVerdicts() throws -> [String] {
        let url = Bundle.module.url(forResource: "schema-corpus", withExtension: "ndjson", subdirectory: "Fixtures")!
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Plaint.packageRoot.appendingPathComponent("tools/schema_check.py").path]
        process.standardInput = try FileHandle(forReadingFrom: url)
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "tools/schema_check.py needs python3 with jsonschema")
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func corpusIsLargeEnoughAndBalanced() throws {
        let corpus = try Self.corpus()
        #expect(corpus.count >= 40)
        #expect(corpus.filter { $0.expect == "valid" }.count >= 15)
        #expect(corpus.filter { $0.expect == "invalid" }.count >= 25)
    }

    @Test func schemasAndStoreAgreeOnEveryEvent() throws {
        let corpus = try Self.corpus()
        let verdicts = try Self.schemaVerdicts()
        try #require(verdicts.count == corpus.count)
        let scratch = Scratch()
        for (index, item) in corpus.enumerated() {
            let store = Plaint(store: scratch.path("store-\(index)"))
            let result = try store.run(["append"], stdin: item.event + "\n")
            let storeVerdict = result.status == 0 ? "valid" : "invalid"
            let schemaVerdict = verdicts[index].hasPrefix("valid") ? "valid" : "invalid"
            #expect(schemaVerdict == item.expect, "schema on '\(item.why)': \(verdicts[index])")
            #expect(storeVerdict == item.expect, "plaint on '\(item.why)': \(result.stderr)")
            if storeVerdict == "invalid" { #expect(result.status == 65, "'\(item.why)' exits 65") }
        }
    }
}
