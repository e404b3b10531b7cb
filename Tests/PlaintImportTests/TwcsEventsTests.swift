import PlaintEvents
import PlaintSystem
import Testing

@testable import PlaintImport

/// Tweets of the hand-made threads of `TwcsThreadsTests` turned into events, each checked by
/// the same validation `plaint append` applies.
@Suite("twcs events")
struct TwcsEventsTests {
    func event(_ tweet: TwcsTweet) throws -> [String: String] {
        let value = try TwcsEvents.event(for: tweet, in: TwcsThreadsTests.threads).get().json
        let line = value.serialized()
        var preparer = EventPreparer()
        _ = try preparer.prepare(Array(line.utf8))
        guard case .object(let members) = value else { return [:] }
        var flat: [String: String] = [:]
        for (name, member) in members {
            switch member {
            case .string(let text): flat[name] = text
            case .object(let data):
                for (key, field) in data { if case .string(let text) = field { flat["data." + key] = text } }
            default: break
            }
        }
        return flat
    }

    func skip(_ tweet: TwcsTweet) -> TwcsSkip? {
        guard case .failure(let error) = TwcsEvents.event(for: tweet, in: TwcsThreadsTests.threads) else { return nil }
        return error.reason
    }

    typealias Threads = TwcsThreadsTests

    @Test func theRootIsTheComplaintAndTheCustomersLaterTweetsFollowUps() throws {
        let filed = try event(Threads.tweet(1, "cust1", inbound: true, minute: 0, text: "@AcmeHelp my line is down"))
        #expect(filed["type"] == "complaint.filed")
        #expect(filed["id"] == "twcs:1")
        #expect(filed["case"] == "twcs:1")
        #expect(filed["customer"] == "cust1")
        #expect(filed["brand"] == "AcmeHelp")
        #expect(filed["channel"] == "twitter")
        #expect(filed["occurred_at"] == "1970-01-01T00:00:00Z")
        #expect(filed["data.text"] == "@AcmeHelp my line is down")
        let followUp = try event(Threads.tweet(3, "cust1", inbound: true, minute: 7, parent: 2, text: "still down"))
        #expect(followUp["type"] == "customer.followed_up")
        #expect(followUp["case"] == "twcs:1")
    }

    @Test func theBrandsRepliesAreAnswersOrRedirects() throws {
        let answer = try event(Threads.tweet(2, "AcmeHelp", inbound: false, minute: 5, parent: 1, text: "Fixed now"))
        #expect(answer["type"] == "brand.replied")
        #expect(answer["data.kind"] == "answer")
        #expect(answer["data.to_channel"] == nil)
        let redirect = try event(
            Threads.tweet(11, "AcmeHelp", inbound: false, minute: 25, parent: 10, text: "Please DM us"))
        #expect(redirect["data.kind"] == "redirect")
        #expect(redirect["data.to_channel"] == "dm")
        #expect(redirect["case"] == "twcs:10")
    }

    @Test func thirdPartiesOtherBrandsBroadcastsAndBrandlessThreadsAreSkipped() {
        #expect(skip(Threads.tweet(4, "stranger", inbound: true, minute: 8, parent: 2)) == .thirdParty)
        #expect(skip(Threads.tweet(5, "OtherBrand", inbound: false, minute: 9, parent: 1)) == .otherBrand)
        #expect(skip(Threads.tweet(21, "cust3", inbound: true, minute: 31, parent: 20)) == .brandBroadcast)
        #expect(skip(Threads.tweet(40, "cust5", inbound: true, minute: 50)) == .noBrand)
        #expect(skip(Threads.tweet(77, "cust9", inbound: true, minute: 60)) == .unseen)
    }
}
