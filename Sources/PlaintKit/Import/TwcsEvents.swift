import PlaintEvents

/// The second pass of the twcs import: one tweet, with its thread resolved by `TwcsThreads`,
/// becomes one plaint event or a counted skip (DESIGN section 7).
public enum TwcsEvents {
    /// Why a row did not become an event; the import counts rows by reason.
    public enum Skip: String, CaseIterable, Sendable {
        case brandBroadcast = "thread rooted at a brand's tweet"
        case noBrand = "no brand in the thread"
        case thirdParty = "a third party in a customer's thread"
        case otherBrand = "another brand in the thread"
        case unseen = "not seen in the first pass"
    }

    /// The event for `tweet` as a JSON object for `plaint append`, or why there is none.
    public static func event(for tweet: TwcsTweet, in threads: TwcsThreads) -> Result<JSONValue, SkipError> {
        guard let thread = threads.thread(of: tweet.id) else { return .failure(SkipError(.unseen)) }
        let brand: String
        let customer: String
        switch thread.case {
        case .rootedAtBrand: return .failure(SkipError(.brandBroadcast))
        case .noBrand: return .failure(SkipError(.noBrand))
        case .complaint(let caseBrand, let caseCustomer):
            brand = caseBrand
            customer = caseCustomer
        }
        let type: String
        var data: [(String, JSONValue)] = [("text", .string(tweet.text))]
        if tweet.id == thread.root {
            type = "complaint.filed"
        } else if tweet.inbound {
            guard tweet.author == customer else { return .failure(SkipError(.thirdParty)) }
            type = "customer.followed_up"
        } else {
            guard tweet.author == brand else { return .failure(SkipError(.otherBrand)) }
            type = "brand.replied"
            if let destination = RedirectRules.destination(of: tweet.text) {
                data = [("kind", "redirect"), ("to_channel", .string(destination.rawValue))] + data
            } else {
                data = [("kind", "answer")] + data
            }
        }
        return .success(
            .object([
                ("id", .string("twcs:\(tweet.id)")),
                ("type", .string(type)),
                ("occurred_at", .string(Timestamp(microseconds: tweet.createdAt).description)),
                ("case", .string("twcs:\(thread.root)")),
                ("customer", .string(customer)),
                ("brand", .string(brand)),
                ("channel", "twitter"),
                ("data", .object(data)),
            ]))
    }

    public struct SkipError: Error, Equatable, Sendable {
        public var reason: Skip
        init(_ reason: Skip) { self.reason = reason }
    }
}
