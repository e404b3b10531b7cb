/// The kinds of event (README, "Events").
public enum EventType: String, CaseIterable, Sendable, Hashable {
    case complaintFiled = "complaint.filed"
    case customerFollowedUp = "customer.followed_up"
    case brandReplied = "brand.replied"
    case caseEscalated = "case.escalated"
    case caseResolved = "case.resolved"
    case caseReopened = "case.reopened"
    case caseAbandoned = "case.abandoned"
    case customerRated = "customer.rated"
    case vendorChangedService = "vendor.changed_service"
    case customerChurned = "customer.churned"
    case customerRenewed = "customer.renewed"

    /// Relationship events belong to a customer and a brand; a case is optional.
    public var isRelationship: Bool {
        switch self {
        case .vendorChangedService, .customerChurned, .customerRenewed: true
        default: false
        }
    }

    /// Messages travel on a channel, so they must name it.
    public var isMessage: Bool {
        switch self {
        case .complaintFiled, .customerFollowedUp, .brandReplied: true
        default: false
        }
    }
}

extension EventType {
    static let vocabulary = Vocabulary(allCases.map(\.rawValue))
}

/// Where a message was sent.
public enum Channel: String, CaseIterable, Sendable, Hashable {
    case twitter, facebook, instagram, email, phone, chat, web, store, forum, dm, regulator, other
}

extension Channel {
    static let vocabulary = Vocabulary(allCases.map(\.rawValue))
}
