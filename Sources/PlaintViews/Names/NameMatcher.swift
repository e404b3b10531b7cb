/// How a name typed by a user is matched against the names a store holds.
///
/// An exact match wins; otherwise a unique case-insensitive match is taken (Twitter handles and
/// most brand names are case-insensitive to the people who type them); otherwise nothing is
/// guessed and up to three suggestions are offered. Kept apart from the store so the rules can
/// be checked on plain lists of names.
public enum NameMatcher {
    public enum Match: Equatable, Sendable {
        case exact(String)
        /// The one stored name that differs from the typed one only in letter case.
        case caseInsensitive(String)
        /// No match to use: the stored names closest to the typed one, best first.
        case unknown(suggestions: [String])
    }

    /// How many names a failed match suggests.
    public static let suggestionLimit = 3

    /// Matches `name` against `candidates` (each stored name once).
    public static func match(_ name: String, among candidates: some Sequence<String>) -> Match {
        let folded = name.lowercased()
        var sameFolded: [String] = []
        var ranked: [(tier: Int, distance: Int, name: String)] = []
        for candidate in candidates {
            if candidate == name { return .exact(candidate) }
            let candidateFolded = candidate.lowercased()
            if candidateFolded == folded {
                sameFolded.append(candidate)
                continue
            }
            if let rank = rank(candidateFolded, against: folded) {
                ranked.append((rank.tier, rank.distance, candidate))
            }
        }
        if sameFolded.count == 1 { return .caseInsensitive(sameFolded[0]) }
        if sameFolded.count > 1 { return .unknown(suggestions: Array(sameFolded.sorted().prefix(suggestionLimit))) }
        ranked.sort { ($0.tier, $0.distance, $0.name) < ($1.tier, $1.distance, $1.name) }
        return .unknown(suggestions: ranked.prefix(suggestionLimit).map(\.name))
    }

    /// How good a suggestion `candidate` is for `typed` (both case-folded), or nil when it is
    /// not one. Tier 0: the candidate's last `:`- or `/`-separated part is the typed name
    /// (`8` for `twcs:8`); tier 1: it contains the typed name (three characters or more);
    /// tier 2: within a small edit distance (a typo).
    static func rank(_ candidate: String, against typed: String) -> (tier: Int, distance: Int)? {
        let lengthGap = abs(candidate.count - typed.count)
        if let separator = candidate.lastIndex(where: { $0 == ":" || $0 == "/" }),
            candidate[candidate.index(after: separator)...] == typed[...]
        {
            return (0, lengthGap)
        }
        if typed.count >= 3, candidate.contains(typed) { return (1, lengthGap) }
        let allowed = max(2, typed.count / 3)
        guard lengthGap <= allowed, let distance = editDistance(candidate, typed, limit: allowed) else { return nil }
        return (2, distance)
    }

    /// The Levenshtein distance between `a` and `b` in characters, or nil when it exceeds `limit`
    /// (rows stop early once every entry is past it: most candidates are far from the typed name).
    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int? {
        let a = Array(a)
        let b = Array(b)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(1, a.count) where !a.isEmpty {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...max(1, b.count) where !b.isEmpty {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return nil }
            swap(&previous, &current)
        }
        let distance = a.isEmpty ? b.count : previous[b.count]
        return distance <= limit ? distance : nil
    }
}
