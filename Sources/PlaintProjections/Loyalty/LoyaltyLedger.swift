import PlaintEvents

/// One customer × brand relationship's ledger: the raw material of its loyalty scores.
///
/// It keeps facts, never weights: the cases filed by this customer with this brand (their
/// journeys hold the events) and the relationship events between the two. A model turns them
/// into contributions at query time, so a new model needs no replay. The form is canonical
/// (cases in byte order, events in journey order), so a ledger built by appends in any order
/// equals the one `replay` builds.
///
/// Stored, a ledger is two things kept inline on append: the pair's journeys (among the brand's
/// journeys, found through the customer's events) and a row of the pair's relationship events
/// (the `LoyaltyLedgerCodec` form, which leaves the cases out).
public struct LoyaltyLedger: Hashable, Sendable {
    public var brand: [UInt8]
    public var customer: [UInt8]
    public private(set) var cases: [[UInt8]] = []
    /// `vendor.changed_service`, `customer.churned`, `customer.renewed` between the two, by
    /// their own customer and brand (with or without a case).
    public private(set) var relationshipEvents: [JourneyEntry] = []

    public init(brand: [UInt8], customer: [UInt8]) {
        self.brand = brand
        self.customer = customer
    }

    public var isEmpty: Bool { cases.isEmpty && relationshipEvents.isEmpty }

    public mutating func addCase(_ caseID: [UInt8]) {
        let index = cases.partitioningIndex { !$0.lexicographicallyPrecedes(caseID) }
        if index < cases.count, cases[index] == caseID { return }
        cases.insert(caseID, at: index)
    }

    /// Adds a relationship event; one already present (same position) changes nothing.
    public mutating func addRelationshipEvent(_ entry: JourneyEntry) {
        var index = relationshipEvents.endIndex
        while index > 0, entry.precedes(relationshipEvents[index - 1]) { index -= 1 }
        if index > 0, relationshipEvents[index - 1].position == entry.position { return }
        relationshipEvents.insert(entry, at: index)
    }

    public var brandName: String { String(decoding: brand, as: UTF8.self) }
    public var customerName: String { String(decoding: customer, as: UTF8.self) }
}

extension Array {
    /// The first index whose element satisfies `predicate`, for a predicate false then true.
    func partitioningIndex(where predicate: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if predicate(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

/// The stored relationship part of a ledger. Layout: format byte; brand, customer as (UInt16
/// length, bytes); UInt32 event count, each event as a journey entry (20 bytes). Integers
/// little-endian. The cases are not stored here: they are the pair's journeys.
public enum LoyaltyLedgerCodec {
    public static let format: UInt8 = 2

    public static func encode(_ ledger: LoyaltyLedger) -> [UInt8] {
        var bytes: [UInt8] = [format]
        JourneyCodec.appendField(ledger.brand, to: &bytes)
        JourneyCodec.appendField(ledger.customer, to: &bytes)
        JourneyCodec.append(UInt32(ledger.relationshipEvents.count), to: &bytes)
        for entry in ledger.relationshipEvents { JourneyCodec.append(entry, to: &bytes) }
        return bytes
    }

    public static func decode(_ bytes: Span<UInt8>) throws(JourneyCodec.Malformed) -> LoyaltyLedger {
        try bytes.withUnsafeBytes { (bytes) throws(JourneyCodec.Malformed) in try decode(bytes) }
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) throws(JourneyCodec.Malformed) -> LoyaltyLedger {
        var reader = ByteReader(bytes: bytes)
        guard try reader.byte() == format else { throw JourneyCodec.Malformed() }
        var ledger = LoyaltyLedger(brand: try reader.field(), customer: try reader.field())
        let count = Int(try reader.integer(UInt32.self))
        guard count * 20 == reader.remaining else { throw JourneyCodec.Malformed() }
        for _ in 0..<count { ledger.addRelationshipEvent(try reader.entry()) }
        return ledger
    }
}

extension LoyaltyLedger {
    /// Every relationship's ledger from journeys and relationship rows: a pair's cases are the
    /// journeys filed under it. In no particular order.
    public static func assemble(
        journeys: some Sequence<CaseJourney>, relationshipRows: some Sequence<LoyaltyLedger>
    ) -> [PairKey: LoyaltyLedger] {
        var ledgers: [PairKey: LoyaltyLedger] = [:]
        for journey in journeys {
            let key = PairKey(brand: journey.brand, customer: journey.customer)
            ledgers[key, default: LoyaltyLedger(brand: key.brand, customer: key.customer)].addCase(journey.caseID)
        }
        for row in relationshipRows {
            let key = PairKey(brand: row.brand, customer: row.customer)
            for entry in row.relationshipEvents {
                ledgers[key, default: LoyaltyLedger(brand: key.brand, customer: key.customer)]
                    .addRelationshipEvent(entry)
            }
        }
        return ledgers
    }
}
