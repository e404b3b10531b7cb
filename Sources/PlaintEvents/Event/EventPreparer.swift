/// Turns one NDJSON line into a `PreparedEvent`: parse, validate as `schemas/` does, canonicalize.
///
/// Keeps its buffers between lines, so preparing an event allocates only its result, and
/// `prepareParts` not even that.
/// The rules here mirror `schemas/event.schema.json` and the per-type schemas one for one; the
/// schema conformance test holds the two to the same verdicts.
public struct EventPreparer: Sendable {
    private var parser = JSONParser()
    private var writer = CanonicalJSONWriter()
    private var output: [UInt8] = []
    /// The canonical members in RFC 8785 order, each with where its quoted name is in
    /// `quotedNames`: this preparer's own copies, since a shared table's reference count, bumped
    /// for every event by every thread that prepares, costs more than the table.
    private let canonicalKeys: [(key: EnvelopeKey, quotedName: Range<Int>)]
    private let quotedNames: [UInt8]
    /// For events already stored (`verify`): `meta.source` need only be a string, as it once
    /// had to be; a source that breaks today's rule is then no source for the reports.
    public var acceptsAnyStoredSource = false

    public init() {
        output.reserveCapacity(1024)
        var names: [UInt8] = []
        canonicalKeys = EnvelopeKey.ordered.filter(\.isCanonical).map { key in
            let start = names.count
            names.append(contentsOf: "\"\(key.rawValue)\":".utf8)
            return (key, start..<names.count)
        }
        quotedNames = names
    }

    public mutating func prepare(_ line: Span<UInt8>) throws(EventValidationError) -> PreparedEvent {
        try line.withUnsafeBufferPointer { (line) throws(EventValidationError) in try prepare(line) }
    }

    mutating func prepare(_ line: UnsafeBufferPointer<UInt8>) throws(EventValidationError) -> PreparedEvent {
        PreparedEvent(try prepareParts(line))
    }

    /// Prepares `line` without copying its fields out of this preparer's buffers; see
    /// `PreparedEventParts` for how long they stay cheap to hold.
    public mutating func prepareParts(_ line: Span<UInt8>) throws(EventValidationError) -> PreparedEventParts {
        try line.withUnsafeBufferPointer { (line) throws(EventValidationError) in try prepareParts(line) }
    }

    mutating func prepareParts(_ line: UnsafeBufferPointer<UInt8>) throws(EventValidationError)
        -> PreparedEventParts
    {
        try parse(line)
        return try prepareParsed()
    }

    public mutating func prepare(_ line: [UInt8]) throws(EventValidationError) -> PreparedEvent {
        var result: Result<PreparedEvent, EventValidationError>!
        line.withUnsafeBufferPointer { buffer in
            do throws(EventValidationError) { result = .success(try prepare(buffer)) } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }

    public mutating func prepare(_ line: String) throws(EventValidationError) -> PreparedEvent {
        try prepare(Array(line.utf8))
    }

    private mutating func parse(_ line: UnsafeBufferPointer<UInt8>) throws(EventValidationError) {
        do {
            try parser.parse(line)
        } catch {
            let trimmed = line.filter { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }
            if trimmed == [UInt8(ascii: "{")] || trimmed == [UInt8(ascii: "[")] {
                throw EventValidationError.prettyPrinted
            }
            throw EventValidationError(field: nil, message: error.description)
        }
    }

    private mutating func prepareParsed() throws(EventValidationError) -> PreparedEventParts {
        let tape = parser.tape
        let envelope = try Envelope(tape)
        let fields = try envelope.validate(in: tape, strictSource: !acceptsAnyStoredSource)
        if tape.hasInexactCandidate, let problem = ExactNumbers.firstProblem(in: tape) {
            throw EventValidationError(field: problem.path, message: problem.reason)
        }
        try writeCanonical(envelope, occurredAt: fields.occurredAt, tape: tape)

        return PreparedEventParts(
            id: tape.span(envelope[.id]!),
            type: fields.type,
            caseID: envelope[.case].map { tape.span($0) },
            customer: tape.span(envelope[.customer]!),
            brand: tape.span(envelope[.brand]!),
            source: envelope.source(in: tape).map { tape.span($0) }.flatMap { SourceRule.isUsable($0) ? $0 : nil },
            occurredAt: fields.occurredAt,
            expectVersion: fields.expectVersion,
            canonical: output[...],
            facts: EventFacts(type: fields.type, tape: tape))
    }

    /// Writes the event's RFC 8785 form into `output`.
    private mutating func writeCanonical(_ envelope: Envelope, occurredAt: Timestamp, tape: JSONTape)
        throws(EventValidationError)
    {
        output.removeAll(keepingCapacity: true)
        output.append(UInt8(ascii: "{"))
        var failure: EventValidationError?
        tape.bytes.withUnsafeBufferPointer { bytes in
            quotedNames.withUnsafeBufferPointer { names in
                let text = TapeText(tape: tape, bytes: bytes)
                for (key, quotedName) in canonicalKeys {
                    guard let value = envelope[key] else { continue }
                    if output.count > 1 { output.append(UInt8(ascii: ",")) }
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: names[quotedName]))
                    if key == .occurredAt {
                        output.append(UInt8(ascii: "\""))
                        occurredAt.append(to: &output)
                        output.append(UInt8(ascii: "\""))
                    } else {
                        do throws(DuplicateMemberError) {
                            try writer.write(text, node: value, into: &output)
                        } catch {
                            failure = EventValidationError(
                                field: key.rawValue, message: "member \"\(error.name)\" occurs twice")
                            return
                        }
                    }
                }
            }
        }
        if let failure { throw failure }
        output.append(UInt8(ascii: "}"))
    }

}

