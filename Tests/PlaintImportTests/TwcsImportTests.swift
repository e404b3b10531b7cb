import Foundation
import PlaintEvents
import PlaintSystem
import Testing

@testable import PlaintImport

/// The two passes of the twcs import on small files written here.
@Suite("twcs import passes")
struct TwcsImportTests {
    static let header = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
    static let rows = """
        1,101,True,Tue Oct 31 10:00:00 +0000 2017,@AcmeHelp down,2,
        2,AcmeHelp,False,Tue Oct 31 10:05:00 +0000 2017,@101 Please DM us,,1
        3,AcmeHelp,False,Tue Oct 31 11:00:00 +0000 2017,News for everyone,,

        """

    func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("twcs-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func bothPassesCountRowsEventsRedirectsAndSkips() throws {
        let path = try file(Self.header + Self.rows)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let importer = TwcsImport(path: path)
        var counts = TwcsImportCounts()
        let threads = try importer.readThreads(counts: &counts)
        var lines: [(String, Int)] = []
        try importer.convert(threads, counts: &counts) { line, fileLine in
            lines.append((String(decoding: line, as: UTF8.self), fileLine))
        }
        #expect(lines.map(\.1) == [2, 3])
        #expect(lines.allSatisfy { $0.0.hasSuffix("}\n") && $0.0.filter { $0 == "\n" }.count == 1 })
        #expect(counts.rows == 3)
        #expect(counts.events == [.complaintFiled: 1, .brandReplied: 1])
        #expect(counts.redirects == ["dm": 1])
        #expect(counts.skipped == [.brandBroadcast: 1])
    }

    @Test func aFileChangedBetweenThePassesIsAnError() throws {
        let path = try file(Self.header + Self.rows)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let importer = TwcsImport(path: path)
        var counts = TwcsImportCounts()
        let threads = try importer.readThreads(counts: &counts)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("4,102,True,Tue Oct 31 12:00:00 +0000 2017,@AcmeHelp me too,,\n".utf8))
        try handle.close()
        #expect {
            try importer.convert(threads, counts: &counts) { _, _ in }
        } throws: { error in
            guard case TwcsImportError.fileChanged = error else { return false }
            return true
        }
    }

    @Test func malformedRowsFailTheFirstPassUnlessSkipped() throws {
        let path = try file(Self.header + "x1,101,True,Tue Oct 31 10:00:00 +0000 2017,hi,,\n" + Self.rows)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var counts = TwcsImportCounts()
        #expect {
            _ = try TwcsImport(path: path).readThreads(counts: &counts)
        } throws: { error in
            guard case TwcsImportError.malformedRows(let problems, let total) = error else { return false }
            return total == 1 && problems.first?.line == 2 && problems.first?.problem == .badField("tweet_id", "x1")
        }
        counts = TwcsImportCounts()
        var reported: [Int] = []
        _ = try TwcsImport(path: path, skipsMalformedRows: true).readThreads(counts: &counts) {
            reported.append($0.line)
        }
        #expect(reported == [2])
        #expect(counts.skipped == [.malformed: 1])
        #expect(counts.rows == 4)
    }
}
