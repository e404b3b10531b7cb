/// Turns one NDJSON line into a `PreparedEvent`: parse, validate as `schemas/` does, canonicalize.
///
/// Keeps its buffers between lines, so preparing an event allocates only its result.
/// The rules here mirror `schemas/event.schema.json` and the per-type schemas one for one; the
/// schema conformance test holds the two to the same verdicts.
public struct EventPreparer: Sendable {
    private var parser = JSONParser()
    private var writer = CanonicalJSONWriter()
    private var output: [UInt8] = []

    public init() { output.reserveCapacity(1024) }

    public mutating func prepare(_ line: UnsafeBufferPointer<UInt8>) throws(EventValidationError) -> PreparedEvent {
        do {
            try parser.parse(line)
        } catch {
            throw EventValidationError(field: nil, message: error.description)
        }
        return try prepareParsed()
    }

    public mutating func prepare(_ line: [UInt8]) throws(EventValidationError) -> PreparedEvent {
        var result: Result<PreparedEvent, EventValidationError>!
        line.withUnsafeBufferPointer { buffer in
            do throws(EventValidationError) { result = .success(try prepare(buffer)) } catch { result = .failure(error) }
        }
        return try result.get()
    }

    public mutating func prepare(_ line: String) throws(EventValidationError) -> PreparedEvent {
        try prepare(Array(line.utf8))
    }

    private mutating func prepareParsed() throws(EventValidationError) -> PreparedEvent {
        let tape = parser.tape
        guard tape[0].kind == .object else {
            throw EventValidationError(field: nil, message: "an event must be a JSON object")
        }
        var envelope = Envelope()
        var member = 1
        for _ in 0..<Int(tape[0].a) {
            let value = member + 1
            try envelope.record(key: member, value: value, in: tape)
            member = Int(tape[value].end)
        }
        let fields = try envelope.validate(in: tape)

        output.removeAll(keepingCapacity: true)
        output.append(UInt8(ascii: "{"))
        for (rank, slot) in envelope.slots.enumerated() {
            guard let value = slot, EnvelopeKey.allCases[rank].isCanonical else { continue }
            if output.count > 1 { output.append(UInt8(ascii: ",")) }
            let key = EnvelopeKey.allCases[rank]
            CanonicalJSONWriter.writeString(key.rawValue.utf8, into: &output)
            output.append(UInt8(ascii: ":"))
            if key == .occurredAt {
                CanonicalJSONWriter.writeString(fields.occurredAt.description.utf8, into: &output)
            } else {
                do {
                    try writer.write(tape, node: value, into: &output)
                } catch {
                    throw EventValidationError(field: key.rawValue, message: "member \"\(error.name)\" occurs twice")
                }
            }
        }
        output.append(UInt8(ascii: "}"))

        return PreparedEvent(
            id: Array(tape.span(envelope[.id]!)),
            type: fields.type,
            caseID: envelope[.case].map { Array(tape.span($0)) },
            customer: Array(tape.span(envelope[.customer]!)),
            brand: Array(tape.span(envelope[.brand]!)),
            occurredAt: fields.occurredAt,
            expectVersion: fields.expectVersion,
            canonical: output)
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

    static let index: [String: Int] = Dictionary(
        uniqueKeysWithValues: allCases.enumerated().map { ($1.rawValue, $0) })
}

/// The values a valid envelope yields besides the raw nodes.
struct EnvelopeFields {
    var type: EventType
    var occurredAt: Timestamp
    var expectVersion: UInt64?
}

/// Top-level members found in one event, by `EnvelopeKey` rank.
struct Envelope {
    var slots: [Int?] = Array(repeating: nil, count: EnvelopeKey.allCases.count)

    subscript(key: EnvelopeKey) -> Int? { slots[EnvelopeKey.index[key.rawValue]!] }

    mutating func record(key: Int, value: Int, in tape: JSONTape) throws(EventValidationError) {
        let name = tape.string(key)
        guard let rank = EnvelopeKey.index[name] else {
            throw EventValidationError(
                field: name,
                message: "unknown field (an event has id, type, occurred_at, case, customer, brand, "
                    + "channel, data, meta, expect_version)")
        }
        guard slots[rank] == nil else {
            throw EventValidationError(field: name, message: "occurs twice")
        }
        slots[rank] = value
    }

    func validate(in tape: JSONTape) throws(EventValidationError) -> EnvelopeFields {
        var rules = Rules(tape: tape)
        for key in [EnvelopeKey.id, .type, .occurredAt, .customer, .brand] where self[key] == nil {
            throw EventValidationError(field: key.rawValue, message: "required")
        }
        try rules.identifier(self[.id]!, field: "id", maximumLength: Limits.eventID)
        let typeName = try rules.string(self[.type]!, field: "type")
        guard let type = EventType(rawValue: typeName) else {
            throw EventValidationError(
                field: "type", message: "must be one of \(Rules.list(EventType.allCases.map(\.rawValue))) (got \"\(typeName)\")")
        }
        let occurredText = try rules.string(self[.occurredAt]!, field: "occurred_at")
        guard let occurredAt = Timestamp(rfc3339: occurredText.utf8) else {
            throw EventValidationError(
                field: "occurred_at",
                message: "must be an RFC 3339 time with offset, years 1900-2999, at most 6 fraction digits, "
                    + "such as 2017-10-31T22:10:47Z (got \"\(occurredText)\")")
        }
        if let node = self[.case] {
            try rules.identifier(node, field: "case", maximumLength: Limits.caseID)
        } else if !type.isRelationship {
            throw EventValidationError(field: "case", message: "required for \(type.rawValue)")
        }
        try rules.identifier(self[.customer]!, field: "customer", maximumLength: Limits.party)
        try rules.identifier(self[.brand]!, field: "brand", maximumLength: Limits.party)
        if let node = self[.channel] {
            try rules.channel(node, field: "channel")
        } else if type.isMessage {
            throw EventValidationError(field: "channel", message: "required for \(type.rawValue)")
        }
        var expectVersion: UInt64?
        if let node = self[.expectVersion] {
            expectVersion = UInt64(try rules.integer(node, field: "expect_version", in: 0...Limits.maximumSafeInteger))
            guard self[.case] != nil else {
                throw EventValidationError(field: "expect_version", message: "needs a case: versions are counted per case")
            }
        }
        if let node = self[.meta] {
            try rules.object(node, field: "meta")
            for name in ["source", "correlation_id", "causation_id"] {
                if let value = tape.member(name, of: node) { _ = try rules.string(value, field: "meta." + name) }
            }
        }
        try DataRules.validate(type: type, data: self[.data], rules: &rules)
        return EnvelopeFields(type: type, occurredAt: occurredAt, expectVersion: expectVersion)
    }
}

/// Size limits of identifiers, in Unicode characters as JSON Schema's `maxLength` counts them.
public enum Limits {
    public static let eventID = 128
    public static let caseID = 128
    public static let party = 256
    public static let maximumSafeInteger: Int64 = 9_007_199_254_740_991
}