/// The members an event may have at the top level, in RFC 8785 order (the names are ASCII).
enum EnvelopeKey: String, CaseIterable {
    case brand, `case`, channel, customer, data
    case expectVersion = "expect_version"
    case hash, id, meta
    case occurredAt = "occurred_at"
    case position
    case recordedAt = "recorded_at"
    case type, version

    /// The store adds these on read; on input they are accepted and ignored, so that the output
    /// of `plaint events` can be appended again (to another store, or as a duplicate).
    var isCanonical: Bool {
        switch self {
        case .position, .version, .recordedAt, .hash: false
        default: true
        }
    }

    static let ordered = allCases
    static let required: [EnvelopeKey] = [.id, .type, .occurredAt, .customer, .brand]
    static let vocabulary = Vocabulary(allCases.map(\.rawValue))
    /// Position in `ordered` (declaration order, which is RFC 8785 order).
    var rank: Int {
        switch self {
        case .brand: 0
        case .case: 1
        case .channel: 2
        case .customer: 3
        case .data: 4
        case .expectVersion: 5
        case .hash: 6
        case .id: 7
        case .meta: 8
        case .occurredAt: 9
        case .position: 10
        case .recordedAt: 11
        case .type: 12
        case .version: 13
        }
    }
}

/// The values a valid envelope yields besides the raw nodes.
struct EnvelopeFields {
    var type: EventType
    var occurredAt: Timestamp
    var expectVersion: UInt64?
}

/// Top-level members found in one event, by `EnvelopeKey` rank.
struct Envelope {
    /// Each member's value node, -1 when absent: 56 bytes, copied cheaply (node indexes fit in 32
    /// bits, as the tape's own offsets do).
    private var slots:
        (Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32) =
            (-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1)

    subscript(key: EnvelopeKey) -> Int? {
        get {
            let node = withUnsafeBytes(of: slots) {
                $0.load(fromByteOffset: key.rank * MemoryLayout<Int32>.stride, as: Int32.self)
            }
            return node < 0 ? nil : Int(node)
        }
        set {
            withUnsafeMutableBytes(of: &slots) {
                $0.storeBytes(
                    of: newValue.map { Int32($0) } ?? -1, toByteOffset: key.rank * MemoryLayout<Int32>.stride,
                    as: Int32.self)
            }
        }
    }

    /// The top-level members of the parsed event on `tape`.
    init(_ tape: JSONTape) throws(EventValidationError) {
        guard tape[0].kind == .object else {
            throw EventValidationError(field: nil, message: "an event must be a JSON object")
        }
        var member = 1
        for _ in 0..<Int(tape[0].a) {
            let value = member + 1
            try record(key: member, value: value, in: tape)
            member = Int(tape[value].end)
        }
    }

