import Foundation
import PlaintEvents
import PlaintSystem
import Testing

@testable import PlaintImport

/// The CSV reader on the quirks of re-exported twcs files, each written here by hand.
@Suite("CSV records")
struct CSVRecordReaderTests {
    func records(_ text: String) throws -> [(line: Int, fields: [String])] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try CSVRecordReader(path: path)
        var result: [(Int, [String])] = []
        while let fields = try reader.next() { result.append((reader.line, fields)) }
        return result
    }

    @Test func plainQuotedAndDoubledQuotes() throws {
        let read = try records("a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n")
        #expect(read.map(\.fields) == [["a", "b", "c"], ["1", "x, y", "say \"hi\""]])
        #expect(read.map(\.line) == [1, 2])
    }

    @Test func lineBreaksInsideQuotesIncludingBlankLines() throws {
        let read = try records("id,text\n1,\"first\n\nthird\"\n2,next\n")
        #expect(read.map(\.fields) == [["id", "text"], ["1", "first\n\nthird"], ["2", "next"]])
        #expect(read.map(\.line) == [1, 2, 5])
    }

    @Test func crlfLineEndsAndStrayCarriageReturns() throws {
        // CRLF ends records; a CR elsewhere, quoted or not, is text.
        let read = try records("id,text\r\n1,\"in\rquotes\"\r\n2,bare\rreturn\r\n3,\"crlf\r\ninside\"\r\n")
        #expect(
            read.map(\.fields) == [
                ["id", "text"], ["1", "in\rquotes"], ["2", "bare\rreturn"], ["3", "crlf\r\ninside"],
            ])
    }

    @Test func aQuoteInsideAnUnquotedFieldIsText() throws {
        let read = try records("id,text\n1,he said \"hi\n2,ok\n")
        #expect(read.map(\.fields) == [["id", "text"], ["1", "he said \"hi"], ["2", "ok"]])
    }

    @Test func emptyFieldsAndALastLineWithoutLineFeed() throws {
        let read = try records(",a,,\n1,,\"\",x")
        #expect(read.map(\.fields) == [["", "a", "", ""], ["1", "", "", "x"]])
    }

    @Test func aQuoteNeverClosedNamesTheLineItStarts() throws {
        #expect {
            try records("id,text\n1,\"never closed\n2,x\n")
        } throws: { error in
            guard case .unclosedQuote(_, let line) = error as? CSVError else { return false }
            return line == 2
        }
    }
}

@Suite("twcs rows")
struct TwcsColumnsTests {
    @Test func columnsAreFoundByNameWhateverElseTheHeaderHolds() throws {
        let header = [
            "", "tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id",
            "in_response_to_tweet_id",
        ]
        let columns = try TwcsColumns(header: header)
        let tweet = try columns.tweet([
            "0", "119237.0", "105834", "TRUE", "Wed Oct 11 06:55:44 +0000 2017", "@AppleSupport hi", "119236",
            "",
        ])
        #expect(tweet.id == 119_237)
        #expect(tweet.author == "105834")
        #expect(tweet.inbound)
        #expect(tweet.createdAt == Timestamp(rfc3339: "2017-10-11T06:55:44Z")!.microseconds)
        #expect(tweet.text == "@AppleSupport hi")
        #expect(tweet.inResponseTo == nil)
        let reply = try columns.tweet([
            "1", "119238", "AppleSupport", "false", "Wed Oct 11 08:00:00 +0200 2017", "DM us", "", "119237.0",
        ])
        #expect(!reply.inbound)
        #expect(reply.inResponseTo == 119_237)
        #expect(reply.createdAt == Timestamp(rfc3339: "2017-10-11T06:00:00Z")!.microseconds)
        let west = try columns.tweet([
            "2", " 119239 ", "AppleSupport", " False ", "Wed  Oct 11 23:30:00 -0530 2017 ", "ok", "", "",
        ])
        #expect(west.id == 119_239)
        #expect(west.createdAt == Timestamp(rfc3339: "2017-10-12T05:00:00Z")!.microseconds)
    }

    @Test func aMissingColumnIsNamed() {
        #expect(throws: TwcsProblem.missingColumns(["inbound", "in_response_to_tweet_id"])) {
            try TwcsColumns(header: ["tweet_id", "author_id", "created_at", "text"])
        }
    }

    @Test(arguments: [
        ("tweet_id", ["x1", "a", "true", "Wed Oct 11 06:55:44 +0000 2017", "t", ""]),
        ("tweet_id", ["1.5", "a", "true", "Wed Oct 11 06:55:44 +0000 2017", "t", ""]),
        ("inbound", ["1", "a", "yes", "Wed Oct 11 06:55:44 +0000 2017", "t", ""]),
        ("created_at", ["1", "a", "true", "2017-10-11 06:55:44", "t", ""]),
        ("created_at", ["1", "a", "true", "Wed Feb 30 06:55:44 +0000 2017", "t", ""]),
        ("created_at", ["1", "a", "true", "Wed Oct 11 24:00:00 +0000 2017", "t", ""]),
        ("created_at", ["1", "a", "true", "Wed Oct 11 06:55 +0000 2017", "t", ""]),
        ("created_at", ["1", "a", "true", "Wed Oct 11 06:55:44 +00 2017", "t", ""]),
        ("created_at", ["1", "a", "true", "Wed Oct 11 06:55:44 +0000 2017 UTC", "t", ""]),
        ("created_at", ["1", "a", "true", "Wed oct 11 06:55:44 +0000 2017", "t", ""]),
        ("tweet_id", ["123456789012345678901", "a", "true", "Wed Oct 11 06:55:44 +0000 2017", "t", ""]),
        ("tweet_id", ["", "a", "true", "Wed Oct 11 06:55:44 +0000 2017", "t", ""]),
        ("in_response_to_tweet_id", ["1", "a", "true", "Wed Oct 11 06:55:44 +0000 2017", "t", "n/a"]),
    ])
    func aBadFieldIsNamed(_ field: String, _ fields: [String]) throws {
        let columns = try TwcsColumns(header: TwcsColumns.required)
        #expect {
            try columns.tweet(fields)
        } throws: { error in
            guard case .badField(let name, _) = error as? TwcsProblem else { return false }
            return name == field
        }
    }
}
