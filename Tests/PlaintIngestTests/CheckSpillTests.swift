import Foundation
import PlaintLog
import PlaintSystem
import PlaintTestSupport
import Testing

@testable import PlaintIngest

/// A checked append whose tables spill to disk after every few accepted events decides every
/// line exactly as one that keeps them all in memory: the same events stored, the same lines
/// rejected, the same duplicates and the same errors.
@Suite("append check spilled to disk")
struct CheckSpillTests {
    /// What an append did.
    struct Outcome {
        var result: String
        var rejected: String
        /// (position, version, canonical bytes) of every stored event.
        var stored: [String]
    }

    /// Random lines: new events, repeats (duplicates) exact or in other bytes, old ids with new
    /// content (conflicts), expect_version right or off by one, and malformed lines. `preload` lines of
    /// it are stored first, so the store has duplicates, conflicts and versions of its own.
    static func input(seed: UInt64, lines count: Int) -> [String] {
        var random = SeededRandom(seed: seed)
        var lines: [String] = []
        var versions: [Int: Int] = [:]
        for index in 0..<count {
            let roll = random.next() % 20
            if roll == 0, !lines.isEmpty {
                lines.append(lines[Int(random.next() % UInt64(lines.count))])
                continue
            }
            if roll == 1 {
                lines.append(#"{"id":"bad\#(index)","type":"case.escalated"}"#)
                continue
            }
            if roll == 4, !lines.isEmpty {
                lines.append(Self.reformatted(lines[Int(random.next() % UInt64(lines.count))]))
                continue
            }
            let id = roll == 2 && index > 0 ? "e\(random.next() % UInt64(index))" : "e\(index)"
            let caseNumber = Int(random.next() % 9)
            var expect = ""
            if roll == 3 {
                let version = versions[caseNumber, default: 0] + Int(random.next() % 3) - 1
                if version >= 0 { expect = #","expect_version":\#(version)"# }
            }
            versions[caseNumber, default: 0] += 1
            lines.append(
                #"{"id":"\#(id)","type":"case.escalated","occurred_at":"2024-01-01T00:\#(10 + index % 50):00Z","#
                    + #""customer":"c\#(index % 4)","brand":"b","case":"k\#(caseNumber)","data":{"to":"regulator"}\#(expect)}"#
            )
        }
        return lines
    }

    /// The same event in other bytes: spaces between members, and its time at offset +00:00.
    static func reformatted(_ line: String) -> String {
        line.replacingOccurrences(of: "\",\"", with: "\", \"").replacingOccurrences(of: ":00Z\"", with: ":00+00:00\"")
    }

    func outcome(
        of lines: [String], preload: Int, rejects: Bool, limit: Int?, in directory: String
    ) throws -> Outcome {
        let store = directory + "/store-\(limit ?? 0)-\(rejects)"
        let inputPath = directory + "/input.ndjson"
        let preloadPath = directory + "/preload.ndjson"
        let rejectsPath = directory + "/rejects-\(limit ?? 0)-\(rejects)"
        try (lines.joined(separator: "\n") + "\n").write(toFile: inputPath, atomically: true, encoding: .utf8)
        let log = try EventLog(path: store, access: .write)
        if preload > 0 {
            try (lines.prefix(preload).joined(separator: "\n") + "\n").write(
                toFile: preloadPath, atomically: true, encoding: .utf8)
            _ = try Appender(log: log, request: AppendRequest(inputs: [preloadPath], rejectsPath: directory + "/pre"))
                .run()
        }
        var request = AppendRequest(inputs: [inputPath], rejectsPath: rejects ? rejectsPath : nil, sync: false)
        request.checkTableLimit = limit
        var result: String
        do {
            result = "\(try Appender(log: log, request: request).run())"
        } catch {
            result = "\(error)"
        }
        var stored: [String] = []
        try log.read { reader in
            try reader.forEachRecord { record in
                stored.append(
                    "\(record.position) \(record.version) " + String(decoding: record.canonicalBytes, as: UTF8.self))
                return true
            }
        }
        let rejected = rejects ? try String(contentsOfFile: rejectsPath, encoding: .utf8) : ""
        return Outcome(result: result, rejected: rejected, stored: stored)
    }

    /// A repeated id is a duplicate when the events are the same, whatever their bytes, and a
    /// conflict when they differ: within the input and against the store.
    @Test func aRepeatIsJudgedByItsContentNotItsBytes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("repeat-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let event = Self.input(seed: 5, lines: 1)[0]
        let same = Self.reformatted(event)
        let other = event.replacingOccurrences(of: "regulator", with: "manager")
        #expect(same != event && other != event)
        let log = try EventLog(path: directory + "/store", access: .write)
        func append(_ lines: [String]) throws -> (summary: AppendSummary, rejected: String) {
            let input = directory + "/input-\(UUID())"
            let rejects = input + ".rejects"
            try (lines.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
            let summary = try Appender(log: log, request: AppendRequest(inputs: [input], rejectsPath: rejects)).run()
            return (summary, try String(contentsOfFile: rejects, encoding: .utf8))
        }
        let first = try append([event, same, other])
        #expect(first.summary.appended == 1 && first.summary.duplicates == 1 && first.summary.rejected == 1)
        #expect(first.rejected == other + "\n")
        let again = try append([same, other])
        #expect(again.summary.appended == 0 && again.summary.duplicates == 1 && again.summary.rejected == 1)
        #expect(again.rejected == other + "\n")
    }

    @Test(arguments: [(1, 0), (2, 40), (3, 0), (4, 90)])
    func spillingDecidesEveryLineAsMemoryDoes(seed: UInt64, preload: Int) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spill-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let lines = Self.input(seed: seed, lines: 400)
        for rejects in [true, false] {
            let inMemory = try outcome(of: lines, preload: preload, rejects: rejects, limit: nil, in: directory)
            if rejects {
                // The input exercises what it should: something of each kind.
                #expect(inMemory.stored.count > 200)
                #expect(inMemory.rejected.contains("expect_version") && inMemory.rejected.contains("bad"))
                #expect(inMemory.result.contains("duplicates"))
            }
            for limit in [1, 2, 7] {
                let spilled = try outcome(of: lines, preload: preload, rejects: rejects, limit: limit, in: directory)
                #expect(spilled.result == inMemory.result, "limit \(limit), rejects \(rejects)")
                #expect(spilled.rejected == inMemory.rejected, "limit \(limit), rejects \(rejects)")
                #expect(spilled.stored == inMemory.stored, "limit \(limit), rejects \(rejects)")
            }
        }
    }
}
