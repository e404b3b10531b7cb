import PlaintEvents

/// One row of the "Customer Support on Twitter" CSV (README, "Importing the Twitter customer-support dataset").
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
        guard let isInbound = Self.boolean(fields[inbound]) else { throw .badField("inbound", fields[inbound]) }
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
            id: id, author: author, inbound: isInbound, createdAt: created, text: fields[text],
            inResponseTo: parent)
    }

    /// `True` or `False` in any letter case.
    static func boolean(_ text: String) -> Bool? {
        let trimmed = text.trimmingBlanks()
        // Lowercase only what could be a match, not a long stray text.
        guard trimmed.utf8.count <= 5 else { return nil }
        switch trimmed.lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    /// `119237`, or as a data tool that read the column as floats writes it: `119237.0`.
    static func tweetID(_ text: String) -> UInt64? {
        var text = text
        return text.withUTF8 { bytes -> UInt64? in
            var cursor = ByteCursor(bytes.trimmingBlanks)
            guard let value = cursor.number(maximumDigits: 19) else { return nil }
            if cursor.skip(UInt8(ascii: ".")) {
                while cursor.skip(UInt8(ascii: "0")) {}
            }
            return cursor.atEnd ? value : nil
        }
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map {
        Array($0.utf8)
    }

    /// `Tue Oct 31 22:10:47 +0000 2017` (Twitter's format), as microseconds since 1970 UTC. Read
    /// as bytes: the import parses one per row, millions of times.
    static func time(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { bytes -> Int64? in
            var cursor = ByteCursor(bytes.trimmingBlanks)
            guard cursor.word() != nil, let monthName = cursor.word(),
                let month = months.firstIndex(of: Array(monthName)),
                let day = cursor.number(maximumDigits: 2), cursor.spaces(),
                let hour = cursor.number(maximumDigits: 2), cursor.skip(UInt8(ascii: ":")),
                let minute = cursor.number(maximumDigits: 2), cursor.skip(UInt8(ascii: ":")),
                let second = cursor.number(maximumDigits: 2), cursor.spaces(),
                let sign = cursor.next(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"),
                let zone = cursor.number(exactDigits: 4), cursor.spaces(),
                let year = cursor.number(maximumDigits: 4), cursor.atEnd,
                hour < 24, minute < 60, second < 61, zone % 100 < 60,
                let date = Timestamp(year: Int(year), month: month + 1, day: Int(day))
            else { return nil }
            let offset = (sign == UInt8(ascii: "-") ? -1 : 1) * Int64(zone / 100 * 3600 + zone % 100 * 60)
            let seconds = Int64(hour * 3600 + minute * 60 + second) - offset
            return date.microseconds + seconds * Timestamp.microsecondsPerSecond
        }
    }
}

/// Reads a field's bytes left to right: digits, words and separators.
private struct ByteCursor {
    let bytes: Slice<UnsafeBufferPointer<UInt8>>
    var index: Int

    init(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) {
        self.bytes = bytes
        index = bytes.startIndex
    }

    var atEnd: Bool { index == bytes.endIndex }

    mutating func next() -> UInt8? {
        guard !atEnd else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func skip(_ byte: UInt8) -> Bool {
        guard !atEnd, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// One or more spaces.
    mutating func spaces() -> Bool {
        guard skip(0x20) else { return false }
        while skip(0x20) {}
        return true
    }

    /// Letters up to the next space or the end, and the spaces after them.
    mutating func word() -> Slice<UnsafeBufferPointer<UInt8>>? {
        let start = index
        while !atEnd, bytes[index] != 0x20 { index += 1 }
        guard index > start else { return nil }
        let word = bytes[start..<index]
        return spaces() || atEnd ? word : nil
    }

    /// A run of 1 to `maximumDigits` ASCII digits.
    mutating func number(maximumDigits: Int) -> UInt64? {
        let start = index
        var value: UInt64 = 0
        while !atEnd, bytes[index] >= 0x30, bytes[index] <= 0x39, index - start < maximumDigits {
            value = value * 10 + UInt64(bytes[index] - 0x30)
            index += 1
        }
        guard index > start, atEnd || !(bytes[index] >= 0x30 && bytes[index] <= 0x39) else { return nil }
        return value
    }

    mutating func number(exactDigits: Int) -> Int? {
        let start = index
        guard let value = number(maximumDigits: exactDigits), index - start == exactDigits else { return nil }
        return Int(value)
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Without the spaces, tabs and carriage returns around it.
    fileprivate var trimmingBlanks: Slice<UnsafeBufferPointer<UInt8>> {
        var start = startIndex
        var end = endIndex
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }
        while start < end, isBlank(self[start]) { start += 1 }
        while end > start, isBlank(self[end - 1]) { end -= 1 }
        return self[start..<end]
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
    /// Without the spaces, tabs and carriage returns around it (the same rule as for bytes).
    fileprivate func trimmingBlanks() -> String {
        func isBlank(_ byte: UInt8?) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }
        // Nearly every field has nothing to trim.
        guard isBlank(utf8.first) || isBlank(utf8.last) else { return self }
        var text = self
        return text.withUTF8 { String(decoding: $0.trimmingBlanks, as: UTF8.self) }
    }

    fileprivate func replacingBOM() -> String { hasPrefix("\u{FEFF}") ? String(dropFirst()) : self }
}
