import PlaintSystem
import Testing

@testable import PlaintImport

/// Thread roots and cases of the twcs import on small hand-made threads.
@Suite("twcs threads")
struct TwcsThreadsTests {
    static func tweet(
        _ id: UInt64, _ author: String, inbound: Bool, minute: Int64, parent: UInt64? = nil, text: String = ""
    ) -> TwcsTweet {
        TwcsTweet(
            id: id, author: author, inbound: inbound, createdAt: minute * 60_000_000, text: text, inResponseTo: parent)
    }

    /// 1: cust1 asks; 2: AcmeHelp answers; 3 and 4 branch from 2 (cust1 follows up, a third party
    /// joins); 5: OtherBrand also replies to 1 (after Acme, so Acme is the case's brand).
    /// 10: a reply to tweet 9, which is not in the file: its thread is rooted at 10 (inbound).
    /// 20: AcmeHelp's broadcast, 21: a customer's reply to it.
    /// 30: "@acmehelp my bill" with no reply: the brand comes from the mention.
    /// 40: "@nobody hello" with no reply: no brand.
    static let threads: TwcsThreads = {
        var threads = TwcsThreads()
        for tweet in [
            tweet(5, "OtherBrand", inbound: false, minute: 9, parent: 1),
            tweet(1, "cust1", inbound: true, minute: 0, text: "@AcmeHelp my line is down"),
            tweet(2, "AcmeHelp", inbound: false, minute: 5, parent: 1),
            tweet(3, "cust1", inbound: true, minute: 7, parent: 2),
            tweet(4, "stranger", inbound: true, minute: 8, parent: 2),
            tweet(10, "cust2", inbound: true, minute: 20, parent: 9),
            tweet(11, "AcmeHelp", inbound: false, minute: 25, parent: 10),
            tweet(20, "AcmeHelp", inbound: false, minute: 30),
            tweet(21, "cust3", inbound: true, minute: 31, parent: 20),
            tweet(30, "cust4", inbound: true, minute: 40, text: "@acmehelp my bill, cc @someone"),
            tweet(40, "cust5", inbound: true, minute: 50, text: "@nobody hello"),
        ] {
            threads.add(tweet)
        }
        threads.resolve()
        return threads
    }()

    @Test func branchingThreadsShareTheirRootAndTheEarliestBrandReplyNamesTheBrand() {
        for id: UInt64 in [1, 2, 3, 4, 5] {
            let thread = Self.threads.thread(of: id)
            #expect(thread?.root == 1, "tweet \(id)")
            #expect(thread?.case == .complaint(brand: "AcmeHelp", customer: "cust1"), "tweet \(id)")
        }
    }

    @Test func aMissingParentMakesTheTopmostTweetInTheFileTheRoot() {
        #expect(Self.threads.thread(of: 11)?.root == 10)
        #expect(Self.threads.thread(of: 11)?.case == .complaint(brand: "AcmeHelp", customer: "cust2"))
    }

    @Test func aBrandBroadcastIsSkipped() {
        #expect(Self.threads.thread(of: 21)?.root == 20)
        #expect(Self.threads.thread(of: 21)?.case == .rootedAtBrand)
    }

    @Test func withoutABrandReplyTheFirstMentionOfATweetingBrandNamesIt() {
        #expect(Self.threads.thread(of: 30)?.case == .complaint(brand: "AcmeHelp", customer: "cust4"))
        #expect(Self.threads.thread(of: 40)?.case == .noBrand)
        #expect(Self.threads.thread(of: 99) == nil)
    }

    @Test func handlesAreFoundInOrderAndLowercased() {
        #expect(TwcsThreads.handles(in: "@Acme_Help, hi @b2c! mail@example.com @@x") == ["acme_help", "b2c", "x"])
        #expect(TwcsThreads.handles(in: "no handle @") == [])
    }
}
