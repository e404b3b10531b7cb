import PlaintEvents

/// Why a model file cannot be used: names the field, so a user can fix the file.
public struct LoyaltyModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The dotted path of the field (`customer_loyalty.ignored`), or empty for the whole document.
    public var field: String
    public var reason: String

    public var description: String { field.isEmpty ? reason : "field \"\(field)\": \(reason)" }
}

extension LoyaltyModel {
    public static let formatName = "plaint-loyalty"
    public static let formatVersion = 1

    /// Reads a model file. Every field is required and unknown fields are refused, so a typo
    /// cannot silently leave a default in force.
    public init(json bytes: [UInt8]) throws(LoyaltyModelError) {
        var parser = JSONParser()
        do {
            try parser.parse(bytes)
        } catch {
            throw LoyaltyModelError(field: "", reason: error.description)
        }
        let root = ModelObject(tape: parser.tape, node: 0, path: "")
        try root.requireObject()
        guard try root.string("model") == Self.formatName else {
            throw LoyaltyModelError(field: "model", reason: "must be \"\(Self.formatName)\"")
        }
        guard try root.integer("version", in: 1...Int.max) == Self.formatVersion else {
            throw LoyaltyModelError(field: "version", reason: "this plaint reads version \(Self.formatVersion)")
        }
        let customer = try root.object("customer_loyalty")
        let devotion = try root.object("brand_devotion")
        self.init(
            halfLife: try root.hours("half_life_days", unit: Timestamp.microsecondsPerDay),
            baseline: try root.number("baseline", in: 0...100),
            window: try root.hours("window_hours", unit: Timestamp.microsecondsPerHour),
            customer: CustomerWeights(
                complaintFiled: try customer.number("complaint_filed"),
                ignored: try customer.number("ignored"),
                firstResponseTarget: try customer.hours(
                    "first_response_target_hours", unit: Timestamp.microsecondsPerHour),
                slowFirstResponsePerDoubling: try customer.number("slow_first_response_per_doubling"),
                slowFirstResponseCap: try customer.number("slow_first_response_cap", in: -100...0),
                redirectFirstResponse: try customer.number("redirect_first_response"),
                followUpBeforeResponse: try customer.number("follow_up_before_response"),
                resolutionTarget: try customer.hours("resolution_target_hours", unit: Timestamp.microsecondsPerHour),
                resolvedWithinTarget: try customer.number("resolved_within_target"),
                resolvedLate: try customer.number("resolved_late"),
                reopened: try customer.number("reopened"),
                abandoned: try customer.number("abandoned"),
                unconsentedAdverseChange: try customer.number("unconsented_adverse_change"),
                upgrade: try customer.number("upgrade"),
                promoterMinimumNPS: try customer.integer("promoter_min_nps", in: 0...10),
                promoter: try customer.number("promoter"),
                detractorMaximumNPS: try customer.integer("detractor_max_nps", in: 0...10),
                detractor: try customer.number("detractor"),
                renewed: try customer.number("renewed")),
            devotion: DevotionWeights(
                responseRate: try devotion.number("response_rate_weight", in: 0...1),
                speed: try devotion.number("speed_weight", in: 0...1),
                kept: try devotion.number("kept_weight", in: 0...1),
                unconsentedAdverseChange: try devotion.number("unconsented_adverse_change")))
        guard self.customer.detractorMaximumNPS < self.customer.promoterMinimumNPS else {
            throw LoyaltyModelError(
                field: "customer_loyalty.detractor_max_nps", reason: "must be below promoter_min_nps")
        }
        let weights = self.devotion.responseRate + self.devotion.speed + self.devotion.kept
        guard abs(weights - 1) < 1e-9 else {
            throw LoyaltyModelError(
                field: "brand_devotion", reason: "response_rate_weight + speed_weight + kept_weight must be 1")
        }
        try root.refuseUnknown([
            "model", "version", "half_life_days", "baseline", "window_hours", "customer_loyalty",
            "brand_devotion",
        ])
        try customer.refuseUnknown([
            "complaint_filed", "ignored", "first_response_target_hours", "slow_first_response_per_doubling",
            "slow_first_response_cap", "redirect_first_response", "follow_up_before_response",
            "resolution_target_hours", "resolved_within_target", "resolved_late", "reopened", "abandoned",
            "unconsented_adverse_change", "upgrade", "promoter_min_nps", "promoter", "detractor_max_nps", "detractor",
            "renewed",
        ])
        try devotion.refuseUnknown([
            "response_rate_weight", "speed_weight", "kept_weight", "unconsented_adverse_change",
        ])
    }

