import Glibc
import PlaintEvents
import PlaintLog
import PlaintProjections

/// The rows a projection's views should hold, in each table's key order: counted against the
/// stored rows (missing, extra or different), or written in their place.
///
/// It walks each table's journeys in key order and encodes each row into one reused buffer: no
/// case is looked up, and no expected row is built, held and sorted. Replay compares, and when
/// they differ writes, hundreds of thousands of journeys.
struct ExpectedViews: Sendable {
    let projection: JourneyProjection
    let info: ViewInfo
    /// Indexes in `projection.journeys` in the key order of `view_case_keys` (by case), and of
    /// `view_journeys` (by brand, then case).
    private let caseOrder: [Int32]
    private let journeyOrder: [Int32]
    /// The `view_relationships` rows, built and sorted once: one per customer and brand with
    /// relationship events, far fewer than journeys.
    private let relationshipRows: [([UInt8], [UInt8])]

    init(_ projection: JourneyProjection, position: UInt64) {
        self.projection = projection
        info = ViewInfo(projection, position: position)
        caseOrder = Self.caseOrder(projection.journeys)
        journeyOrder = Self.brandOrder(projection.journeys, within: caseOrder)
        relationshipRows = projection.relationshipRows
            .map { (ViewKey.make($0.brand, $0.customer), LoyaltyLedgerCodec.encode($0)) }
            .sorted { bytesPrecede($0.0, $1.0) }
    }

    func differences(from views: ViewReader, log: EventLog) throws -> Int {
        guard log.hasViewTables else {
            return 2 * projection.caseCount + relationshipRows.count + 1
        }
        return try caseKeyDifferences(views) + differencesBesideCaseKeys(views)
    }

    /// The differing rows of every table but `view_case_keys` (the two halves can be counted
    /// on two threads).
    func differencesBesideCaseKeys(_ views: ViewReader) throws -> Int {
        var differing = try differences(journeyRows, views)
        differing += try Self.countDifferences(JourneyViews.relationships, relationshipRows, views)
        if try ViewInfo.read(views) != info { differing += 1 }
        return differing
    }

    /// `view_case_keys`: case -> the key of its journey.
    func caseKeyDifferences(_ views: ViewReader) throws -> Int {
        try differences(caseKeyRows, views)
    }

    /// Replaces every row of the views with the expected ones.
    func write(to views: ViewWriter) throws {
        for rows in [journeyRows, caseKeyRows] {
            try views.clear(rows.table)
            try projection.journeys.withUnsafeBufferPointer { journeys in
                var key: [UInt8] = []
                var value: [UInt8] = []
                for index in rows.order {
                    rows.key(journeys.baseAddress! + Int(index), &key)
                    rows.value(journeys.baseAddress! + Int(index), &value)
                    try views.putLast(rows.table, key: key, value: value)
                }
            }
        }
        try views.clear(JourneyViews.relationships)
        for (key, value) in relationshipRows { try views.putLast(JourneyViews.relationships, key: key, value: value) }
        try info.write(views)
    }

    /// A table whose rows are one per journey: the journeys' order in it, and how a journey's
    /// key and value are encoded (each replacing the buffer's bytes).
    ///
    /// The encoders read the journey where it lies: a journey passed by value to a closure is
    /// copied first, a retain and release of each of its arrays, for every row compared.
    private struct JourneyRows {
        let table: ViewTable
        let order: [Int32]
        let key: (UnsafePointer<CaseJourney>, inout [UInt8]) -> Void
        let value: (UnsafePointer<CaseJourney>, inout [UInt8]) -> Void
    }

    /// `view_journeys`: (brand, case) -> the journey.
    private var journeyRows: JourneyRows {
        JourneyRows(
            table: JourneyViews.journeys, order: journeyOrder,
            key: { JourneyViews.key(brand: $0.pointee.brand, caseID: $0.pointee.caseID, into: &$1) },
            value: { JourneyCodec.encode($0.pointee, into: &$1) })
    }

    /// `view_case_keys`: case -> the key of its journey.
    private var caseKeyRows: JourneyRows {
        JourneyRows(
            table: JourneyViews.caseKeys, order: caseOrder,
            key: { journey, key in
                key.removeAll(keepingCapacity: true)
                ViewKey.append(journey.pointee.caseID, to: &key)
            },
            value: { JourneyViews.key(brand: $0.pointee.brand, caseID: $0.pointee.caseID, into: &$1) })
    }

    /// Walks the table and its journeys in key order side by side: a row
    /// on one side only differs, and so does a row whose value is not the expected one, or that a
    /// lookup by its key does not find (a damaged branch page sends lookups astray while a walk
    /// in key order still sees every row; counted as differing, replay rewrites the table).
    private func differences(_ rows: JourneyRows, _ views: ViewReader) throws -> Int {
        let order = rows.order
        let lookups = try views.lookups(in: rows.table)
        return try projection.journeys.withUnsafeBufferPointer { journeys in
            var differing = 0
            var next = 0
            var expectedKey: [UInt8] = []
            var expectedValue: [UInt8] = []
            var keyMade = false
            try views.forEach(rows.table) { storedKey, storedValue in
                while next < order.count {
                    // Read in place, not copied: a copy would retain the journey's arrays, which
                    // the thread summarizing meanwhile retains too.
                    let index = Int(order[next])
                    if !keyMade {
                        rows.key(journeys.baseAddress! + index, &expectedKey)
                        keyMade = true
                    }
                    let comparison = compareBytes(expectedKey, storedKey)
                    if comparison > 0 { break }
                    next += 1
                    keyMade = false
                    // Expected but not stored.
                    guard comparison == 0 else {
                        differing += 1
                        continue
                    }
                    rows.value(journeys.baseAddress! + index, &expectedValue)
                    if try !Self.equal(expectedValue, storedValue) || !lookups.finds(expectedKey) {
                        differing += 1
                    }
                    return true
                }
                // Stored but not expected.
                differing += 1
                return true
            }
            return differing + order.count - next
        }
    }

