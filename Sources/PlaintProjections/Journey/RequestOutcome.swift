import PlaintEvents

/// What an entry is to its case's request (`RequestOutcome.apply`).
public enum RequestRole: Equatable, Sendable {
    case request
    /// A follow-up after the request and before any response: repeat contact.
    case followUpBeforeResponse
    case firstResponse
    case other
}

/// The few facts of a case that decide its request status and closure (see `CaseFigures.outcome`).
public struct RequestOutcome: Hashable, Sendable {
    public var filedAt: Int64?
    public var firstResponseAt: Int64?
    public var state: JourneyState?

    public init(filedAt: Int64? = nil, firstResponseAt: Int64? = nil, state: JourneyState? = nil) {
        self.filedAt = filedAt
        self.firstResponseAt = firstResponseAt
        self.state = state
    }

    /// Never negative: a response before the request is clock skew, counted as 0.
    public var firstResponseTime: Int64? {
        guard let filedAt, let firstResponseAt else { return nil }
        return max(0, firstResponseAt - filedAt)
    }

    /// One step of the walk over a case's entries in journey order: the one place that says
    /// which message is the request (the earliest customer message) and which reply the first
    /// response (the earliest reply that is not automatic, even before the request: clock skew).
    @discardableResult
    public mutating func apply(_ entry: JourneyEntry) -> RequestRole {
        state = JourneyState.after(entry, from: state)
        if entry.isCustomerMessage {
            if filedAt == nil {
                filedAt = entry.occurredAt
                return .request
            }
            if entry.type == .customerFollowedUp, firstResponseAt == nil { return .followUpBeforeResponse }
        } else if entry.isResponse, firstResponseAt == nil {
            firstResponseAt = entry.occurredAt
            return .firstResponse
        }
        return .other
    }

    /// As `RequestStatus.of` for the full figures.
    public func status(at: Int64, window: Int64) -> RequestStatus? {
        guard let filedAt else { return nil }
        if let responseTime = firstResponseTime { return responseTime <= window ? .answered : .late }
        return at - filedAt < window ? .pending : .ignored
    }
}

/// How a request stands at the evaluation time.
public enum RequestStatus: String, Sendable {
    /// Answered within the window.
    case answered
    /// Answered after the window.
    case late
    /// No response yet and younger than the window.
    case pending
    /// No response and older than the window.
    case ignored

    /// - Parameters: times in microseconds.
    public static func of(_ figures: CaseFigures, at: Int64, window: Int64) -> RequestStatus? {
        figures.outcome.status(at: at, window: window)
    }
}
