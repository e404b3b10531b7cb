import PlaintEvents

/// The journeys projection as a pure fold: `(state, event) -> state`.
///
/// This is what `plaint replay` computes and what the stored views must equal. It holds every
/// case's journey, keyed by case id, and the latest `occurred_at` seen (the default `at`).
public struct JourneyProjection: Sendable, Equatable {
    private var storage: [CaseKey: CaseJourney] = [:]
    /// The latest `occurred_at` of any event, microseconds; nil before the first event.
    public private(set) var latestOccurredAt: Int64?
    public private(set) var events = 0
    /// Relationship events by (brand, customer), for the loyalty ledgers.
    private var relationshipEvents: [PairKey: [JourneyEntry]] = [:]

    public init() {}

    public mutating func apply(_ event: StoredEvent) {
        events += 1
        latestOccurredAt = max(latestOccurredAt ?? .min, event.occurredAt.microseconds)
        if event.type.isRelationship {
            relationshipEvents[PairKey(brand: event.brand, customer: event.customer), default: []].append(
                JourneyEntry(event))
        }
        guard let caseID = event.caseID else { return }
        // One hash lookup per event: replay folds millions.
        let key = CaseKey(bytes: caseID)
        if let index = storage.index(forKey: key) {
            storage.values[index].insert(event)
        } else {
            storage[key] = CaseJourney(event)
        }
    }

    public static func applying(_ state: JourneyProjection, _ event: StoredEvent) -> JourneyProjection {
        var next = state
        next.apply(event)
        return next
    }

    /// Every case's journey, in no particular order.
    public var journeys: Dictionary<CaseKey, CaseJourney>.Values { storage.values }
    public var caseCount: Int { storage.count }

    /// The journeys by case id (a copy: for tests and small stores).
    public var cases: [[UInt8]: CaseJourney] {
        Dictionary(uniqueKeysWithValues: storage.map { ($0.key.bytes, $0.value) })
    }

    public func journey(_ caseID: [UInt8]) -> CaseJourney? { storage[CaseKey(bytes: caseID)] }

    /// Every customer × brand relationship's loyalty ledger: the cases filed under each pair
    /// and the relationship events between them. In no particular order.
    public var ledgers: [LoyaltyLedger] {
        Array(LoyaltyLedger.assemble(journeys: storage.values, relationshipRows: relationshipRows).values)
    }

    /// The stored relationship rows: one per pair with relationship events, without cases.
    public var relationshipRows: [LoyaltyLedger] {
        relationshipEvents.map { key, entries in
            var ledger = LoyaltyLedger(brand: key.brand, customer: key.customer)
            for entry in entries { ledger.addRelationshipEvent(entry) }
            return ledger
        }
    }
}

/// A customer × brand pair as a dictionary key.
public struct PairKey: Hashable, Sendable {
    public var brand: [UInt8]
    public var customer: [UInt8]

    public init(brand: [UInt8], customer: [UInt8]) {
        self.brand = brand
        self.customer = customer
    }

    public func hash(into hasher: inout Hasher) {
        brand.withUnsafeBytes { hasher.combine(bytes: $0) }
        hasher.combine(brand.count)
        customer.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

/// A case id as a dictionary key, hashed as one block of bytes rather than byte by byte.
public struct CaseKey: Hashable, Sendable {
    public var bytes: [UInt8]

    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
