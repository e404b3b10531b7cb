import Foundation
import Testing

/// `plaint import twcs` on `Fixtures/twcs/threads.csv`, 21 tweets written for this project, with
/// the events and skips worked out by hand from the import's rules:
///
/// - thread 1 branches: AcmeHelp answers the root twice (2: "send us a DM", 4: an answer) and the
///   customer replies under each (3, 5; 5 holds a quoted line break, 3 a carriage return);
/// - thread 20's parent (999) is not in the file, so 20 is its root; 21 redirects to e-mail;
/// - 30 is an AcmeHelp broadcast: 30, 31, 32 are skipped; 35 is a brand reply whose question
///   (998) is missing: skipped;
/// - 40 has no reply; its first @mention (randomfriend) never tweets as a brand, the second
///   (flybetter) does, as FlyBetter;
/// - 50: FlyBetter redirects to its helpline (51); the customer follows up at 12:30 +0200
///   (10:30 UTC); 53 is a third party;
/// - 60 names two brands; AcmeHelp's reply (62, 14:10) is earlier than FlyBetter's (61, 14:30)
///   although its id is larger, so the case is AcmeHelp's and 61 is skipped;
/// - 70 and 71 name no brand.
///
/// `threads-reexported.csv` holds the same tweets as `tools/twcs_reexport.py` writes them: byte
/// order mark, a leading unnamed index column, columns reordered, float ids, `TRUE`/`false`,
/// CRLF line ends, a bare carriage return in an unquoted field.
@Suite("plaint import twcs")
struct ImportTwcsTests {
    let scratch = Scratch()
    var plaint: Plaint { Plaint(store: scratch.path("store")) }

    static let fixtures = Plaint.packageRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/twcs")
    static let threads = fixtures.appendingPathComponent("threads.csv").path
    static let reexported = fixtures.appendingPathComponent("threads-reexported.csv").path

    /// Event id: type, case, customer, brand, and for a reply its kind and destination.
    static let expected: [String: (String, String, String, String, String?)] = [
        "twcs:1": ("complaint.filed", "twcs:1", "101", "AcmeHelp", nil),
        "twcs:2": ("brand.replied", "twcs:1", "101", "AcmeHelp", "redirect dm"),
        "twcs:3": ("customer.followed_up", "twcs:1", "101", "AcmeHelp", nil),
        "twcs:4": ("brand.replied", "twcs:1", "101", "AcmeHelp", "answer"),
        "twcs:5": ("customer.followed_up", "twcs:1", "101", "AcmeHelp", nil),
        "twcs:20": ("complaint.filed", "twcs:20", "102", "AcmeHelp", nil),
        "twcs:21": ("brand.replied", "twcs:20", "102", "AcmeHelp", "redirect email"),
        "twcs:40": ("complaint.filed", "twcs:40", "105", "FlyBetter", nil),
        "twcs:50": ("complaint.filed", "twcs:50", "106", "FlyBetter", nil),
        "twcs:51": ("brand.replied", "twcs:50", "106", "FlyBetter", "redirect phone"),
        "twcs:52": ("customer.followed_up", "twcs:50", "106", "FlyBetter", nil),
        "twcs:60": ("complaint.filed", "twcs:60", "108", "AcmeHelp", nil),
        "twcs:62": ("brand.replied", "twcs:60", "108", "AcmeHelp", "answer"),
    ]

