import PlaintEvents

/// The journeys projection as a pure fold: `(state, event) -> state`.
///
/// This is what `plaint replay` computes and what the stored views must equal. It holds every
/// case's journey, keyed by case id, and the latest `occurred_at` seen (the default `at`).
public struct JourneyProjection: Sendable, Equatable {
    public private(set) var cases: [[UInt8]: CaseJourney] = [:]
    /// The latest `occurred_at` of any event, microseconds; nil before the first event.
    public private(set) var latestOccurredAt: Int64?
    public private(set) var events = 0

    public init() {}

    public mutating func apply(_ event: StoredEvent) {
        events += 1
        latestOccurredAt = max(latestOccurredAt ?? .min, event.occurredAt.microseconds)
        guard let caseID = event.caseID else { return }
        // One hash lookup per event: replay folds millions.
        if let index = cases.index(forKey: caseID) {
            cases.values[index].insert(event)
        } else {
            cases[caseID] = CaseJourney(event)
        }
    }

    public static func applying(_ state: JourneyProjection, _ event: StoredEvent) -> JourneyProjection {
        var next = state
        next.apply(event)
        return next
    }
}
