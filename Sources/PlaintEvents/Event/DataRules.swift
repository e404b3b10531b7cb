/// The `data` object of each event type, as `schemas/<type>.schema.json` states it.
///
/// Unknown members are kept, never rejected: scripts may carry their own context.
enum DataRules {
    enum Rule {
        case text
        case nonEmptyText
        case boolean
        case channel
        case oneOf(Vocabulary)
        case integer
    }

    struct Field {
        var name: String
        var rule: Rule
        var required: Bool
        /// "data." + name, built once: the checks take it for every event, not only on error.
        var path: String

        init(name: String, rule: Rule, required: Bool = false) {
            self.name = name
            self.rule = rule
            self.required = required
            path = "data." + name
        }
    }

    static let severities = Vocabulary(["low", "medium", "high", "critical"])
    static let replyKinds = Vocabulary(["answer", "redirect", "acknowledge", "auto"])
    static let resolutions = Vocabulary(["fixed", "refunded", "explained", "declined", "other"])
    static let resolvers = Vocabulary(["brand", "customer"])
    static let scales = Vocabulary(["csat", "nps", "ces"])
    static let serviceChanges = Vocabulary(["downgrade", "price_increase", "outage", "policy", "upgrade", "other"])

    /// Score ranges per rating scale, in `scales` order: CSAT 1-5, NPS 0-10, CES 1-7.
    static let scoreRanges: [ClosedRange<Int64>] = [1...5, 0...10, 1...7]

    /// The fields of each type, in `EventType.allCases` order, with their names as bytes.
    static let table: [[(Field, [UInt8])]] = EventType.allCases.map { type in
        fields(of: type).map { ($0, Array($0.name.utf8)) }
    }

    static func fields(of type: EventType) -> [Field] {
        switch type {
        case .complaintFiled:
            [
                Field(name: "text", rule: .text), Field(name: "topic", rule: .text),
                Field(name: "severity", rule: .oneOf(severities)), Field(name: "public", rule: .boolean),
            ]
        case .customerFollowedUp:
            [Field(name: "text", rule: .text)]
        case .brandReplied:
            [
                Field(name: "kind", rule: .oneOf(replyKinds), required: true),
                Field(name: "to_channel", rule: .channel), Field(name: "agent", rule: .text),
                Field(name: "text", rule: .text),
            ]
        case .caseEscalated:
            [Field(name: "to", rule: .nonEmptyText, required: true), Field(name: "reason", rule: .text)]
        case .caseResolved:
            [
                Field(name: "resolution", rule: .oneOf(resolutions), required: true),
                Field(name: "by", rule: .oneOf(resolvers)),
            ]
        case .caseReopened, .caseAbandoned, .customerChurned:
            [Field(name: "reason", rule: .text)]
        case .customerRated:
            [
                Field(name: "scale", rule: .oneOf(scales), required: true),
                Field(name: "score", rule: .integer, required: true),
            ]
        case .vendorChangedService:
            [
                Field(name: "change", rule: .oneOf(serviceChanges), required: true),
                Field(name: "consented", rule: .boolean, required: true),
                Field(name: "description", rule: .text),
            ]
        case .customerRenewed:
            []
        }
    }

    static func validate(type: EventType, data: Int?, rules: Rules) throws(EventValidationError) {
        let fields = table[EventType.allCases.firstIndex(of: type)!]
        guard let data else {
            if let (required, _) = fields.first(where: { $0.0.required }) {
                throw EventValidationError(
                    field: "data", message: "required for \(type.rawValue) (with \"\(required.name)\")")
            }
            return
        }
        try rules.object(data, field: "data")
        let tape = rules.tape
        for (field, name) in fields {
            guard let node = tape.member(name, of: data) else {
                if field.required {
                    throw EventValidationError(field: field.path, message: "required for \(type.rawValue)")
                }
                continue
            }
            switch field.rule {
            case .text: try rules.string(node, field: field.path)
            case .nonEmptyText:
                if try rules.string(node, field: field.path) == 0 {
                    throw EventValidationError(field: field.path, message: "must not be empty")
                }
            case .boolean: try rules.boolean(node, field: field.path)
            case .channel: _ = try rules.oneOf(node, field: field.path, Channel.vocabulary)
            case .oneOf(let allowed): _ = try rules.oneOf(node, field: field.path, allowed)
            case .integer: _ = try rules.integer(node, field: field.path, in: Int64.min...Int64.max)
            }
        }
        if type == .customerRated, let scaleNode = tape.member(Array("scale".utf8), of: data),
            let scoreNode = tape.member(Array("score".utf8), of: data),
            let scale = scales.index(of: scaleNode, in: tape)
        {
            _ = try rules.integer(scoreNode, field: "data.score", in: scoreRanges[scale])
        }
    }
}
