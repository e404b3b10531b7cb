/// What the twcs import learns in its first pass over a file, kept compact (a few numbers per
/// tweet, not its row), and the threads it resolves from that (DESIGN section 7): each tweet's
/// thread root, and each root's case: its brand and customer, or why it is skipped.
public struct TwcsThreads: Sendable {
    // One entry per tweet, in file order.
    private var ids: [UInt64] = []
    private var parents: [UInt64] = []
    private var authors: [Int32] = []
    private var inbound: [Bool] = []
    private var createdAt: [Int64] = []
    /// The `@handles` of tweets without a parent, lowercased: a root with no brand reply names its brand.
    private var mentions: [Int: [String]] = [:]
    private var authorNames: [String] = []
    private var authorNumbers: [String: Int32] = [:]

    /// The file the tweets were read from, as it was then.
    var source: FileIdentity?

    // Resolved by `resolve()`.
    private var order: [Int] = []
    private var roots: [Int] = []
    private var cases: [Int: Case] = [:]

    /// A thread that became a case, or why it did not.
    public enum Case: Equatable, Sendable {
        case complaint(brand: String, customer: String)
        /// The root is a brand's tweet: a broadcast, or a reply whose question is not in the file.
        case rootedAtBrand
        /// No brand replied in the thread and the root names none that tweets in the file.
        case noBrand
    }

    public init() {}

    public var count: Int { ids.count }

    public mutating func add(_ tweet: TwcsTweet) {
        let author: Int32
        if let number = authorNumbers[tweet.author] {
            author = number
        } else {
            author = Int32(authorNames.count)
            authorNames.append(tweet.author)
            authorNumbers[tweet.author] = author
        }
        if tweet.inResponseTo == nil, tweet.inbound {
            let handles = Self.handles(in: tweet.text)
            if !handles.isEmpty { mentions[ids.count] = handles }
        }
        ids.append(tweet.id)
        parents.append(tweet.inResponseTo ?? 0)
        authors.append(author)
        inbound.append(tweet.inbound)
        createdAt.append(tweet.createdAt)
    }

    /// Finds every tweet's root and every root's case; call once, after the first pass.
    public mutating func resolve() {
        order = ids.indices.sorted { ids[$0] < ids[$1] }
        roots = [Int](repeating: -1, count: ids.count)
        for tweet in ids.indices where roots[tweet] < 0 {
            // Climb while the parent is in the file, then give the whole path its root.
            var path: [Int] = []
            var current = tweet
            while roots[current] < 0, path.count <= ids.count, let parent = index(of: parents[current]) {
                path.append(current)
                current = parent
            }
            let root = roots[current] >= 0 ? roots[current] : current
            roots[current] = root
            for step in path { roots[step] = root }
        }
        var earliestReply: [Int: Int] = [:]
        for tweet in ids.indices where !inbound[tweet] {
            let root = roots[tweet]
            if let best = earliestReply[root], (createdAt[best], ids[best]) <= (createdAt[tweet], ids[tweet]) {
                continue
            }
            earliestReply[root] = tweet
        }
        var brandAuthors: [String: Int32] = [:]
        for tweet in ids.indices where !inbound[tweet] {
            brandAuthors[authorNames[Int(authors[tweet])].lowercased()] = authors[tweet]
        }
        for root in Set(roots) {
            if !inbound[root] {
                cases[root] = .rootedAtBrand
            } else if let reply = earliestReply[root] {
                cases[root] = .complaint(brand: name(reply), customer: name(root))
            } else if let named = mentions[root]?.lazy.compactMap({ brandAuthors[$0] }).first {
                cases[root] = .complaint(brand: authorNames[Int(named)], customer: name(root))
            } else {
                cases[root] = .noBrand
            }
        }
    }

    /// The root tweet id of a tweet's thread and the thread's case, or nil for a tweet the first
    /// pass did not see.
    public func thread(of id: UInt64) -> (root: UInt64, case: Case)? {
        guard let tweet = index(of: id) else { return nil }
        let root = roots[tweet]
        return (ids[root], cases[root]!)
    }

    private func name(_ tweet: Int) -> String { authorNames[Int(authors[tweet])] }

    /// The position of a tweet id in the first pass (the first row, if an id repeats).
    private func index(of id: UInt64) -> Int? {
        guard id != 0, !order.isEmpty else { return nil }
        var low = 0
        var high = order.count
        while low < high {
            let middle = (low + high) / 2
            if ids[order[middle]] < id { low = middle + 1 } else { high = middle }
        }
        return low < order.count && ids[order[low]] == id ? order[low] : nil
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
