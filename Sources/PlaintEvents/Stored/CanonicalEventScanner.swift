/// Reads an event straight from its canonical bytes, without building a JSON tape.
///
/// Replay reads every stored event, and most of an event's bytes are texts replay never looks
/// at: this scanner steps over them instead of decoding them. It relies on the bytes being what
/// the store wrote (RFC 8785, validated at append); anything else makes it return nil, and the
/// caller falls back to the full parser (`StoredEventReader`), which reports real damage.
public struct CanonicalEventScanner: Sendable {
    // Held by the scanner rather than read from globals: each global access checks its lazy
    // initialisation, and replay reads millions of events.
    private let types = EventType.vocabulary
    private let channels = Channel.vocabulary
    private let replyKinds = DataRules.replyKinds
    private let resolutions = DataRules.resolutions
    private let serviceChanges = DataRules.serviceChanges
    private let scales = DataRules.scales

    public init() {}

    /// The event's envelope strings as ranges of `bytes`, its type, time and facts decoded; nil
    /// when the bytes are not a plain stored event.
    public func scan(_ bytes: Span<UInt8>) -> ScannedEvent? {
        bytes.withUnsafeBufferPointer { scan($0) }
    }

    func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> ScannedEvent? {
        var cursor = ScanCursor(bytes: bytes)
        var fields = ScannedFields()
        guard cursor.consume(UInt8(ascii: "{")) else { return nil }
        repeat {
            guard let key = cursor.string(), !key.escaped, cursor.consume(UInt8(ascii: ":")) else { return nil }
            let name = key.range
            if cursor.equals(name, "data") {
                guard scanData(&cursor, into: &fields) else { return nil }
                continue
            }
            let read: Bool
            switch name.count {
            case 2 where cursor.equals(name, "id"): read = cursor.string(into: &fields.id)
            case 4 where cursor.equals(name, "type"): read = cursor.string(into: &fields.type)
            case 4 where cursor.equals(name, "case"): read = cursor.string(into: &fields.caseID)
            case 4 where cursor.equals(name, "meta"): read = scanMeta(&cursor, into: &fields)
            case 5 where cursor.equals(name, "brand"): read = cursor.string(into: &fields.brand)
            case 7 where cursor.equals(name, "channel"): read = cursor.string(into: &fields.channel)
            case 8 where cursor.equals(name, "customer"): read = cursor.string(into: &fields.customer)
            case 11 where cursor.equals(name, "occurred_at"): read = cursor.string(into: &fields.occurredAt)
            default: read = cursor.skipValue()
            }
            guard read else { return nil }
        } while cursor.consume(UInt8(ascii: ","))
        guard cursor.consume(UInt8(ascii: "}")), cursor.atEnd else { return nil }
        return event(fields, cursor)
    }

    /// Reads `meta.source` when it is a string; every other member is stepped over.
    private func scanMeta(_ cursor: inout ScanCursor, into fields: inout ScannedFields) -> Bool {
        guard cursor.consume(UInt8(ascii: "{")) else { return cursor.skipValue() }
        if cursor.consume(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = cursor.string(), cursor.consume(UInt8(ascii: ":")) else { return false }
            let read =
                !key.escaped && cursor.peek == UInt8(ascii: "\"") && cursor.equals(key.range, "source")
                ? cursor.string(into: &fields.source) : cursor.skipValue()
            guard read else { return false }
        } while cursor.consume(UInt8(ascii: ","))
        return cursor.consume(UInt8(ascii: "}"))
    }