    mutating func record(key: Int, value: Int, in tape: JSONTape) throws(EventValidationError) {
        guard let rank = EnvelopeKey.vocabulary.index(of: key, in: tape) else {
            throw EventValidationError(
                field: tape.string(key),
                message: "unknown field (an event has id, type, occurred_at, case, customer, brand, "
                    + "channel, data, meta, expect_version)")
        }
        let name = EnvelopeKey.ordered[rank]
        guard self[name] == nil else {
            throw EventValidationError(field: name.rawValue, message: "occurs twice")
        }
        self[name] = value
    }

    func validate(in tape: JSONTape, strictSource: Bool = true) throws(EventValidationError) -> EnvelopeFields {
        let rules = Rules(tape: tape)
        for key in EnvelopeKey.required where self[key] == nil {
            throw EventValidationError(field: key.rawValue, message: "required")
        }
        try rules.identifier(self[.id]!, field: "id", maximumLength: Limits.eventID)
        let type = EventType.allCases[try rules.oneOf(self[.type]!, field: "type", EventType.vocabulary)]
        let occurredNode = self[.occurredAt]!
        guard tape[occurredNode].kind == .string else {
            throw rules.wrongType(occurredNode, field: "occurred_at", expected: "a string")
        }
        guard let occurredAt = Timestamp(rfc3339: tape.span(occurredNode)) else {
            throw EventValidationError(
                field: "occurred_at",
                message: "must be an RFC 3339 time with offset, years 1900-2999 (in UTC too), at most 6 fraction "
                    + "digits, such as 2017-10-31T22:10:47Z (got \"\(tape.string(occurredNode))\")")
        }
        if let node = self[.case] {
            try rules.identifier(node, field: "case", maximumLength: Limits.caseID)
        } else if !type.isRelationship {
            throw EventValidationError(field: "case", message: "required for \(type.rawValue)")
        }
        try rules.identifier(self[.customer]!, field: "customer", maximumLength: Limits.party)
        try rules.identifier(self[.brand]!, field: "brand", maximumLength: Limits.party)
        if let node = self[.channel] {
            _ = try rules.oneOf(node, field: "channel", Channel.vocabulary)
        } else if type.isMessage {
            throw EventValidationError(field: "channel", message: "required for \(type.rawValue)")
        }
        var expectVersion: UInt64?
        if let node = self[.expectVersion] {
            expectVersion = UInt64(try rules.integer(node, field: "expect_version", in: 0...Limits.maximumSafeInteger))
            guard self[.case] != nil else {
                throw EventValidationError(
                    field: "expect_version", message: "needs a case: versions are counted per case")
            }
        }
        if let node = self[.meta] {
            try rules.object(node, field: "meta")
            for (name, bytes) in Self.metaStrings {
                if let value = tape.member(bytes, of: node) { try rules.string(value, field: name) }
            }
            if strictSource, let source = tape.member(Self.sourceName, of: node) {
                try rules.identifier(source, field: "meta.source", maximumLength: Limits.party)
            }
        }
        try DataRules.validate(type: type, data: self[.data], rules: rules)
        return EnvelopeFields(type: type, occurredAt: occurredAt, expectVersion: expectVersion)
    }

    static let metaStrings = ["source", "correlation_id", "causation_id"].map { ("meta." + $0, Array($0.utf8)) }
    static let sourceName = Array("source".utf8)

    /// `meta.source`'s node, when the event has one.
    func source(in tape: JSONTape) -> Int? {
        self[.meta].flatMap { tape.member(Self.sourceName, of: $0) }
    }
}

/// Size limits of identifiers, in Unicode characters as JSON Schema's `maxLength` counts them.
public enum Limits {
    public static let eventID = 128
    public static let caseID = 128
    public static let party = 256
    public static let maximumSafeInteger: Int64 = 9_007_199_254_740_991
}

/// Which `meta.source` values the reports use: what `append` accepts today (1-256 characters,
/// no control characters; at most 1,024 bytes), checked again where stored events are read, so
/// that an event stored under an older, looser rule names no source rather than a damaging one.
public enum SourceRule {
    public static func isUsable(_ bytes: some Collection<UInt8>) -> Bool {
        (1...1024).contains(bytes.count) && !bytes.contains { $0 < 0x20 || $0 == 0x7F }
    }
}
