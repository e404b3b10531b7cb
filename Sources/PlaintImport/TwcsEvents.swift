import PlaintEvents

/// The second pass of the twcs import: one tweet, with its thread resolved by `TwcsThreads`,
/// becomes one plaint event or a counted skip (README, "Importing the Twitter customer-support dataset").
public enum TwcsEvents {
    /// An event for `plaint append`: its type, and the whole event as a JSON object.
    public struct Event: Sendable {
        public var type: EventType
        /// For a redirect, where the brand asked the customer to go.
        public var redirectedTo: Channel?
        public var json: JSONValue
    }

    /// The event for `tweet`, or why there is none.
    public static func event(for tweet: TwcsTweet, in threads: TwcsThreads) -> Result<Event, SkipError> {
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
        let type: EventType
        var data: [(String, JSONValue)] = [("text", .string(tweet.text))]
        var redirectedTo: Channel?
        if tweet.id == thread.root {
            type = .complaintFiled
        } else if tweet.inbound {
            guard tweet.author == customer else { return .failure(SkipError(.thirdParty)) }
            type = .customerFollowedUp
        } else {
            guard tweet.author == brand else { return .failure(SkipError(.otherBrand)) }
            type = .brandReplied
            redirectedTo = RedirectRules.destination(of: tweet.text)
            if let destination = redirectedTo {
                data = [("kind", "redirect"), ("to_channel", .string(destination.rawValue))] + data
            } else {
                data = [("kind", "answer")] + data
            }
        }
        let json: JSONValue = .object([
            ("id", .string("twcs:\(tweet.id)")),
            ("type", .string(type.rawValue)),
            ("occurred_at", .string(Timestamp(microseconds: tweet.createdAt).description)),
            ("case", .string("twcs:\(thread.root)")),
            ("customer", .string(customer)),
            ("brand", .string(brand)),
            ("channel", "twitter"),
            ("data", .object(data)),
            ("meta", .object([("source", .string(TwcsEvents.source))])),
        ])
        return .success(Event(type: type, redirectedTo: redirectedTo, json: json))
    }

    /// `meta.source` of every imported event: reports attach the dataset's caveat to it.
    public static let source = "twcs"

    public struct SkipError: Error, Equatable, Sendable {
        public var reason: TwcsSkip
        init(_ reason: TwcsSkip) { self.reason = reason }
    }
}

/// Why a row of a twcs file did not become an event; the import counts rows by reason. The raw
/// value is the name in `import twcs --json`.
public enum TwcsSkip: String, CaseIterable, Sendable, CustomStringConvertible {
    case brandBroadcast = "brand_broadcast"
    case noBrand = "no_brand"
    case thirdParty = "third_party"
    case otherBrand = "other_brand"
    /// With `--skip-malformed`: a row whose fields are not what the format says.
    case malformed = "malformed"
    /// A row the first pass did not read: the file changed between the passes.
    case unseen = "unseen"

    public var description: String {
        switch self {
        case .brandBroadcast: "thread rooted at a brand's tweet (a broadcast, or its question is not in the file)"
        case .noBrand: "no brand in the thread (no brand reply, no @mention of a brand)"
        case .thirdParty: "a third party's tweet in a customer's thread"
        case .otherBrand: "another brand's tweet in the thread"
        case .malformed: "malformed row"
        case .unseen: "row not seen in the first pass (the file changed during the import)"
        }
    }
}