    private func scanData(_ cursor: inout ScanCursor, into fields: inout ScannedFields) -> Bool {
        guard cursor.consume(UInt8(ascii: "{")) else { return cursor.skipValue() }
        if cursor.consume(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = cursor.string(), !key.escaped, cursor.consume(UInt8(ascii: ":")) else { return false }
            let name = key.range
            if cursor.equals(name, "consented") {
                fields.consented = cursor.peek == UInt8(ascii: "t")
                guard cursor.skipValue() else { return false }
                continue
            }
            if cursor.equals(name, "score") {
                let start = cursor.offset
                guard cursor.skipValue() else { return false }
                fields.score = start..<cursor.offset
                continue
            }
            // Only string values are read; another kind of value is stepped over.
            let isString = cursor.peek == UInt8(ascii: "\"")
            let read: Bool
            switch name.count {
            case 4 where isString && cursor.equals(name, "kind"): read = cursor.string(into: &fields.kind)
            case 5 where isString && cursor.equals(name, "scale"): read = cursor.string(into: &fields.scale)
            case 6 where isString && cursor.equals(name, "change"): read = cursor.string(into: &fields.change)
            case 10 where isString && cursor.equals(name, "to_channel"):
                read = cursor.string(into: &fields.toChannel)
            case 10 where isString && cursor.equals(name, "resolution"):
                read = cursor.string(into: &fields.resolution)
            default: read = cursor.skipValue()
            }
            guard read else { return false }
        } while cursor.consume(UInt8(ascii: ","))
        return cursor.consume(UInt8(ascii: "}"))
    }

    private func event(_ fields: ScannedFields, _ cursor: ScanCursor) -> ScannedEvent? {
        guard let id = fields.id, let typeString = fields.type, let customer = fields.customer,
            let brand = fields.brand, let occurredAt = fields.occurredAt, !occurredAt.escaped,
            let typeIndex = cursor.match(typeString, types),
            let time = Timestamp(rfc3339: UnsafeBufferPointer(rebasing: cursor.bytes[occurredAt.range]))
        else { return nil }
        let type = EventType.allCases[typeIndex]
        var facts = EventFacts()
        if let channel = fields.channel { facts.channel = cursor.match(channel, channels).map(Self.channel) }
        func value(_ string: ScannedString?, _ vocabulary: Vocabulary) -> UInt8? {
            string.flatMap { cursor.match($0, vocabulary) }.map { UInt8($0) }
        }
        switch type {
        case .brandReplied:
            facts.replyKind = value(fields.kind, replyKinds).flatMap(ReplyKind.init(rawValue:))
            facts.redirectChannel = value(fields.toChannel, channels).map { Self.channel(Int($0)) }
        case .caseResolved:
            facts.resolution = value(fields.resolution, resolutions).flatMap(Resolution.init(rawValue:))
        case .vendorChangedService:
            facts.serviceChange = value(fields.change, serviceChanges).flatMap(ServiceChange.init(rawValue:))
            facts.consented = fields.consented
        case .customerRated:
            facts.ratingScale = value(fields.scale, scales).flatMap(RatingScale.init(rawValue:))
            if let score = fields.score {
                facts.ratingScore = Int8(
                    String(decoding: UnsafeBufferPointer(rebasing: cursor.bytes[score]), as: UTF8.self))
            }
        default:
            break
        }
        return ScannedEvent(
            type: type, occurredAt: time, facts: facts, id: id, caseID: fields.caseID, customer: customer,
            brand: brand,
            source: fields.source.flatMap {
                SourceRule.isUsable(UnsafeBufferPointer(rebasing: cursor.bytes[$0.range])) || $0.escaped ? $0 : nil
            })
    }

    private static func channel(_ index: Int) -> Channel { Channel.allCases[index] }
}

/// One stored event as the scanner finds it: the envelope's strings as ranges of the bytes it
/// was scanned from (valid as long as they are), the rest decoded.
public struct ScannedEvent: Sendable, Equatable {
    public var type: EventType
    public var occurredAt: Timestamp
    public var facts: EventFacts
    public var id: ScannedString
    public var caseID: ScannedString?
    public var customer: ScannedString
    public var brand: ScannedString
    /// `meta.source`, when it is a string.
    public var source: ScannedString?

    /// Whether a case, customer, brand or source string holds escapes: its range is then not
    /// its value.
    public var hasEscapedParties: Bool {
        caseID?.escaped == true || customer.escaped || brand.escaped || source?.escaped == true
    }
}

/// The strings the scanner picks out of an event.
private struct ScannedFields {
    var brand: ScannedString?
    var caseID: ScannedString?
    var channel: ScannedString?
    var customer: ScannedString?
    var id: ScannedString?
    var occurredAt: ScannedString?
    var type: ScannedString?
    var kind: ScannedString?
    var toChannel: ScannedString?
    var resolution: ScannedString?
    var change: ScannedString?
    var scale: ScannedString?
    var source: ScannedString?
    var consented: Bool?
    var score: Range<Int>?
}
