import PlaintEvents
import PlaintSystem

/// The journeys projection as a pure fold: `(state, event) -> state`.
///
/// This is what `plaint replay` computes and what the stored views must equal. It holds every
/// case's journey, keyed by case id, and the latest `occurred_at` seen (the default `at`).
public struct JourneyProjection: Sendable, Equatable {
    /// Case ids numbered in the order first seen; a case's number is its index in `journeyList`.
    /// nil for a projection assembled from whole journeys (replay's) until an event is applied
    /// to it: replay compares and summarizes without looking cases up, and numbering 260,000
    /// cases would cost it a tenth of a second.
    private var caseNumbers: ByteInterner? = ByteInterner()
    private var journeyList: [CaseJourney] = []
    /// Customers and brands, numbered, and their bytes by number.
    private var parties = SharedNames()
    /// The latest `occurred_at` of any event, microseconds; nil before the first event.
    public private(set) var latestOccurredAt: Int64?
    public private(set) var events = 0
    /// Relationship events by (brand, customer), for the loyalty ledgers.
    private var relationshipEvents: [PairKey: [JourneyEntry]] = [:]

    public init() {}

    /// The state that applying `events` events one by one reaches, given as its parts, folded
    /// elsewhere: every case's journey (distinct case ids, any order), the relationship events
    /// in position order, and the latest `occurred_at`. Replay assembles journeys case by case.
    public init(
        journeys: [CaseJourney], relationshipEvents: [(entry: JourneyEntry, customer: [UInt8], brand: [UInt8])],
        events: Int, latestOccurredAt: Int64?
    ) {
        journeyList = journeys
        caseNumbers = nil
        for (entry, customer, brand) in relationshipEvents {
            let (brand, customer) = (partyName(brand.span), partyName(customer.span))
            addRelationshipEvent(entry, brand: brand, customer: customer)
        }
        self.events = events
        self.latestOccurredAt = latestOccurredAt
    }

    public mutating func apply(_ event: StoredEvent) {
        event.withBorrowedParties { caseID, customer, brand, source in
            apply(JourneyEntry(event), caseID: caseID, customer: customer, brand: brand, source: source)
        }
    }

    /// The same fold, for an event given as its journey entry and its case id, customer, brand
    /// and source as borrowed bytes: replay's path. It copies a case id, customer or brand only
    /// the first time it sees it.
    public mutating func apply(
        _ entry: JourneyEntry, caseID: Span<UInt8>?, customer: Span<UInt8>, brand: Span<UInt8>, source: Span<UInt8>?
    ) {
        count(entry)
        if entry.type.isRelationship {
            addRelationshipEvent(entry, brand: partyName(brand), customer: partyName(customer))
        }
        guard let caseID else { return }
        if caseNumbers == nil { caseNumbers = numberedCases() }
        let (number, isNew) = caseNumbers!.number(of: caseID)
        if isNew {
            journeyList.append(
                CaseJourney(
                    caseID: caseID.withUnsafeBufferPointer { Array($0) }, customer: partyName(customer),
                    brand: partyName(brand),
                    source: optionalPartyName(source), entries: [entry]))
        } else if journeyList[number].insertNamingParties(entry) {
            let (customer, brand) = (partyName(customer), partyName(brand))
            let source = optionalPartyName(source)
            journeyList[number].setParties(customer: customer, brand: brand, source: source)
        }
    }

    /// The one copy of a customer's or brand's bytes that every journey naming it shares.
    private mutating func partyName(_ bytes: Span<UInt8>) -> [UInt8] {
        parties.copy(of: bytes)
    }

    private mutating func optionalPartyName(_ bytes: Span<UInt8>?) -> [UInt8]? {
        guard let bytes else { return nil }
        return parties.copy(of: bytes)
    }

    public static func applying(_ state: JourneyProjection, _ event: StoredEvent) -> JourneyProjection {
        var next = state
        next.apply(event)
        return next
    }

    private mutating func count(_ entry: JourneyEntry) {
        events += 1
        latestOccurredAt = max(latestOccurredAt ?? .min, entry.occurredAt)
    }

    private mutating func addRelationshipEvent(_ entry: JourneyEntry, brand: [UInt8], customer: [UInt8]) {
        relationshipEvents[PairKey(brand: brand, customer: customer), default: []].append(entry)
    }

    /// Every case's journey, in the order the cases were first seen.
    public var journeys: [CaseJourney] { journeyList }
    public var caseCount: Int { journeyList.count }

    /// The journeys by case id (a copy: for tests and small stores).
    public var cases: [[UInt8]: CaseJourney] {
        Dictionary(uniqueKeysWithValues: journeyList.map { ($0.caseID, $0) })
    }

    /// The journey of `caseID`; a linear search in an assembled projection no event was applied
    /// to (tests and single lookups; replay's comparison walks the journeys in key order).
    public func journey(_ caseID: [UInt8]) -> CaseJourney? {
        guard let caseNumbers else { return journeyList.first { $0.caseID == caseID } }
        return caseNumbers.existingNumber(of: caseID).map { journeyList[$0] }
    }

    /// `journeyList`'s case ids, numbered by index.
    private func numberedCases() -> ByteInterner {
        var numbers = ByteInterner()
        for journey in journeyList {
            let isNew = numbers.number(of: journey.caseID).isNew
            precondition(isNew, "two journeys of one case")
        }
        return numbers
    }

    /// Equal when they hold the same journeys and relationship events, in whatever order
    /// their cases were first seen.
    public static func == (lhs: JourneyProjection, rhs: JourneyProjection) -> Bool {
        guard lhs.events == rhs.events, lhs.latestOccurredAt == rhs.latestOccurredAt,
            lhs.journeyList.count == rhs.journeyList.count, lhs.relationshipEvents == rhs.relationshipEvents
        else { return false }
        let numbers = rhs.caseNumbers ?? rhs.numberedCases()
        return lhs.journeyList.allSatisfy { journey in
            numbers.existingNumber(of: journey.caseID).map { rhs.journeyList[$0] == journey } ?? false
        }
    }

    /// Every customer × brand relationship's loyalty ledger: the cases filed under each pair
    /// and the relationship events between them. In no particular order.
    public var ledgers: [LoyaltyLedger] {
        Array(LoyaltyLedger.assemble(journeys: journeyList, relationshipRows: relationshipRows).values)
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