    /// The journeys' indexes in the order of their cases' view keys: by the length marker
    /// (the id's length, or 0xFF for an id stored hashed), then by bytes. A stable counting sort
    /// by marker; replay's journeys come in case index order, so each length's run is already
    /// sorted and only checked.
    ///
    /// Journeys are read where they lie, by index, and each id's length once: iterating them by
    /// value copies each journey, a retain and a release of each of its arrays, and every
    /// journey's first touch here is a cache miss.
    static func caseOrder(_ journeys: [CaseJourney]) -> [Int32] {
        let hashed = 121
        return journeys.withUnsafeBufferPointer { journeys in
            var buckets = [UInt8](repeating: 0, count: journeys.count)
            var starts = [Int](repeating: 0, count: hashed + 2)
            for index in journeys.indices {
                let length = journeys[index].caseID.count
                let bucket = length <= 120 ? length : hashed
                buckets[index] = UInt8(bucket)
                starts[bucket + 1] += 1
            }
            for index in 1..<starts.count { starts[index] += starts[index - 1] }
            var order = [Int32](repeating: 0, count: journeys.count)
            var fill = starts
            for (index, bucket) in buckets.enumerated() {
                order[fill[Int(bucket)]] = Int32(index)
                fill[Int(bucket)] += 1
            }
            for bucket in 0...hashed where starts[bucket + 1] - starts[bucket] > 1 {
                let run = starts[bucket]..<starts[bucket + 1]
                if bucket == hashed {
                    let keys = Dictionary(
                        uniqueKeysWithValues: order[run].map { ($0, ViewKey.make(journeys[Int($0)].caseID)) })
                    order[run].sort { bytesPrecede(keys[$0]!, keys[$1]!) }
                    continue
                }
                let sorted = zip(order[run], order[run].dropFirst()).allSatisfy {
                    !bytesPrecede(journeys[Int($1)].caseID, journeys[Int($0)].caseID)
                }
                if !sorted { order[run].sort { bytesPrecede(journeys[Int($0)].caseID, journeys[Int($1)].caseID) } }
            }
            return order
        }
    }

    /// `caseOrder` regrouped by brand, brands in view key order, keeping the case order
    /// within each brand: the key order of (brand, case). Journeys are read in place, as in
    /// `caseOrder`.
    static func brandOrder(_ journeys: [CaseJourney], within caseOrder: [Int32]) -> [Int32] {
        var brandNumbers: [[UInt8]: Int] = [:]
        var brands: [[UInt8]] = []
        var numbers = [Int32](repeating: 0, count: journeys.count)
        journeys.withUnsafeBufferPointer { journeys in
            var previous: (brand: [UInt8], number: Int)?
            for index in journeys.indices {
                // Journeys share their brand's bytes: most lookups are the previous brand again.
                if let previous, previous.brand == journeys[index].brand {
                    numbers[index] = Int32(previous.number)
                    continue
                }
                let brand = journeys[index].brand
                let number =
                    brandNumbers[brand]
                    ?? {
                        brands.append(brand)
                        brandNumbers[brand] = brands.count - 1
                        return brands.count - 1
                    }()
                numbers[index] = Int32(number)
                previous = (brand, number)
            }
        }
        let ranks = brands.indices.sorted { bytesPrecede(ViewKey.make(brands[$0]), ViewKey.make(brands[$1])) }
        var rankOfNumber = [Int](repeating: 0, count: brands.count)
        for (rank, number) in ranks.enumerated() { rankOfNumber[number] = rank }
        var starts = [Int](repeating: 0, count: brands.count + 1)
        for number in numbers { starts[rankOfNumber[Int(number)] + 1] += 1 }
        for index in 1..<starts.count { starts[index] += starts[index - 1] }
        var order = [Int32](repeating: 0, count: journeys.count)
        for index in caseOrder {
            let rank = rankOfNumber[Int(numbers[Int(index)])]
            order[starts[rank]] = index
            starts[rank] += 1
        }
        return order
    }

    /// Rows that are missing, extra or different between the stored table and `rows` (key order).
    static func countDifferences(_ table: ViewTable, _ rows: [([UInt8], [UInt8])], _ views: ViewReader) throws -> Int {
        var differing = 0
        var index = 0
        let lookups = try views.lookups(in: table)
        try views.forEach(table) { key, value in
            while index < rows.count, compareBytes(rows[index].0, key) < 0 {
                differing += 1
                index += 1
            }
            if index < rows.count, compareBytes(rows[index].0, key) == 0 {
                if try compareBytes(rows[index].1, value) != 0
                    || !lookups.finds(rows[index].0)
                {
                    differing += 1
                }
                index += 1
            } else {
                differing += 1
            }
            return true
        }
        return differing + rows.count - index
    }

    private static func equal(_ bytes: [UInt8], _ stored: Span<UInt8>) -> Bool {
        compareBytes(bytes, stored) == 0
    }
}
