/// What the twcs import learns in its first pass over a file, kept compact (a few numbers per
/// tweet, not its row), and the threads it resolves from that (README, "Importing the Twitter customer-support dataset"): each tweet's
/// thread root, and each root's case: its brand and customer, or why it is skipped.
public struct TwcsThreads: Sendable {
    // One entry per tweet, in file order: about 40 bytes each.
    private var ids: [UInt64] = []
    private var parents: [UInt64] = []
    private var authors: [Int32] = []
    private var inbound: [Bool] = []
    private var createdAt: [Int64] = []
    private var authorNames: [String] = []
    private var authorNumbers: [String: Int32] = [:]
    /// The `@handles` of customers' tweets without a parent (a root with no brand reply names its
    /// brand): tweet `mentioningTweets[i]` has handles `mentions[mentionStarts[i]..<mentionStarts[i + 1]]`,
    /// each a number in `handleNames`.
    private var mentioningTweets: [Int32] = []
    private var mentionStarts: [Int32] = [0]
    private var mentions: [Int32] = []
    private var handleNames: [String] = []
    private var handleNumbers: [String: Int32] = [:]

    /// The file the tweets were read from, as it was then.
    var source: FileIdentity?

    // Resolved by `resolve()`.
    private var order: [Int32] = []
    private var roots: [Int32] = []
    /// For a root: its brand's author number, or `Self.rootedAtBrand` or `Self.noBrand`.
    private var brands: [Int32] = []
    private static let rootedAtBrand: Int32 = -1
    private static let noBrand: Int32 = -2

    /// A thread that became a case, or why it did not.
    public enum Case: Equatable, Sendable {
        case complaint(brand: String, customer: String)
        /// The root is a brand's tweet: a broadcast, or a reply whose question is not in the file.
        case rootedAtBrand
        /// No brand replied in the thread and the root names none that tweets in the file.
        case noBrand
    }

    public init() {}

    public mutating func add(_ tweet: TwcsTweet) {
        if tweet.inResponseTo == nil, tweet.inbound {
            let handles = Self.handles(in: tweet.text)
            if !handles.isEmpty {
                mentioningTweets.append(Int32(ids.count))
                for handle in handles { mentions.append(Self.number(of: handle, in: &handleNames, &handleNumbers)) }
                mentionStarts.append(Int32(mentions.count))
            }
        }
        ids.append(tweet.id)
        parents.append(tweet.inResponseTo ?? 0)
        authors.append(Self.number(of: tweet.author, in: &authorNames, &authorNumbers))
        inbound.append(tweet.inbound)
        createdAt.append(tweet.createdAt)
    }

    /// The name's number in an interning table, added if new.
    private static func number(of name: String, in names: inout [String], _ numbers: inout [String: Int32]) -> Int32 {
        if let number = numbers[name] { return number }
        let number = Int32(names.count)
        names.append(name)
        numbers[name] = number
        return number
    }

    /// Finds every tweet's root and every root's case; call once, after the first pass.
    public mutating func resolve() {
        order = (0..<Int32(ids.count)).sorted { ids[Int($0)] < ids[Int($1)] }
        roots = [Int32](repeating: -1, count: ids.count)
        var path: [Int] = []
        for tweet in ids.indices where roots[tweet] < 0 {
            // Climb while the parent is in the file, then give the whole path its root.
            path.removeAll(keepingCapacity: true)
            var current = tweet
            while roots[current] < 0, path.count <= ids.count, let parent = index(of: parents[current]) {
                path.append(current)
                current = parent
            }
            let root = roots[current] >= 0 ? roots[current] : Int32(current)
            roots[current] = root
            for step in path { roots[step] = root }
        }
        // The earliest brand tweet of each thread, by time, then id.
        var earliestReply = [Int32](repeating: -1, count: ids.count)
        var brandAuthors: [String: Int32] = [:]
        for tweet in ids.indices where !inbound[tweet] {
            let root = Int(roots[tweet])
            let best = Int(earliestReply[root])
            if best < 0 || (createdAt[tweet], ids[tweet]) < (createdAt[best], ids[best]) {
                earliestReply[root] = Int32(tweet)
            }
            brandAuthors[authorNames[Int(authors[tweet])].lowercased()] = authors[tweet]
        }
        brands = [Int32](repeating: Self.noBrand, count: ids.count)
        var mentioning = 0
        for tweet in ids.indices where Int(roots[tweet]) == tweet {
            while mentioning < mentioningTweets.count, mentioningTweets[mentioning] < tweet { mentioning += 1 }
            if !inbound[tweet] {
                brands[tweet] = Self.rootedAtBrand
            } else if earliestReply[tweet] >= 0 {
                brands[tweet] = authors[Int(earliestReply[tweet])]
            } else if mentioning < mentioningTweets.count, mentioningTweets[mentioning] == tweet {
                let handles = mentions[Int(mentionStarts[mentioning])..<Int(mentionStarts[mentioning + 1])]
                for handle in handles {
                    if let named = brandAuthors[handleNames[Int(handle)]] {
                        brands[tweet] = named
                        break
                    }
                }
            }
        }
    }

    /// The root tweet id of a tweet's thread and the thread's case, or nil for a tweet the first
    /// pass did not see.
    public func thread(of id: UInt64) -> (root: UInt64, case: Case)? {
        guard let tweet = index(of: id) else { return nil }
        let root = Int(roots[tweet])
        let threadCase: Case =
            switch brands[root] {
            case Self.rootedAtBrand: .rootedAtBrand
            case Self.noBrand: .noBrand
            case let brand: .complaint(brand: authorNames[Int(brand)], customer: authorNames[Int(authors[root])])
            }
        return (ids[root], threadCase)
    }

    /// The position of a tweet id in the first pass (the first row, if an id repeats).
    private func index(of id: UInt64) -> Int? {
        guard id != 0, !order.isEmpty else { return nil }
        var low = 0
        var high = order.count
        while low < high {
            let middle = (low + high) / 2
            if ids[Int(order[middle])] < id { low = middle + 1 } else { high = middle }
        }
        return low < order.count && ids[Int(order[low])] == id ? Int(order[low]) : nil
    }

    /// `@handle`s in a tweet, in order, lowercased; an `@` inside a word (`mail@example`) is not one.
    static func handles(in text: String) -> [String] {
        func isWord(_ character: Character) -> Bool {
            character.isASCII && (character.isLetter || character.isNumber || character == "_")
        }
        var handles: [String] = []
        var current: String?
        var previous: Character = " "
        for character in text {
            if let handle = current, !isWord(character) {
                if !handle.isEmpty { handles.append(handle) }
                current = nil
            }
            if character == "@", !isWord(previous) {
                current = ""
            } else if current != nil {
                current!.append(Character(character.lowercased()))
            }
            previous = character
        }
        if let handle = current, !handle.isEmpty { handles.append(handle) }
        return handles
    }
}
