import PlaintEvents
import PlaintLog
import PlaintProjections

/// What a customer's stored events name, read through the log's customer index.
///
/// A journey's customer and brand are the ones one of its events names, so every relationship
/// of the customer is with one of `brands`, and each of its cases is among `caseIDs`.
struct CustomerEvents {
    /// The case ids the events name, each once, in the order first named.
    private(set) var caseIDs: [[UInt8]] = []
    /// The brands the events name, in byte order.
    private(set) var brands: [[UInt8]] = []
    /// `vendor.changed_service`, `customer.churned`, `customer.renewed`, in log order.
    private(set) var relationshipEvents: [StoredEvent] = []

    init(_ customer: [UInt8], in reader: LogReader) throws {
        var caseIDs: [[UInt8]] = []
        var seen = Set<[UInt8]>()
        var brands = Set<[UInt8]>()
        var relationshipEvents: [StoredEvent] = []
        var eventReader = StoredEventReader()
        try reader.forEachPosition(in: .customer, key: customer) { position in
            let event = try reader.withRecord(at: position) { record in
                try record.withCanonical { body in
                    do { return try eventReader.read(position: position, canonical: body) } catch {
                        throw StoreError.corrupt(position: position, reason: "the stored event does not parse")
                    }
                }
            }
            brands.insert(event.brand)
            if event.type.isRelationship { relationshipEvents.append(event) }
            if let caseID = event.caseID, seen.insert(caseID).inserted { caseIDs.append(caseID) }
            return true
        }
        self.caseIDs = caseIDs
        self.brands = brands.sorted { $0.lexicographicallyPrecedes($1) }
        self.relationshipEvents = relationshipEvents
    }
}
