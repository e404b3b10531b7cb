/// Reads a `StoredEvent` straight from an event's canonical bytes, without building a JSON tape.
///
/// Replay reads every stored event, and most of an event's bytes are texts replay never looks
/// at: this scanner steps over them instead of decoding them. It relies on the bytes being what
/// the store wrote (RFC 8785, validated at append); anything else makes it return nil, and the
/// caller falls back to the full parser (`StoredEventReader`), which reports real damage.
public struct CanonicalEventScanner: Sendable {
    /// Whether to copy out the event's id; replay folds without it.
    public var readsID: Bool
    /// Recently seen brands, shared instead of copied: a store has few brands and many events.
    private var brands: [[UInt8]] = []

    public init(readsID: Bool = true) { self.readsID = readsID }

    public mutating func scan(position: UInt64, canonical bytes: UnsafeBufferPointer<UInt8>) -> StoredEvent? {
        var cursor = Cursor(bytes: bytes)
        var fields = Fields()
        guard cursor.consume(UInt8(ascii: "{")) else { return nil }
        repeat {
            guard let key = cursor.string(), cursor.consume(UInt8(ascii: ":")) else { return nil }
            switch Self.topLevel.firstIndex(where: { cursor.equals(key.range, $0) }) {
            case 0?:
                guard let value = cursor.string() else { return nil }
                fields.brand = value
            case 1?:
                guard let value = cursor.string() else { return nil }
                fields.caseID = value
            case 2?:
                guard let value = cursor.string() else { return nil }
                fields.channel = value
            case 3?:
                guard let value = cursor.string() else { return nil }
                fields.customer = value
            case 4?: guard Self.scanData(&cursor, into: &fields) else { return nil }
            case 5?:
                guard let value = cursor.string() else { return nil }
                fields.id = value
            case 6?:
                guard let value = cursor.string() else { return nil }
                fields.occurredAt = value
            case 7?:
                guard let value = cursor.string() else { return nil }
                fields.type = value
            default: guard cursor.skipValue() else { return nil }
            }
        } while cursor.consume(UInt8(ascii: ","))
        guard cursor.consume(UInt8(ascii: "}")), cursor.atEnd else { return nil }
        guard let brandSpan = fields.brand else { return nil }
        let brand: [UInt8]
        if !brandSpan.escaped, let known = brands.first(where: { cursor.equals(brandSpan.range, $0) }) {
            brand = known
        } else {
            guard let decoded = cursor.decoded(brandSpan) else { return nil }
            brand = decoded
            if brands.count < 64 { brands.append(decoded) }
        }
        return fields.event(position: position, cursor: cursor, readsID: readsID, brand: brand)
    }

    /// Top-level members replay reads, in the order of the `switch` above.
    static let topLevel = ["brand", "case", "channel", "customer", "data", "id", "occurred_at", "type"].map {
        Array($0.utf8)
    }
    static let typeNames = EventType.allCases.map { Array($0.rawValue.utf8) }
    static let channelNames = Channel.allCases.map { Array($0.rawValue.utf8) }
    static let replyKindNames = ReplyKind.allCases.map { Array($0.name.utf8) }
    static let resolutionNames = Resolution.allCases.map { Array($0.name.utf8) }
    static let changeNames = ServiceChange.allCases.map { Array($0.name.utf8) }
    static let scaleNames = RatingScale.allCases.map { Array($0.name.utf8) }
    static let dataMembers = ["kind", "to_channel", "resolution", "change", "scale", "consented", "score"].map {
        Array($0.utf8)
    }

    private static func scanData(_ cursor: inout Cursor, into fields: inout Fields) -> Bool {
        guard cursor.consume(UInt8(ascii: "{")) else { return cursor.skipValue() }
        if cursor.consume(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = cursor.string(), cursor.consume(UInt8(ascii: ":")) else { return false }
            let index = dataMembers.firstIndex { cursor.equals(key.range, $0) }
            switch index {
            case let member? where member < 5:
                guard cursor.peek == UInt8(ascii: "\"") else { return cursor.skipValue() && false }
                guard let value = cursor.string() else { return false }
                fields.data[member] = value
            case 5?:
                fields.consented = cursor.peek == UInt8(ascii: "t")
                guard cursor.skipValue() else { return false }
            case 6?:
                let start = cursor.offset
                guard cursor.skipValue() else { return false }
                fields.score = start..<cursor.offset
            default:
                guard cursor.skipValue() else { return false }
            }
        } while cursor.consume(UInt8(ascii: ","))
        return cursor.consume(UInt8(ascii: "}"))
    }
}

/// A string found in the bytes: where its contents are, and whether they hold escapes.
private struct Span {
    var range: Range<Int>
    var escaped: Bool
}

private typealias Names = CanonicalEventScanner