    /// The model as a model file, in the shipped file's layout.
    public var json: String {
        func number(_ value: Double) -> String { ECMAScriptNumber.format(value) }
        func hours(_ value: Int64, _ unit: Int64) -> String { number(Double(value) / Double(unit)) }
        let c = customer
        let lines = [
            "{",
            "  \"model\": \"\(Self.formatName)\",",
            "  \"version\": \(Self.formatVersion),",
            "  \"half_life_days\": \(hours(halfLife, Timestamp.microsecondsPerDay)),",
            "  \"baseline\": \(number(baseline)),",
            "  \"window_hours\": \(hours(window, Timestamp.microsecondsPerHour)),",
            "  \"customer_loyalty\": {",
            "    \"complaint_filed\": \(number(c.complaintFiled)),",
            "    \"ignored\": \(number(c.ignored)),",
            "    \"first_response_target_hours\": \(hours(c.firstResponseTarget, Timestamp.microsecondsPerHour)),",
            "    \"slow_first_response_per_doubling\": \(number(c.slowFirstResponsePerDoubling)),",
            "    \"slow_first_response_cap\": \(number(c.slowFirstResponseCap)),",
            "    \"redirect_first_response\": \(number(c.redirectFirstResponse)),",
            "    \"follow_up_before_response\": \(number(c.followUpBeforeResponse)),",
            "    \"resolution_target_hours\": \(hours(c.resolutionTarget, Timestamp.microsecondsPerHour)),",
            "    \"resolved_within_target\": \(number(c.resolvedWithinTarget)),",
            "    \"resolved_late\": \(number(c.resolvedLate)),",
            "    \"reopened\": \(number(c.reopened)),",
            "    \"abandoned\": \(number(c.abandoned)),",
            "    \"unconsented_adverse_change\": \(number(c.unconsentedAdverseChange)),",
            "    \"upgrade\": \(number(c.upgrade)),",
            "    \"promoter_min_nps\": \(c.promoterMinimumNPS),",
            "    \"promoter\": \(number(c.promoter)),",
            "    \"detractor_max_nps\": \(c.detractorMaximumNPS),",
            "    \"detractor\": \(number(c.detractor)),",
            "    \"renewed\": \(number(c.renewed))",
            "  },",
            "  \"brand_devotion\": {",
            "    \"response_rate_weight\": \(number(devotion.responseRate)),",
            "    \"speed_weight\": \(number(devotion.speed)),",
            "    \"kept_weight\": \(number(devotion.kept)),",
            "    \"unconsented_adverse_change\": \(number(devotion.unconsentedAdverseChange))",
            "  }",
            "}",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}

/// One object of a model file, read field by field with the field's path in every error.
private struct ModelObject {
    let tape: JSONTape
    let node: Int
    let path: String

    func name(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    func requireObject() throws(LoyaltyModelError) {
        guard tape[node].kind == .object else {
            throw LoyaltyModelError(
                field: path, reason: path.isEmpty ? "the model must be a JSON object" : "must be an object")
        }
    }

    func value(_ key: String) throws(LoyaltyModelError) -> Int {
        guard let member = tape.member(key, of: node) else {
            throw LoyaltyModelError(field: name(key), reason: "is missing")
        }
        return member
    }

    func object(_ key: String) throws(LoyaltyModelError) -> ModelObject {
        let object = ModelObject(tape: tape, node: try value(key), path: name(key))
        try object.requireObject()
        return object
    }

    func string(_ key: String) throws(LoyaltyModelError) -> String {
        let member = try value(key)
        guard tape[member].kind == .string else {
            throw LoyaltyModelError(field: name(key), reason: "must be a string")
        }
        return tape.string(member)
    }

    func number(_ key: String, in range: ClosedRange<Double> = -100...100) throws(LoyaltyModelError) -> Double {
        let member = try value(key)
        guard tape[member].kind == .number else {
            throw LoyaltyModelError(field: name(key), reason: "must be a number")
        }
        let number = tape.double(member)
        guard number.isFinite, range.contains(number) else {
            throw LoyaltyModelError(
                field: name(key),
                reason:
                    "must be between \(ECMAScriptNumber.format(range.lowerBound)) and \(ECMAScriptNumber.format(range.upperBound))"
            )
        }
        return number
    }

    func integer(_ key: String, in range: ClosedRange<Int>) throws(LoyaltyModelError) -> Int {
        let number = try number(
            key, in: Double(max(range.lowerBound, -1 << 40))...Double(min(range.upperBound, 1 << 40)))
        guard number == number.rounded() else {
            throw LoyaltyModelError(field: name(key), reason: "must be a whole number")
        }
        return Int(number)
    }

    /// A positive duration given in `unit`s (hours or days), as microseconds.
    func hours(_ key: String, unit: Int64) throws(LoyaltyModelError) -> Int64 {
        let number = try number(key, in: 0...1_000_000)
        let microseconds = (number * Double(unit)).rounded()
        guard microseconds >= 1_000_000 else {
            throw LoyaltyModelError(field: name(key), reason: "must be at least one second")
        }
        return Int64(microseconds)
    }

    func refuseUnknown(_ known: Set<String>) throws(LoyaltyModelError) {
        var member = node + 1
        for _ in 0..<Int(tape[node].a) {
            let key = tape.string(member)
            guard known.contains(key) else {
                throw LoyaltyModelError(field: name(key), reason: "is not a field of the model (a typo?)")
            }
            member = Int(tape[member + 1].end)
        }
    }
}
