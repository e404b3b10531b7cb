import PlaintLog
import PlaintProjections
import PlaintSystem

/// A brand's journeys grouped by customer, for scoring every relationship of the brand.
///
/// `view_journeys` holds a brand's journeys in case order. The rows stay where the read
/// transaction maps them (`ViewReader.withRows`); one pass numbers the customer each names,
/// and the groups are handed out in the order their customers first appear, each journey
/// decoded only then.
struct BrandJourneyGroups {
    let brand: [UInt8]
    /// The number of each journey's customer in `customers`.
    private var customerOfJourney: [Int] = []
    private(set) var customers = ByteInterner()

    /// Numbers the customers of `rows`, the brand's stored journeys in case order.
    init(brand: [UInt8], rows: borrowing ViewRows) throws {
        self.brand = brand
        customerOfJourney.reserveCapacity(rows.count)
        for row in 0..<rows.count {
            let number = try rows.withRow(row) { bytes in
                let customer: Range<Int>
                do { customer = try JourneyCodec.customerRange(in: bytes) } catch {
                    throw JourneyViews.unreadableJourney
                }
                return customers.number(of: bytes.extracting(customer)).number
            }
            customerOfJourney.append(number)
        }
    }

    /// Calls `body` with each customer's number in `customers`, its bytes and its journeys (in
    /// case order), decoded from the same `rows`.
    func forEachGroup(
        in rows: borrowing ViewRows,
        _ body: (_ number: Int, _ customer: [UInt8], _ journeys: [CaseJourney]) throws -> Void
    ) throws {
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
                let decoded = try rows.withRow(journey) { bytes in
                    do { return try JourneyCodec.decode(bytes, customer: name, brand: brand) } catch {
                        throw JourneyViews.unreadableJourney
                    }
                }
                journeys.append(decoded)
            }
            try body(customer, name, journeys)
        }
    }
}
