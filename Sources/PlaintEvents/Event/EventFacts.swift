/// What the projections need from one event besides its envelope: the channel and the few
/// `data` members that decide a journey's figures. Small and fixed-size, so a journey can keep
/// one per event.
public struct EventFacts: Sendable, Hashable {
    public var channel: Channel?
    /// `brand.replied`: `data.kind`.
    public var replyKind: ReplyKind?
    /// `brand.replied` redirects: `data.to_channel`.
    public var redirectChannel: Channel?
    /// `case.resolved`: `data.resolution`.
    public var resolution: Resolution?
    /// `vendor.changed_service`: `data.change` and `data.consented`.
    public var serviceChange: ServiceChange?
    public var consented: Bool?
    /// `customer.rated`: `data.scale` and `data.score`.
    public var ratingScale: RatingScale?
    public var ratingScore: Int8?

    public init(
        channel: Channel? = nil, replyKind: ReplyKind? = nil, redirectChannel: Channel? = nil,
        resolution: Resolution? = nil, serviceChange: ServiceChange? = nil, consented: Bool? = nil,
        ratingScale: RatingScale? = nil, ratingScore: Int8? = nil
    ) {
        self.channel = channel
        self.replyKind = replyKind
        self.redirectChannel = redirectChannel
        self.resolution = resolution
        self.serviceChange = serviceChange
        self.consented = consented
        self.ratingScale = ratingScale
        self.ratingScore = ratingScore
    }
}

/// `brand.replied` `data.kind`. Automatic replies never stop the response clock (README, "Journeys and vendor responsiveness").
public enum ReplyKind: UInt8, CaseIterable, Sendable {
    case answer, redirect, acknowledge, auto
    public var name: String { ["answer", "redirect", "acknowledge", "auto"][Int(rawValue)] }
}

/// `case.resolved` `data.resolution`.
public enum Resolution: UInt8, CaseIterable, Sendable {
    case fixed, refunded, explained, declined, other
    public var name: String { ["fixed", "refunded", "explained", "declined", "other"][Int(rawValue)] }
}

/// `vendor.changed_service` `data.change`.
public enum ServiceChange: UInt8, CaseIterable, Sendable {
    case downgrade, priceIncrease, outage, policy, upgrade, other
    public var name: String {
        ["downgrade", "price_increase", "outage", "policy", "upgrade", "other"][Int(rawValue)]
    }
    /// Changes that hurt the customer when imposed without consent (README, "Loyalty, both ways").
    public var isAdverse: Bool { self == .downgrade || self == .priceIncrease || self == .policy }
}

/// `customer.rated` `data.scale`.
public enum RatingScale: UInt8, CaseIterable, Sendable {
    case csat, nps, ces
    public var name: String { ["csat", "nps", "ces"][Int(rawValue)] }
}

extension Channel {
    /// A stable small number for compact storage: the index in the README's list of channels.
    public var code: UInt8 { UInt8(Channel.allCases.firstIndex(of: self)!) }
    public init?(code: UInt8) {
        guard Int(code) < Channel.allCases.count else { return nil }
        self = Channel.allCases[Int(code)]
    }
}

extension EventFacts {
    private static let names = (
        channel: Array("channel".utf8), data: Array("data".utf8), kind: Array("kind".utf8),
        toChannel: Array("to_channel".utf8), resolution: Array("resolution".utf8),
        change: Array("change".utf8), consented: Array("consented".utf8), scale: Array("scale".utf8),
        score: Array("score".utf8)
    )

    /// Reads the facts of a parsed, already validated event whose root object is node 0.
    public init(type: EventType, tape: JSONTape) {
        self.init()
        let names = Self.names
        if let node = tape.member(names.channel, of: 0), let index = Channel.vocabulary.index(of: node, in: tape) {
            channel = Channel.allCases[index]
        }
        guard let data = tape.member(names.data, of: 0), tape[data].kind == .object else { return }
        func vocabularyIndex(_ name: [UInt8], _ vocabulary: Vocabulary) -> Int? {
            tape.member(name, of: data).flatMap { vocabulary.index(of: $0, in: tape) }
        }
        switch type {
        case .brandReplied:
            replyKind = vocabularyIndex(names.kind, DataRules.replyKinds).map { ReplyKind(rawValue: UInt8($0))! }
            redirectChannel = vocabularyIndex(names.toChannel, Channel.vocabulary).map { Channel.allCases[$0] }
        case .caseResolved:
            resolution = vocabularyIndex(names.resolution, DataRules.resolutions).map {
                Resolution(rawValue: UInt8($0))!
            }
        case .vendorChangedService:
            serviceChange = vocabularyIndex(names.change, DataRules.serviceChanges).map {
                ServiceChange(rawValue: UInt8($0))!
            }
            if let node = tape.member(names.consented, of: data) { consented = tape[node].kind == .true }
        case .customerRated:
            ratingScale = vocabularyIndex(names.scale, DataRules.scales).map { RatingScale(rawValue: UInt8($0))! }
            if let node = tape.member(names.score, of: data), tape[node].kind == .number {
                ratingScore = Int8(exactly: tape.double(node))
            }
        default:
            break
        }
    }
}

extension EventFacts {
    private static let none: UInt8 = 0xFF

    /// Three bytes: channel, detail (reply kind, resolution, change or scale) and extra
    /// (redirect channel, consent or score); 0xFF for none. For compact storage.
    public var packed: (UInt8, UInt8, UInt8) {
        let none = Self.none
        let channel = self.channel?.code ?? none
        if let kind = replyKind { return (channel, kind.rawValue, redirectChannel?.code ?? none) }
        if let resolution { return (channel, resolution.rawValue, none) }
        if let change = serviceChange { return (channel, change.rawValue, consented.map { $0 ? 1 : 0 } ?? none) }
        if let scale = ratingScale {
            return (channel, scale.rawValue, ratingScore.map { UInt8(bitPattern: $0) } ?? none)
        }
        return (channel, none, none)
    }

    /// The facts of an event of `type` from their `packed` form.
    public init(type: EventType, packed: (UInt8, UInt8, UInt8)) {
        let (channel, detail, extra) = packed
        let none = Self.none
        self.init(channel: Channel(code: channel))
        guard detail != none else { return }
        switch type {
        case .brandReplied:
            replyKind = ReplyKind(rawValue: detail)
            redirectChannel = Channel(code: extra)
        case .caseResolved:
            resolution = Resolution(rawValue: detail)
        case .vendorChangedService:
            serviceChange = ServiceChange(rawValue: detail)
            consented = extra == none ? nil : extra == 1
        case .customerRated:
            ratingScale = RatingScale(rawValue: detail)
            ratingScore = extra == none ? nil : Int8(bitPattern: extra)
        default:
            break
        }
    }
}
