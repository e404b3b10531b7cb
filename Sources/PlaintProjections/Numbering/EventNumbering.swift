import PlaintEvents

/// An event as replay's reading thread hands it to the folding one: its journey entry, its
/// case, customer and brand as numbers given by an `EventNumbering`. Plain data, so handing
/// over millions of them counts no references and frees nothing.
public struct NumberedEvent: Sendable {
    public var entry: JourneyEntry
    /// -1 for an event without a case.
    public var caseNumber: Int32
    public var customerNumber: Int32
    public var brandNumber: Int32
}

/// The names an `EventNumbering` numbered since it last handed names over, in number order.
public struct NewNames: Sendable {
    public var caseIDs: [[UInt8]] = []
    public var customers: [[UInt8]] = []
    public var brands: [[UInt8]] = []
}

/// Numbers the cases, customers and brands of the events replay reads, on the reading thread,
/// so that the folding thread only indexes arrays (`NumberedFold`).
public struct EventNumbering: Sendable {
    /// The case numbers, which the fold's projection adopts at the end.
    public private(set) var cases = ByteInterner()
    private var customers = ByteInterner()
    private var brands = ByteInterner()
    /// Each case's first customer and brand: most events repeat them, and comparing bytes with
    /// a known name is cheaper than hashing.
    private var caseParties: [(customer: Int32, brand: Int32)] = []
    private var handedOver = (cases: 0, customers: 0, brands: 0)

    public init() {}

    public mutating func number(
        _ entry: JourneyEntry, caseID: UnsafeRawBufferPointer?, customer: UnsafeRawBufferPointer,
        brand: UnsafeRawBufferPointer
    ) -> NumberedEvent {
        guard let caseID else {
            return NumberedEvent(
                entry: entry, caseNumber: -1, customerNumber: Int32(customers.number(of: customer).number),
                brandNumber: Int32(brands.number(of: brand).number))
        }
        let (caseNumber, isNew) = cases.number(of: caseID)
        let known = isNew ? nil : caseParties[caseNumber]
        let customerNumber =
            known.flatMap { customers.name(Int($0.customer), equals: customer) ? $0.customer : nil }
            ?? Int32(customers.number(of: customer).number)
        let brandNumber =
            known.flatMap { brands.name(Int($0.brand), equals: brand) ? $0.brand : nil }
            ?? Int32(brands.number(of: brand).number)
        if isNew { caseParties.append((customerNumber, brandNumber)) }
        return NumberedEvent(
            entry: entry, caseNumber: Int32(caseNumber), customerNumber: customerNumber, brandNumber: brandNumber)
    }

    public mutating func number(_ event: StoredEvent) -> NumberedEvent {
        let entry = JourneyEntry(event)
        return event.customer.withUnsafeBytes { customer in
            event.brand.withUnsafeBytes { brand in
                guard let caseID = event.caseID else {
                    return number(entry, caseID: nil, customer: customer, brand: brand)
                }
                return caseID.withUnsafeBytes { number(entry, caseID: $0, customer: customer, brand: brand) }
            }
        }
    }

    /// The names numbered since the previous call.
    public mutating func takeNewNames() -> NewNames {
        var names = NewNames()
        names.caseIDs = (handedOver.cases..<cases.count).map(cases.name)
        names.customers = (handedOver.customers..<customers.count).map(customers.name)
        names.brands = (handedOver.brands..<brands.count).map(brands.name)
        handedOver = (cases.count, customers.count, brands.count)
        return names
    }
}

/// Replay's fold of numbered events, on the folding thread: the same fold as
/// `JourneyProjection.apply`, with the case lookups already done by an `EventNumbering`.
public struct NumberedFold: Sendable {
    private var projection = JourneyProjection()
    private var caseIDs: [[UInt8]] = []
    private var customers: [[UInt8]] = []
    private var brands: [[UInt8]] = []

    public init() {}

    /// Takes the names numbered before the events that follow.
    public mutating func add(_ names: NewNames) {
        caseIDs += names.caseIDs
        customers += names.customers
        brands += names.brands
    }

    public mutating func apply(_ event: NumberedEvent) {
        let entry = event.entry
        projection.count(entry)
        let customer = customers[Int(event.customerNumber)]
        let brand = brands[Int(event.brandNumber)]
        if entry.type.isRelationship { projection.addRelationshipEvent(entry, brand: brand, customer: customer) }
        let caseNumber = Int(event.caseNumber)
        guard caseNumber >= 0 else { return }
        if caseNumber == projection.journeyList.count {
            projection.journeyList.append(
                CaseJourney(caseID: caseIDs[caseNumber], customer: customer, brand: brand, entries: [entry]))
        } else {
            projection.journeyList[caseNumber].insert(entry, customer: customer, brand: brand)
        }
    }

    /// The projection, its cases numbered by `numbering` (which numbered every event folded).
    public func projection(numberedBy numbering: EventNumbering) -> JourneyProjection {
        precondition(numbering.cases.count == projection.journeyList.count, "the fold missed numbered cases")
        var result = projection
        result.caseNumbers = numbering.cases
        return result
    }
}
