/// The `data` object of each event type, as `schemas/<type>.schema.json` states it.
///
/// Unknown members are kept, never rejected: scripts may carry their own context.
enum DataRules {
    enum Rule {
        case text
        case nonEmptyText
        case boolean
        case channel
        case oneOf([String])
        case integer
    }

    struct Field {
        var name: String
        var rule: Rule
        var required = false
    }

    static let severities = ["low", "medium", "high", "critical"]
    static let replyKinds = ["answer", "redirect", "acknowledge", "auto"]
    static let resolutions = ["fixed", "refunded", "explained", "declined", "other"]
    static let resolvers = ["brand", "customer"]
    static let scales = ["csat", "nps", "ces"]
    static let serviceChanges = ["downgrade", "price_increase", "outage", "policy", "upgrade", "other"]

    /// Score ranges per rating scale: CSAT 1-5, NPS 0-10, CES 1-7.
    static let scoreRanges: [String: ClosedRange<Int64>] = ["csat": 1...5, "nps": 0...10, "ces": 1...7]

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

    static func validate(type: EventType, data: Int?, rules: inout Rules) throws(EventValidationError) {
        let fields = fields(of: type)
        guard let data else {
            if let required = fields.first(where: \.required) {
                throw EventValidationError(field: "data", message: "required for \(type.rawValue) (with \"\(required.name)\")")
            }
            return
        }
        try rules.object(data, field: "data")
        let tape = rules.tape
        for field in fields {
            let path = "data." + field.name
            guard let node = tape.member(field.name, of: data) else {
                if field.required { throw EventValidationError(field: path, message: "required for \(type.rawValue)") }
                continue
            }
            switch field.rule {
            case .text: _ = try rules.string(node, field: path)
            case .nonEmptyText:
                if try rules.string(node, field: path).isEmpty {
                    throw EventValidationError(field: path, message: "must not be empty")
                }
            case .boolean: try rules.boolean(node, field: path)
            case .channel: try rules.channel(node, field: path)
            case .oneOf(let allowed): _ = try rules.oneOf(node, field: path, allowed)
            case .integer: _ = try rules.integer(node, field: path, in: Int64.min...Int64.max)
            }
        }
        if type == .customerRated, let scaleNode = tape.member("scale", of: data),
            let scoreNode = tape.member("score", of: data)
        {
            let scale = tape.string(scaleNode)
            let range = scoreRanges[scale]!
            _ = try rules.integer(scoreNode, field: "data.score", in: range)
        }
    }
}
