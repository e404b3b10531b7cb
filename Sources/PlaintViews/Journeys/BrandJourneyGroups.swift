import PlaintLog
import PlaintProjections

/// A brand's journeys grouped by customer, for scoring every relationship of the brand.
///
/// `view_journeys` holds a brand's journeys in case order. The rows stay where the read
/// transaction maps them; one pass numbers the customer each names, and the groups are handed
/// out in the order their customers first appear, each journey decoded only then.
struct BrandJourneyGroups {
    let brand: [UInt8]
    /// The brand's stored journeys, in case order: valid until the read transaction ends.
    private let rows: [UnsafeRawBufferPointer]
    /// The number of each journey's customer in `customers`.
    private var customerOfJourney: [Int] = []
    private(set) var customers = ByteInterner()

    /// Must be used inside the read-only transaction of `views`.
    init(brand: [UInt8], in views: ViewReader) throws {
        self.brand = brand
        rows = try views.valuesUntilTransactionEnds(JourneyViews.journeys, prefix: ViewKey.prefix(brand))
        customerOfJourney.reserveCapacity(rows.count)
        for row in rows {
            let customer: UnsafeRawBufferPointer
            do { customer = try JourneyCodec.customer(of: row) } catch { throw JourneyViews.unreadableJourney }
            customerOfJourney.append(customers.number(of: customer).number)
        }
    }

    /// Calls `body` with each customer's number in `customers`, its bytes and its journeys (in
    /// case order).
    func forEachGroup(_ body: (_ number: Int, _ customer: [UInt8], _ journeys: [CaseJourney]) throws -> Void) throws {
        // Each customer's journeys, by a counting sort that keeps case order within a customer.
        var groupStarts = [Int](repeating: 0, count: customers.count + 1)
        for customer in customerOfJourney { groupStarts[customer + 1] += 1 }
        for customer in 0..<customers.count { groupStarts[customer + 1] += groupStarts[customer] }
        var next = groupStarts
        var grouped = [Int](repeating: 0, count: customerOfJourney.count)
        for (journey, customer) in customerOfJourney.enumerated() {
            grouped[next[customer]] = journey
            next[customer] += 1
        }
        var journeys: [CaseJourney] = []
        for customer in 0..<customers.count {
            let name = customers.name(customer)
            journeys.removeAll(keepingCapacity: true)
            for journey in grouped[groupStarts[customer]..<groupStarts[customer + 1]] {
                do { journeys.append(try JourneyCodec.decode(rows[journey], customer: name, brand: brand)) } catch {
                    throw JourneyViews.unreadableJourney
                }
            }
            try body(customer, name, journeys)
        }
    }
}
