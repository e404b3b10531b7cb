import PlaintEvents
import PlaintLog
import PlaintProjections
import PlaintTestSupport
import Testing

@testable import PlaintViews

@Suite("Replay's comparison and rewriting of stored views")
struct ExpectedViewsTests {
    /// The count by the plain method: build every expected row, sort them, walk each table.
    func referenceCount(_ log: EventLog) throws -> Int {
        try log.read { reader in
            let (projection, position) = try Replay.fold(reader)
            func sorted(_ rows: [([UInt8], [UInt8])]) -> [([UInt8], [UInt8])] {
                rows.sorted { bytesPrecede($0.0, $1.0) }
            }
            let tables = [
                (
                    JourneyViews.journeys,
                    sorted(projection.journeys.map { (JourneyViews.key($0), JourneyCodec.encode($0)) })
                ),
                (
                    JourneyViews.caseKeys,
                    sorted(projection.journeys.map { (ViewKey.make($0.caseID), JourneyViews.key($0)) })
                ),
                (
                    JourneyViews.relationships,
                    sorted(
                        projection.relationshipRows.map {
                            (ViewKey.make($0.brand, $0.customer), LoyaltyLedgerCodec.encode($0))
                        })
                ),
            ]
            var differing = 0
            for (table, rows) in tables {
                differing += try ExpectedViews.countDifferences(table, rows, reader.views)
            }
            if try ViewInfo.read(reader.views) != ViewInfo(projection, position: position) { differing += 1 }
            return differing
        }
    }

    func comparisonCount(_ log: EventLog) throws -> Int {
        try log.read { reader in
            let (projection, position) = try Replay.fold(reader)
            return try ExpectedViews(projection, position: position).differences(from: reader.views, log: log)
        }
    }

    @Test("counts what the sorted walk counts, for damage of every kind", arguments: 1...12)
    func agreesWithTheSortedWalk(seed: UInt64) throws {
        let directory = TemporaryDirectory()
        let log = try EventLog(path: directory.path + "/s", access: .write, options: .init(views: JourneyViews()))
        var preparer = EventPreparer()
        _ = try log.append(try randomEvents(seed: seed).map { try preparer.prepare($0) })
        #expect(try comparisonCount(log) == 0)
        var random = SeededRandom(seed: seed &* 31)
        var damage = 0
        try log.rewriteViews { reader, views in
            var rows: [(ViewTable, [UInt8], [UInt8])] = []
            for table in [JourneyViews.journeys, JourneyViews.caseKeys, JourneyViews.relationships] {
                try reader.views.forEach(table) { key, value in
                    rows.append(
                        (table, key.withUnsafeBufferPointer(Array.init), value.withUnsafeBufferPointer(Array.init)))
                    return true
                }
            }
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                guard let (table, key, value) = rows.randomElement(using: &random) else { break }
                switch Int.random(in: 0..<4, using: &random) {
                case 0: try views.delete(table, key: key)
                case 1: try views.put(table, key: key, value: value + [0])
                case 2:
                    // A stray copy under another first component (another brand, say).
                    try views.put(table, key: [1, UInt8(ascii: "~")] + key, value: value)
                default:
                    try views.put(table, key: key + [0], value: value)
                }
                damage += 1
            }
        }
        let reference = try referenceCount(log)
        #expect(reference > 0)
        #expect(try comparisonCount(log) == reference, "seed \(seed): \(damage) changes")
        // What a replay writes in their place is what the sorted walk expects, row for row.
        let outcome = try Replay.rebuild(log)
        #expect(outcome.rewritten)
        #expect(try referenceCount(log) == 0)
    }

    @Test("orders journeys by case key, and by brand then case key, as sorting their keys does", arguments: 1...6)
    func journeyOrdersAreTheKeysOrder(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let brands: [[UInt8]] = [Array("zeta".utf8), Array("acme".utf8), Array("m".utf8), Array("acme2".utf8)]
        let entry = JourneyEntry(position: 1, occurredAt: 0, type: .complaintFiled, facts: EventFacts())
        // Ids of many lengths, some past the 120 bytes a view key holds (stored hashed), in case
        // index order for some seeds and shuffled for others.
        var seen = Set<[UInt8]>()
        var journeys: [CaseJourney] = []
        for _ in 0..<Int.random(in: 200...600, using: &random) {
            let length = [1, 2, 7, 12, 40, 119, 120, 121, 300].randomElement(using: &random)!
            let caseID = (0..<length).map { _ in UInt8.random(in: 0x21...0x7E, using: &random) }
            guard seen.insert(caseID).inserted else { continue }
            journeys.append(
                CaseJourney(
                    caseID: caseID, customer: Array("c".utf8), brand: brands.randomElement(using: &random)!,
                    entries: [entry]))
        }
        if seed.isMultiple(of: 2) { journeys.sort { bytesPrecede(IndexKey.make($0.caseID), IndexKey.make($1.caseID)) } }
        let caseOrder = ExpectedViews.caseOrder(journeys)
        let byCaseKey = journeys.indices.sorted {
            bytesPrecede(ViewKey.make(journeys[$0].caseID), ViewKey.make(journeys[$1].caseID))
        }
        #expect(caseOrder.map(Int.init) == byCaseKey)
        let byJourneyKey = journeys.indices.sorted {
            bytesPrecede(JourneyViews.key(journeys[$0]), JourneyViews.key(journeys[$1]))
        }
        #expect(ExpectedViews.brandOrder(journeys, within: caseOrder).map(Int.init) == byJourneyKey)
    }
}