private struct Fields {
    var brand: Span?
    var caseID: Span?
    var channel: Span?
    var customer: Span?
    var id: Span?
    var occurredAt: Span?
    var type: Span?
    /// kind, to_channel, resolution, change, scale.
    var data: [Span?] = [nil, nil, nil, nil, nil]
    var consented: Bool?
    var score: Range<Int>?

    func event(position: UInt64, cursor: Cursor, readsID: Bool, brand brandBytes: [UInt8]) -> StoredEvent? {
        guard let id, let type, let customer, let occurredAt,
            let typeIndex = cursor.match(type, Names.typeNames),
            let idBytes = readsID ? cursor.decoded(id) : [], let customerBytes = cursor.decoded(customer),
            !occurredAt.escaped,
            let time = Timestamp(rfc3339: UnsafeBufferPointer(rebasing: cursor.bytes[occurredAt.range]))
        else { return nil }
        var caseBytes: [UInt8]?
        if let caseID {
            guard let decoded = cursor.decoded(caseID) else { return nil }
            caseBytes = decoded
        }
        let eventType = EventType.allCases[typeIndex]
        var facts = EventFacts()
        if let channel { facts.channel = cursor.match(channel, Names.channelNames).map { Channel.allCases[$0] } }
        func value(_ index: Int, _ names: [[UInt8]]) -> Int? { data[index].flatMap { cursor.match($0, names) } }
        switch eventType {
        case .brandReplied:
            facts.replyKind = value(0, Names.replyKindNames).map { ReplyKind(rawValue: UInt8($0))! }
            facts.redirectChannel = value(1, Names.channelNames).map { Channel.allCases[$0] }
        case .caseResolved:
            facts.resolution = value(2, Names.resolutionNames).map { Resolution(rawValue: UInt8($0))! }
        case .vendorChangedService:
            facts.serviceChange = value(3, Names.changeNames).map {
                ServiceChange(rawValue: UInt8($0))!
            }
            facts.consented = consented
        case .customerRated:
            facts.ratingScale = value(4, Names.scaleNames).map { RatingScale(rawValue: UInt8($0))! }
            if let score {
                facts.ratingScore = Int8(
                    String(decoding: UnsafeBufferPointer(rebasing: cursor.bytes[score]), as: UTF8.self))
            }
        default:
            break
        }
        return StoredEvent(
            position: position, id: idBytes, type: eventType, caseID: caseBytes, customer: customerBytes,
            brand: brandBytes, occurredAt: time, facts: facts)
    }
}

private struct Cursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0

    var atEnd: Bool { offset == bytes.count }
    var peek: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        offset += 1
        return true
    }

    /// A string value; the cursor ends after its closing quote.
    mutating func string() -> Span? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = offset
        var escaped = false
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: "\""):
                defer { offset += 1 }
                return Span(range: start..<offset, escaped: escaped)
            case UInt8(ascii: "\\"):
                escaped = true
                offset += 2
            default:
                offset += 1
            }
        }
        return nil
    }

    /// Steps over any value: a string, an object or array (however nested), a number or literal.
    mutating func skipValue() -> Bool {
        guard let first = peek else { return false }
        switch first {
        case UInt8(ascii: "\""):
            return string() != nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while let byte = peek {
                switch byte {
                case UInt8(ascii: "\""):
                    guard string() != nil else { return false }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        offset += 1
                        return true
                    }
                default: break
                }
                offset += 1
            }
            return false
        default:
            while let byte = peek, byte != UInt8(ascii: ","), byte != UInt8(ascii: "}"), byte != UInt8(ascii: "]") {
                offset += 1
            }
            return offset > 0
        }
    }

    func equals(_ range: Range<Int>, _ name: [UInt8]) -> Bool {
        range.count == name.count && bytes[range].elementsEqual(name)
    }

    /// The index of the name equal to the span's bytes.
    func match(_ span: Span, _ names: [[UInt8]]) -> Int? {
        guard !span.escaped else { return nil }
        return names.firstIndex { equals(span.range, $0) }
    }

    /// The string's bytes; with escapes only the simple ones of RFC 8785 output are decoded here
    /// (anything else returns nil, for the full parser).
    func decoded(_ span: Span) -> [UInt8]? {
        guard span.escaped else { return Array(bytes[span.range]) }
        var result: [UInt8] = []
        result.reserveCapacity(span.range.count)
        var index = span.range.lowerBound
        while index < span.range.upperBound {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                result.append(byte)
                index += 1
                continue
            }
            guard index + 1 < span.range.upperBound else { return nil }
            switch bytes[index + 1] {
            case UInt8(ascii: "\""): result.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): result.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): result.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): result.append(0x08)
            case UInt8(ascii: "f"): result.append(0x0C)
            case UInt8(ascii: "n"): result.append(0x0A)
            case UInt8(ascii: "r"): result.append(0x0D)
            case UInt8(ascii: "t"): result.append(0x09)
            default: return nil
            }
            index += 2
        }
        return result
    }
}
