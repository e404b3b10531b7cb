/// Requests counted by how they stand at the evaluation time: the one place the response rate
/// is computed, for a brand, a period, a channel, an hour of the week and a relationship alike.
public struct RequestTally: Hashable, Sendable {
    public private(set) var requests = 0
    public private(set) var answeredWithinWindow = 0
    public private(set) var late = 0
    public private(set) var ignored = 0
    public private(set) var pending = 0

    public init() {}

    public mutating func count(_ status: RequestStatus) {
        requests += 1
        switch status {
        case .answered: answeredWithinWindow += 1
        case .late: late += 1
        case .pending: pending += 1
        case .ignored: ignored += 1
        }
    }

    /// Answered at all, within the window or late.
    public var answered: Int { answeredWithinWindow + late }

    /// Decided requests: requests − pending, the base of the response rate and of the shares
    /// within 1 h and 24 h.
    public var decided: Int { requests - pending }

    /// Response rate@H: requests answered within the window H / decided requests.
    public var responseRate: Rate? { Rate(answeredWithinWindow, of: decided) }
}