    func emitted(_ file: String) throws -> (events: [[String: Any]], report: [String: Any], ndjson: String) {
        let result = try plaint.run(["import", "twcs", file, "--emit", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        return (try result.lines.map(json), try json(result.stderr), result.stdout)
    }

    @Test func eventsAndSkipsAreTheHandWorkedOnes() throws {
        let (events, report, _) = try emitted(Self.threads)
        #expect(Set(events.map { $0["id"] as! String }) == Set(Self.expected.keys))
        for event in events {
            let id = event["id"] as! String
            let (type, caseID, customer, brand, reply) = Self.expected[id]!
            let data = event["data"] as! [String: Any]
            #expect(event["type"] as? String == type, "\(id)")
            #expect(event["case"] as? String == caseID, "\(id)")
            #expect(event["customer"] as? String == customer, "\(id)")
            #expect(event["brand"] as? String == brand, "\(id)")
            #expect(event["channel"] as? String == "twitter")
            let kind = [data["kind"] as? String, data["to_channel"] as? String].compactMap { $0 }
            #expect((kind.isEmpty ? nil : kind.joined(separator: " ")) == reply, "\(id)")
        }
        let byID = Dictionary(uniqueKeysWithValues: events.map { ($0["id"] as! String, $0) })
        #expect(byID["twcs:52"]?["occurred_at"] as? String == "2017-10-31T10:30:00Z")
        #expect((byID["twcs:5"]?["data"] as? [String: Any])?["text"] as? String == "@AcmeHelp ok\nwill wait")
        #expect((byID["twcs:3"]?["data"] as? [String: Any])?["text"] as? String == "@AcmeHelp sent,\r thanks")
        #expect(
            (byID["twcs:20"]?["data"] as? [String: Any])?["text"] as? String
                == #"@AcmeHelp still waiting on the refund, you said "5 days" two weeks ago"#)

        #expect(report["rows"] as? Int == 21)
        #expect(report["events"] as? Int == 13)
        #expect(report["skipped"] as? Int == 8)
        let skipped = report["skipped_by_reason"] as! [String: Int]
        #expect(skipped == ["brand_broadcast": 4, "no_brand": 2, "third_party": 1, "other_brand": 1])
        #expect(
            report["events_by_type"] as? [String: Int] == [
                "complaint.filed": 5, "customer.followed_up": 3, "brand.replied": 5,
            ])
        #expect(report["redirects"] as? [String: Int] == ["dm": 1, "email": 1, "phone": 1])
        #expect(report["append"] is NSNull)
        #expect(!FileManager.default.fileExists(atPath: plaint.store), "--emit must not create a store")
    }

    @Test func aReexportedCopyWithEveryQuirkGivesTheSameEvents() throws {
        let plain = try emitted(Self.threads)
        let reexported = try emitted(Self.reexported)
        #expect(reexported.ndjson == plain.ndjson)
        #expect(reexported.events.count == 13)
    }

    @Test func importAppendsOnceAndAReimportAppendsNothingNew() throws {
        let first = try plaint.run(["import", "twcs", Self.threads, "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        let appended = try json(first.stdout)["append"] as! [String: Any]
        #expect(appended["appended"] as? Int == 13)
        #expect(appended["first_position"] as? Int == 1)
        #expect(appended["last_position"] as? Int == 13)

        let again = try plaint.run(["import", "twcs", Self.reexported, "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        let second = try json(again.stdout)["append"] as! [String: Any]
        #expect(second["appended"] as? Int == 0)
        #expect(second["duplicates"] as? Int == 13)
        #expect(try plaint.run(["head", "--json"]).stdout.contains(#""position":13"#))

        // The journey reads in event time across both branches of the thread.
        let journey = try plaint.run(["events", "--case", "twcs:1"])
        #expect(journey.lines.count == 5)
        #expect(try plaint.run(["verify"]).status == 0)
        let ranking = try json(try plaint.run(["responsiveness", "--json", "--at", "2017-11-30"]).stdout)
        let brands = (ranking["brands"] as! [[String: Any]]).map { $0["brand"] as! String }
        #expect(Set(brands) == ["AcmeHelp", "FlyBetter"])
    }

    @Test func theTextReportNamesEveryCount() throws {
        let result = try plaint.run(["import", "twcs", Self.threads])
        #expect(result.status == 0)
        #expect(result.stdout.contains("21 rows read, 13 became events, 8 skipped"))
        #expect(result.stdout.contains("appended 13 events (positions 1-13)"))
        #expect(result.stdout.contains("4  thread rooted at a brand's tweet"))
        #expect(result.stdout.contains("1 to dm, 1 to email, 1 to phone"))
    }

    static let header = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
    static let goodRow = "1,101,True,Tue Oct 31 10:00:00 +0000 2017,@AcmeHelp down again,,\n"
    static let replyRow = "2,AcmeHelp,False,Tue Oct 31 10:05:00 +0000 2017,@101 sorry,,1\n"

    @Test func aMalformedRowNamesFileLineAndFieldAndWritesNothing() throws {
        let file = try scratch.write(
            "bad.csv", Self.header + Self.goodRow + "3,101,True,yesterday,more,,1\n" + Self.replyRow)
        let result = try plaint.run(["import", "twcs", file])
        #expect(result.status == 65)
        #expect(result.stderr.contains("\(file):3: field \"created_at\""), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: plaint.store))

        let skipping = try plaint.run(["import", "twcs", file, "--skip-malformed", "--json"])
        #expect(skipping.status == 0, "\(skipping.stderr)")
        #expect(skipping.stderr.contains("skipped \(file):3"))
        let report = try json(skipping.stdout)
        #expect(report["rows"] as? Int == 3)
        #expect(report["skipped_by_reason"] as? [String: Int] == ["malformed": 1])
        #expect((report["append"] as? [String: Any])?["appended"] as? Int == 2)
    }

    @Test func aRowWithTooFewFieldsAndAnUnclosedQuoteAreInvalidInput() throws {
        let short = try scratch.write("short.csv", Self.header + "1,101,True\n")
        let shortResult = try plaint.run(["import", "twcs", short, "--emit"])
        #expect(shortResult.status == 65)
        #expect(shortResult.stderr.contains("\(short):2: 3 fields, the header has 7"))
        #expect(shortResult.stdout.isEmpty)

        let unclosed = try scratch.write(
            "unclosed.csv", Self.header + Self.goodRow + "2,AcmeHelp,False,x,\"never closed,,1\n")
        let unclosedResult = try plaint.run(["import", "twcs", unclosed])
        #expect(unclosedResult.status == 65)
        #expect(unclosedResult.stderr.contains("\(unclosed):3: a quoted field is never closed"))
    }

    @Test func aMissingColumnOrFileIsReportedWithItsExitCode() throws {
        let noText = try scratch.write("notext.csv", "tweet_id,author_id,inbound,created_at,in_response_to_tweet_id\n")
        let result = try plaint.run(["import", "twcs", noText])
        #expect(result.status == 65)
        #expect(result.stderr.contains("\(noText):1: the header lacks the column(s) text"))
        let empty = try scratch.write("empty.csv", "")
        #expect(try plaint.run(["import", "twcs", empty]).status == 65)
        let missing = try plaint.run(["import", "twcs", scratch.path("nope.csv")])
        #expect(missing.status == 66)
        #expect(!FileManager.default.fileExists(atPath: plaint.store))
    }

    @Test func aChangedTweetIsAConflictNamingItsRowAndNothingIsWritten() throws {
        let original = try scratch.write("first.csv", Self.header + Self.goodRow + Self.replyRow)
        #expect(try plaint.run(["import", "twcs", original]).status == 0)
        let changed = try scratch.write(
            "changed.csv",
            Self.header + Self.goodRow + Self.replyRow.replacingOccurrences(of: "sorry", with: "DM us")
                + "3,101,True,Tue Oct 31 10:07:00 +0000 2017,@AcmeHelp ok,,2\n")
        let result = try plaint.run(["import", "twcs", changed])
        #expect(result.status == 69)
        #expect(result.stderr.contains("\(changed):3:"), "\(result.stderr)")
        #expect(try plaint.run(["head", "--json"]).stdout.contains(#""position":2"#))
    }
}
