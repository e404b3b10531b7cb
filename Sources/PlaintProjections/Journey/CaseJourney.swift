import PlaintEvents

/// A case's events in journey order, with the customer and brand the case belongs to and the
/// source its request came from.
///
/// The result of inserting a set of events is the same whatever order they are inserted in:
/// entries are kept sorted by (`occurred_at`, position), and the case's parties and source come
/// from its `complaint.filed` (else its earliest event), which is also chosen by a fixed order.
public struct CaseJourney: Hashable, Sendable {
    public var caseID: [UInt8]
    public private(set) var customer: [UInt8]
    public private(set) var brand: [UInt8]
    /// `meta.source` of the event that names the parties: where the request was collected.
    public private(set) var source: [UInt8]?
    public private(set) var entries: [JourneyEntry]

    public init(caseID: [UInt8], customer: [UInt8], brand: [UInt8], source: [UInt8]? = nil, entries: [JourneyEntry]) {
        self.caseID = caseID
        self.customer = customer
        self.brand = brand
        self.source = source
        self.entries = entries
    }

    /// The journey of a case's events given all at once (distinct positions, any order): what
    /// inserting them one by one gives, in one sort. `parties` returns the customer, brand and
    /// source of the entry that names them.
    public init(
        caseID: [UInt8], unordered entries: [JourneyEntry],
        parties: (JourneyEntry) throws -> (customer: [UInt8], brand: [UInt8], source: [UInt8]?)
    ) rethrows {
        precondition(!entries.isEmpty, "a journey has at least one event")
        var entries = entries
        // Nearly always in order already (a case's events are mostly appended as they occur).
        for index in entries.indices.dropFirst() {
            let entry = entries[index]
            var place = index
            while place > 0, entry.precedes(entries[place - 1]) {
                entries[place] = entries[place - 1]
                place -= 1
            }
            entries[place] = entry
        }
        let naming = entries.min(by: Self.partyOrder)!
        let (customer, brand, source) = try parties(naming)
        self.init(caseID: caseID, customer: customer, brand: brand, source: source, entries: entries)
    }

    /// A journey of one event.
    public init(_ event: borrowing StoredEvent) {
        self.init(
            caseID: event.caseID ?? [], customer: event.customer, brand: event.brand, source: event.source,
            entries: [JourneyEntry(event)])
    }

    /// Adds `event`; an event already present (same position) changes nothing.
    public mutating func insert(_ event: borrowing StoredEvent) {
        insert(JourneyEntry(event), customer: event.customer, brand: event.brand, source: event.source)
    }

    /// Adds the entry of an event filed by `customer` with `brand` from `source`; one already
    /// present (same position) changes nothing.
    public mutating func insert(_ entry: JourneyEntry, customer: [UInt8], brand: [UInt8], source: [UInt8]? = nil) {
        if insertNamingParties(entry) { setParties(customer: customer, brand: brand, source: source) }
    }

    /// Adds the entry; true when it is now the event that names the case's customer and brand
    /// (the caller then sets them).
    mutating func insertNamingParties(_ entry: JourneyEntry) -> Bool {
        let namesParties = entries.min(by: Self.partyOrder).map { Self.partyOrder(entry, $0) } ?? true
        var index = entries.endIndex
        while index > entries.startIndex, entry.precedes(entries[index - 1]) { index -= 1 }
        if index > entries.startIndex, entries[index - 1].position == entry.position { return namesParties }
        entries.insert(entry, at: index)
        return namesParties
    }

    mutating func setParties(customer: [UInt8], brand: [UInt8], source: [UInt8]?) {
        self.customer = customer
        self.brand = brand
        self.source = source
    }

    /// The event that names the case's customer and brand comes first in this order:
    /// a `complaint.filed` before anything else, then journey order.
    static func partyOrder(_ lhs: JourneyEntry, _ rhs: JourneyEntry) -> Bool {
        let lhsFiled = lhs.type == .complaintFiled
        let rhsFiled = rhs.type == .complaintFiled
        if lhsFiled != rhsFiled { return lhsFiled }
        return lhs.precedes(rhs)
    }

    public var caseName: String { String(decoding: caseID, as: UTF8.self) }
    public var brandName: String { String(decoding: brand, as: UTF8.self) }
    public var customerName: String { String(decoding: customer, as: UTF8.self) }
    public var sourceName: String? { source.map { String(decoding: $0, as: UTF8.self) } }
}
