import PlaintEvents

/// One row of the "Customer Support on Twitter" CSV (DESIGN section 7).
public struct TwcsTweet: Equatable, Sendable {
    public var id: UInt64
    public var author: String
    /// True for a customer's tweet, false for a brand's.
    public var inbound: Bool
    /// Microseconds since 1970, UTC.
    public var createdAt: Int64
    public var text: String
    public var inResponseTo: UInt64?
}

/// Where the twcs columns are, found by header name: re-exports add columns (a leading unnamed
/// index) and may reorder them.
public struct TwcsColumns: Sendable {
    let tweetID, authorID, inbound, createdAt, text, inResponseTo: Int
    let count: Int

    public static let required = [
        "tweet_id", "author_id", "inbound", "created_at", "text", "in_response_to_tweet_id",
    ]

    /// - Throws: the names of the required columns the header lacks.
    public init(header: [String]) throws(TwcsProblem) {
        // A byte order mark and surrounding blanks are not part of a name.
        let names = header.map { $0.trimmingBlanks().replacingBOM() }
        func index(_ name: String) -> Int? { names.firstIndex(of: name) }
        let missing = Self.required.filter { index($0) == nil }
        guard missing.isEmpty else { throw .missingColumns(missing) }
        tweetID = index("tweet_id")!
        authorID = index("author_id")!
        inbound = index("inbound")!
        createdAt = index("created_at")!
        text = index("text")!
        inResponseTo = index("in_response_to_tweet_id")!
        count = header.count
    }

    /// The tweet in a record's fields, or the first field that is not what the format says.
    public func tweet(_ fields: [String]) throws(TwcsProblem) -> TwcsTweet {
        guard fields.count >= count else { throw .fieldCount(expected: count, got: fields.count) }
        guard let id = Self.tweetID(fields[tweetID]) else { throw .badField("tweet_id", fields[tweetID]) }
        let author = fields[authorID].trimmingBlanks()
        guard !author.isEmpty else { throw .badField("author_id", fields[authorID]) }
        let inboundText = fields[inbound].trimmingBlanks().lowercased()
        guard inboundText == "true" || inboundText == "false" else { throw .badField("inbound", fields[inbound]) }
        guard let created = Self.time(fields[createdAt]) else { throw .badField("created_at", fields[createdAt]) }
        let parentText = fields[inResponseTo].trimmingBlanks()
        var parent: UInt64?
        if !parentText.isEmpty {
            guard let value = Self.tweetID(parentText) else {
                throw .badField("in_response_to_tweet_id", fields[inResponseTo])
            }
            parent = value
        }
        return TwcsTweet(
            id: id, author: author, inbound: inboundText == "true", createdAt: created, text: fields[text],
            inResponseTo: parent)
    }

    /// `119237`, or as a data tool that read the column as floats writes it: `119237.0`.
    static func tweetID(_ text: String) -> UInt64? {
        let trimmed = text.trimmingBlanks()
        var digits = Substring(trimmed)
        if let dot = trimmed.firstIndex(of: ".") {
            guard trimmed[trimmed.index(after: dot)...].allSatisfy({ $0 == "0" }) else { return nil }
            digits = trimmed[..<dot]
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return UInt64(digits)
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Tue Oct 31 22:10:47 +0000 2017` (Twitter's format), as microseconds since 1970 UTC.
    static func time(_ text: String) -> Int64? {
        let parts = text.trimmingBlanks().split(separator: " ")
        guard parts.count == 6, let month = months.firstIndex(of: String(parts[1])), let day = Int(parts[2]),
            let year = Int(parts[5]), let date = Timestamp(year: year, month: month + 1, day: day)
        else { return nil }
        let clock = parts[3].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3, (0..<24).contains(clock[0]), (0..<60).contains(clock[1]), (0..<61).contains(clock[2])
        else { return nil }
        let zone = Array(parts[4])
        guard zone.count == 5, zone[0] == "+" || zone[0] == "-", let hours = Int(String(zone[1...2])),
            let minutes = Int(String(zone[3...4]))
        else { return nil }
        let offset = (zone[0] == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
        let seconds = Int64(clock[0] * 3600 + clock[1] * 60 + clock[2] - offset)
        return date.microseconds + seconds * Timestamp.microsecondsPerSecond
    }
}

/// What is wrong with a twcs file or one of its rows.
public enum TwcsProblem: Error, Equatable, Sendable, CustomStringConvertible {
    case missingColumns([String])
    case fieldCount(expected: Int, got: Int)
    case badField(String, String)

    public var description: String {
        switch self {
        case .missingColumns(let names): "the header lacks the column(s) " + names.joined(separator: ", ")
        case .fieldCount(let expected, let got): "\(got) fields, the header has \(expected)"
        case .badField(let name, let value): "field \"\(name)\": not a valid value (got \"\(value.prefix(40))\")"
        }
    }
}

extension String {
    fileprivate func trimmingBlanks() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" || first == "\r" {
            scalars = scalars.dropFirst()
        }
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" { scalars = scalars.dropLast() }
        return String(scalars)
    }

    fileprivate func replacingBOM() -> String { hasPrefix("\u{FEFF}") ? String(dropFirst()) : self }
}
