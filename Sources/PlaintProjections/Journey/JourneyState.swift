import PlaintEvents

/// Where a case stands after an event (README, "Journeys and vendor responsiveness").
public enum JourneyState: String, Sendable, CaseIterable {
    /// Filed, or the customer spoke last.
    case awaitingBrand = "awaiting_brand"
    /// The brand spoke last.
    case awaitingCustomer = "awaiting_customer"
    case escalated
    case resolved
    /// The customer gave up.
    case abandoned

    /// The state after `entry`, given the state before it (nil before the first event).
    ///
    /// Automatic replies and events that say nothing about the conversation (ratings,
    /// relationship events) leave the state as it was.
    public static func after(_ entry: JourneyEntry, from state: JourneyState?) -> JourneyState? {
        switch entry.type {
        case .complaintFiled, .customerFollowedUp, .caseReopened: .awaitingBrand
        case .brandReplied: entry.isResponse ? .awaitingCustomer : (state ?? .awaitingBrand)
        case .caseEscalated: .escalated
        case .caseResolved: .resolved
        case .caseAbandoned: .abandoned
        case .customerRated, .vendorChangedService, .customerChurned, .customerRenewed: state
        }
    }
}
