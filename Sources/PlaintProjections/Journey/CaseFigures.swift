import PlaintEvents

/// A case's derived figures (README, "Journeys and vendor responsiveness"), from the events that occurred by `at`.
///
/// Times are microseconds since 1970 (UTC); durations are microseconds.
public struct CaseFigures: Hashable, Sendable {
    /// The request, its first response and the state.
    public private(set) var outcome = RequestOutcome()
    /// The request: the earliest customer message (`complaint.filed` or `customer.followed_up`).
    public var filedAt: Int64? { outcome.filedAt }
    /// The channel of that message: the request's channel.
    public var requestChannel: Channel?
    /// False when no `complaint.filed` is known: an event for an unknown case (an anomaly).
    public var hasComplaint = false
    /// The earliest reply whose kind is not `auto`.
    public var firstResponseAt: Int64? { outcome.firstResponseAt }
    public var firstResponseKind: ReplyKind?
    /// Where a redirecting first response sent the customer, when it said.
    public var firstResponseRedirect: Channel?
    /// Replies that occurred before the request: clock skew between the two sides' systems.
    public var repliesBeforeRequest = 0
    /// Replies that stop the clock (not `auto`), and automatic ones.
    public var brandReplies = 0
    public var automaticReplies = 0
    public var followUps = 0
    /// Follow-ups before the first response: repeat contact.
    public var followUpsBeforeResponse = 0
    /// Channels of the case's messages, in order of first use.
    public var channels: [Channel] = []
    /// How often a message used another channel than the message before it.
    public var channelSwitches = 0
    public var state: JourneyState? { outcome.state }
    /// The resolution in force at `at` (the last `case.resolved`), when the case is resolved.
    public var resolvedAt: Int64?
    public var everResolved = false
    public var reopenCount = 0
    public var escalations = 0
    public var events = 0
    public var lastEventAt: Int64?

    public init() {}

    /// First response time: response − request, never negative (a negative value is clock skew).
    public var firstResponseTime: Int64? { outcome.firstResponseTime }

    /// The first response came before the request: reported as clock skew (README, "Journeys and vendor responsiveness").
    public var firstResponseSkewed: Bool {
        guard let filedAt, let firstResponseAt else { return false }
        return firstResponseAt < filedAt
    }

    public var timeToResolution: Int64? {
        guard let filedAt, let resolvedAt else { return nil }
        return max(0, resolvedAt - filedAt)
    }

    public var isRequest: Bool { filedAt != nil }
    /// Whether the case's events record a resolution: a `case.resolved`, or a reopen, which only
    /// follows one. The base of the reopen rate, and what makes a brand's resolution figures
    /// recorded at all.
    public var recordsResolution: Bool { everResolved || reopenCount > 0 }
    public var firstResponseWasRedirect: Bool { firstResponseKind == .redirect }

    /// Folds `entries` (in journey order) that occurred at or before `at` (nil: all of them).
    public init<Entries: Sequence<JourneyEntry>>(_ entries: Entries, at: Int64? = nil) {
        self.init(folding: entries, at: at)
    }

    /// The same for an array, compiled for arrays here: a generic call from another module
    /// iterates through witness tables, and replay and the queries fold every journey.
    public init(_ entries: [JourneyEntry], at: Int64? = nil) {
        self.init(folding: entries, at: at)
    }

    private init<Entries: Sequence<JourneyEntry>>(folding entries: Entries, at: Int64?) {
        self.init()
        var previousChannel: Channel?
        for entry in entries {
            if let at, entry.occurredAt > at { break }
            apply(entry, previousChannel: &previousChannel)
        }
    }

    /// One step of the fold: `(figures, event) -> figures`.
    mutating func apply(_ entry: JourneyEntry, previousChannel: inout Channel?) {
        events += 1
        lastEventAt = entry.occurredAt
        let role = outcome.apply(entry)
        if entry.type.isMessage, let channel = entry.facts.channel {
            if let previousChannel, previousChannel != channel { channelSwitches += 1 }
            if !channels.contains(channel) { channels.append(channel) }
            previousChannel = channel
        }
        switch role {
        case .request: requestChannel = entry.facts.channel
        case .followUpBeforeResponse: followUpsBeforeResponse += 1
        case .firstResponse:
            firstResponseKind = entry.facts.replyKind
            firstResponseRedirect = entry.facts.redirectChannel
        case .other: break
        }
        switch entry.type {
        case .complaintFiled: hasComplaint = true
        case .customerFollowedUp: followUps += 1
        case .brandReplied:
            if filedAt == nil { repliesBeforeRequest += 1 }
            if entry.isResponse { brandReplies += 1 } else { automaticReplies += 1 }
        case .caseResolved: everResolved = true
        case .caseReopened: reopenCount += 1
        case .caseEscalated: escalations += 1
        default: break
        }
        resolvedAt = state == .resolved ? (entry.type == .caseResolved ? entry.occurredAt : resolvedAt) : nil
    }

    /// The request's filing, its first response and the state at `at`: the same values as the
    /// full fold's `filedAt`, `firstResponseAt` and `state`, without its allocations (loyalty
    /// scores a brand's every case).
    public static func outcome<Entries: Sequence<JourneyEntry>>(_ entries: Entries, at: Int64) -> RequestOutcome {
        var outcome = RequestOutcome()
        for entry in entries {
            guard entry.occurredAt <= at else { break }
            outcome.apply(entry)
        }
        return outcome
    }

    /// The state after each entry, in journey order (for `journey --steps`).
    public static func steps<Entries: Sequence<JourneyEntry>>(_ entries: Entries) -> [JourneyState?] {
        var state: JourneyState?
        return entries.map { entry in
            state = JourneyState.after(entry, from: state)
            return state
        }
    }
}
