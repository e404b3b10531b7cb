import PlaintEvents
import PlaintLog
import PlaintProjections
import PlaintSystem
import PlaintTestSupport
import Testing

@testable import PlaintViews

/// Random event sets: cases of 1-7 events of every type, replies before complaints, cases with
/// no complaint, several channels, relationship events without a case, and sources (`meta.source`)
/// that differ between a case's events, among them one with an escape and a `meta` whose other
/// members come first. Times are distinct, so journey order never depends on positions.
func randomEvents(seed: UInt64) -> [String] {
    var random = SeededRandom(seed: seed)
    let brands = ["fast", "slow", "silent"]
    let channels = ["twitter", "email", "dm", "phone"]
    let kinds = ["answer", "redirect", "acknowledge", "auto"]
    var usedMinutes = Set<Int>()
    func time(_ base: Int, spread: Int) -> String {
        var minute = base + Int.random(in: -spread / 10...spread, using: &random)
        while !usedMinutes.insert(minute).inserted { minute += 1 }
        let t = Timestamp(
            microseconds: Timestamp(rfc3339: "2024-01-01T00:00:00Z")!.microseconds + Int64(minute) * 60_000_000)
        return t.description
    }
    /// Now and then a case id with an escape (replay's reader then decodes it in full), too
    /// long to be a view key component as it stands (stored hashed), or too long in bytes even
    /// to be its own case index key (keyed by a prefix and a hash).
    func caseID(_ number: Int) -> String {
        switch number {
        case 4: #"c\"4"#
        case 7: "c7-" + String(repeating: "x", count: 122)
        case 9: "c9-" + String(repeating: "\u{1F600}", count: 122)
        default: "c\(number)"
        }
    }
    var lines: [String] = []
    var serial = 0
    for caseNumber in 0..<Int.random(in: 3...14, using: &random) {
        let brand = brands.randomElement(using: &random)!
        let customer = "u\(Int.random(in: 0..<5, using: &random))"
        let base = Int.random(in: 0..<20_000, using: &random)
        var types = Bool.random(using: &random) || caseNumber == 0 ? ["complaint.filed"] : []
        for _ in 0..<Int.random(in: 0...6, using: &random) {
            types.append(
                [
                    "customer.followed_up", "brand.replied", "brand.replied", "case.escalated", "case.resolved",
                    "case.reopened", "case.abandoned", "customer.rated", "vendor.changed_service",
                ].randomElement(using: &random)!)
        }
        if types.isEmpty { types = ["brand.replied"] }
        for type in types {
            serial += 1
            var fields = [
                "\"id\":\"e\(serial)\"", "\"type\":\"\(type)\"", "\"case\":\"\(caseID(caseNumber))\"",
                // Rarely an event names another customer: the case's relationship may move too.
                "\"customer\":\"\(Int.random(in: 0..<12, using: &random) == 0 ? "u9" : customer)\"",
                // Now and then an event names another brand: the case's brand may move as events arrive.
                "\"brand\":\"\(Int.random(in: 0..<8, using: &random) == 0 ? brands.randomElement(using: &random)! : brand)\"",
                "\"occurred_at\":\"\(time(base, spread: 6000))\"",
                "\"channel\":\"\(channels.randomElement(using: &random)!)\"",
            ]
            switch type {
            case "brand.replied":
                let kind = kinds.randomElement(using: &random)!
                fields.append("\"data\":{\"kind\":\"\(kind)\"\(kind == "redirect" ? ",\"to_channel\":\"dm\"" : "")}")
            case "case.escalated": fields.append("\"data\":{\"to\":\"supervisor\"}")
            case "case.resolved": fields.append("\"data\":{\"resolution\":\"fixed\"}")
            case "customer.rated":
                fields.append("\"data\":{\"scale\":\"nps\",\"score\":\(Int.random(in: 0...10, using: &random))}")
            case "vendor.changed_service": fields.append("\"data\":{\"change\":\"downgrade\",\"consented\":false}")
            default: break
            }
            switch Int.random(in: 0..<6, using: &random) {
            case 0: fields.append(#""meta":{"source":"crm"}"#)
            case 1: fields.append(#""meta":{"source":"twcs"}"#)
            case 2: fields.append(#""meta":{"correlation_id":"x","source":"we\"b"}"#)
            case 3: fields.append(#""meta":{"correlation_id":"y"}"#)
            default: break
            }
            lines.append("{" + fields.joined(separator: ",") + "}")
        }
    }
    for _ in 0..<Int.random(in: 0...5, using: &random) {
        serial += 1
        let type = ["customer.churned", "customer.renewed", "vendor.changed_service"].randomElement(using: &random)!
        let change = ["downgrade", "upgrade", "policy"].randomElement(using: &random)!
        lines.append(
            "{\"id\":\"e\(serial)\",\"type\":\"\(type)\",\"customer\":\"u\(Int.random(in: 0..<3, using: &random))\","
                + "\"brand\":\"\(brands.randomElement(using: &random)!)\","
                + "\"occurred_at\":\"\(time(Int.random(in: 0..<20_000, using: &random), spread: 10))\""
                + (type == "vendor.changed_service"
                    ? ",\"data\":{\"change\":\"\(change)\",\"consented\":\(Bool.random(using: &random))}" : "")
                + "}")
    }
    return lines
}

@Suite("Stored views equal replay and a plain fold")
struct ViewConsistencyTests {
    /// Appends `lines` in the order given, split into random batches, to a fresh store.
    func load(_ lines: [String], batches random: inout SeededRandom, into path: String) throws -> EventLog {
        let log = try EventLog(path: path, access: .write, options: .init(views: JourneyViews()))
        var preparer = EventPreparer()
        var remaining = lines[...]
        while !remaining.isEmpty {
            let size = Int.random(in: 1...max(1, remaining.count), using: &random)
            let batch = try remaining.prefix(size).map { try preparer.prepare($0) }
            _ = try log.append(batch)
            remaining = remaining.dropFirst(size)
        }
        return log
    }

    func storedJourneys(_ log: EventLog) throws -> [[UInt8]: CaseJourney] {
        try log.read { reader in
            _ = try JourneyViews.currentInfo(reader, log: log)
            var journeys: [[UInt8]: CaseJourney] = [:]
            try JourneyViews.forEachJourney(in: reader.views) { journeys[$0.caseID] = $0 }
            return journeys
        }
    }

    /// The events as stored, folded in `occurred_at` order: the reference the views must equal.
    func plainFold(_ log: EventLog) throws -> JourneyProjection {
        let events: [StoredEvent] = try log.read { reader in
            var events: [StoredEvent] = []
            var eventReader = StoredEventReader()
            try reader.forEachRecord { record in
                let position = record.position
                try record.withCanonical { body in
                    events.append(try eventReader.read(position: position, canonical: body))
                }
                return true
            }
            return events
        }
        var projection = JourneyProjection()
        for event in events.sorted(by: { ($0.occurredAt, $0.position) < ($1.occurredAt, $1.position) }) {
            projection.apply(event)
        }
        return projection
    }

    /// The ledgers as stored: each pair's journeys and its relationship row.
    func storedLedgers(_ log: EventLog) throws -> [PairKey: LoyaltyLedger] {
        try log.read { reader in
            var journeys: [CaseJourney] = []
            try JourneyViews.forEachJourney(in: reader.views) { journeys.append($0) }
            var rows: [LoyaltyLedger] = []
            try JourneyViews.forEachRelationshipRow(in: reader.views) { _, row in rows.append(row) }
            return LoyaltyLedger.assemble(journeys: journeys, relationshipRows: rows)
        }
    }

    /// The ledgers as the loyalty queries read them: one pair through its customer's events
    /// (`loyalty --customer`), every pair of a brand through the brand's journeys grouped by
    /// customer (`loyalty --brand`), where each customer must make one group of its own cases.
    func queriedLedgers(_ log: EventLog, pairs: some Sequence<PairKey>, brands: Set<[UInt8]>) throws
        -> (byCustomer: [PairKey: LoyaltyLedger], byBrand: [PairKey: LoyaltyLedger], groupsWellFormed: Bool)
    {
        try log.read { reader in
            var byCustomer: [PairKey: LoyaltyLedger] = [:]
            for pair in pairs {
                let journeys = try JourneyViews.journeys(of: pair, in: reader)
                guard let ledger = try JourneyViews.ledger(pair, journeys: journeys, in: reader.views) else { continue }
                #expect(
                    journeys.map(\.caseID) == ledger.cases.sorted { bytesPrecede(ViewKey.make($0), ViewKey.make($1)) })
                byCustomer[pair] = ledger
            }
            var byBrand: [PairKey: LoyaltyLedger] = [:]
            var wellFormed = true
            for brand in brands {
                try reader.views.withRows(JourneyViews.journeys, prefix: ViewKey.prefix(brand)) { rows in
                    let groups = try BrandJourneyGroups(brand: brand, rows: rows)
                    try groups.forEachGroup(in: rows) { number, customer, journeys in
                        let pair = PairKey(brand: brand, customer: customer)
                        if byBrand[pair] != nil || groups.customers.name(number) != customer { wellFormed = false }
                        var ledger =
                            try JourneyViews.relationshipRow(pair, in: reader.views)
                            ?? LoyaltyLedger(brand: brand, customer: customer)
                        for journey in journeys {
                            if journey.brand != brand || journey.customer != customer { wellFormed = false }
                            ledger.addCase(journey.caseID)
                        }
                        byBrand[pair] = ledger
                    }
                }
            }
            return (byCustomer, byBrand, wellFormed)
        }
    }

    /// L and B of every relationship, by pair: they must not depend on arrival order.
    func loyaltyScores(_ ledgers: [PairKey: LoyaltyLedger], _ journeys: [[UInt8]: CaseJourney], at: Int64)
        -> [PairKey: [Int64]]
    {
        ledgers.mapValues { ledger in
            let cases = ledger.cases.map { journeys[$0]! }
            var median = BrandFirstResponseMedian(at: at)
            for journey in journeys.values where journey.brand == ledger.brand { median.add(journey) }
            let score = RelationshipScore(
                ledger: ledger, journeys: cases, brandFRTP50: median.value, model: .standard, at: at)
            return [score.loyalty.scoreCents, score.devotion.scoreCents]
        }
    }

    func ranking(_ cases: some Sequence<CaseJourney>, at: Int64) -> [BrandResponsiveness] {
        var report = ResponsivenessReport(query: ResponsivenessQuery(at: at, period: .week))
        for journey in cases { report.add(journey) }
        return report.ranked
    }

    @Test("incremental views == replay == plain fold, whatever the arrival order and batch split", arguments: 1...30)
    func consistent(seed: UInt64) throws {
        let lines = randomEvents(seed: seed)
        var random = SeededRandom(seed: seed &* 7919)
        let directory = TemporaryDirectory()
        var rankings: [[BrandResponsiveness]] = []
        var figures: [[[UInt8]: CaseFigures]] = []
        var loyalty: [[PairKey: [Int64]]] = []
        for trial in 0..<3 {
            let order = trial == 0 ? lines : lines.shuffled(using: &random)
            let log = try load(order, batches: &random, into: directory.child("store\(trial)"))
            let stored = try storedJourneys(log)
            let replayed = try log.read { try Replay.fold($0).0 }
            // Replay's fold through the case index: on one thread, and split in two however small.
            for minimum in [UInt64.max, 1] {
                let (folded, position) = try ParallelFold.fold(log, upto: nil, minimumForTwoThreads: minimum)
                #expect(folded == replayed, "seed \(seed) trial \(trial): the case-index fold differs (\(minimum))")
                #expect(position == UInt64(lines.count))
            }
            let upto = UInt64.random(in: 1...UInt64(lines.count), using: &random)
            let partial = try ParallelFold.fold(log, upto: upto, minimumForTwoThreads: 1)
            #expect(partial.1 == upto)
            #expect(
                partial.0 == (try log.read { try Replay.fold($0, upto: upto).0 }),
                "seed \(seed) trial \(trial): the case-index fold up to \(upto) differs")
            let reference = try plainFold(log)
            #expect(stored == replayed.cases, "seed \(seed) trial \(trial): stored views differ from replay")
            #expect(stored == reference.cases, "seed \(seed) trial \(trial): stored views differ from the plain fold")
            let ledgers = try storedLedgers(log)
            let referenceLedgers = Dictionary(
                uniqueKeysWithValues: reference.ledgers.map { (PairKey(brand: $0.brand, customer: $0.customer), $0) })
            #expect(
                ledgers == referenceLedgers, "seed \(seed) trial \(trial): stored ledgers differ from the plain fold")
            let queried = try queriedLedgers(
                log, pairs: referenceLedgers.keys, brands: Set(referenceLedgers.keys.map(\.brand)))
            #expect(queried.byCustomer == referenceLedgers, "seed \(seed) trial \(trial): a customer's ledgers differ")
            let withCases = referenceLedgers.filter { !$0.value.cases.isEmpty }
            #expect(queried.byBrand == withCases, "seed \(seed) trial \(trial): a brand's grouped ledgers differ")
            #expect(queried.groupsWellFormed, "seed \(seed) trial \(trial): a brand's groups mix or repeat customers")
            let outcome = try Replay.rebuild(log)
            #expect(outcome.differingRows == 0, "seed \(seed) trial \(trial): replay found differing rows")
            let at = reference.latestOccurredAt!
            rankings.append(ranking(stored.values, at: at))
            figures.append(stored.mapValues { CaseFigures($0.entries, at: at) })
            loyalty.append(loyaltyScores(ledgers, stored, at: at))
        }
        // Positions differ between arrival orders; figures must not.
        #expect(rankings.allSatisfy { $0 == rankings[0] }, "seed \(seed): rankings depend on arrival order")
        #expect(figures.allSatisfy { $0 == figures[0] }, "seed \(seed): case figures depend on arrival order")
        #expect(loyalty.allSatisfy { $0 == loyalty[0] }, "seed \(seed): loyalty scores depend on arrival order")
    }

    @Test("a store whose views lag the log is refused until replay rebuilds them")
    func laggingViews() throws {
        let directory = TemporaryDirectory()
        var factory = EventFactory()
        do {
            let plain = try EventLog(path: directory.path + "/s", access: .write)
            _ = try plain.append([factory.event(id: "a")])
        }
        let log = try EventLog(path: directory.path + "/s", access: .write, options: .init(views: JourneyViews()))
        #expect(throws: StoreError.viewsBehind(viewPosition: 0, head: 1)) { try storedJourneys(log) }
        _ = try log.append([factory.event(id: "b", at: "2024-03-01T10:00:00Z")])
        #expect(throws: StoreError.viewsBehind(viewPosition: 0, head: 2)) { try storedJourneys(log) }
        let outcome = try Replay.rebuild(log)
        #expect(outcome.rewritten)
        #expect(try storedJourneys(log)[Array("case-1".utf8)]?.entries.count == 2)
        _ = try log.append([factory.event(id: "c", type: "customer.followed_up", at: "2024-03-01T11:00:00Z")])
        #expect(try storedJourneys(log)[Array("case-1".utf8)]?.entries.count == 3)
    }

    @Test("views in an older layout are refused, named as such, untouched by appends, and rebuilt by replay")
    func outdatedViews() throws {
        let directory = TemporaryDirectory()
        var factory = EventFactory()
        let log = try EventLog(path: directory.path + "/s", access: .write, options: .init(views: JourneyViews()))
        _ = try log.append([factory.event(id: "a")])
        try log.rewriteViews { _, views in
            var info = try ViewInfo.read(views.reader)
            info.format = ViewInfo.format - 1
            try info.write(views)
        }
        let outdated = StoreError.viewsOutdated(found: Int(ViewInfo.format) - 1, current: Int(ViewInfo.format))
        #expect(throws: outdated) { try storedJourneys(log) }
        #expect(try JourneyViews.outdatedLayout(log) == Int(ViewInfo.format) - 1)
        _ = try log.append([factory.event(id: "b", type: "customer.followed_up", at: "2024-03-01T10:00:00Z")])
        #expect(throws: outdated) { try storedJourneys(log) }
        #expect(try Replay.rebuild(log).rewritten)
        #expect(try JourneyViews.outdatedLayout(log) == nil)
        #expect(try storedJourneys(log)[Array("case-1".utf8)]?.entries.count == 2)
    }

    @Test("an unreadable journeys row is reported by both loyalty queries, not skipped")
    func unreadableJourneyRow() throws {
        let directory = TemporaryDirectory()
        var factory = EventFactory()
        let log = try EventLog(path: directory.path + "/s", access: .write, options: .init(views: JourneyViews()))
        _ = try log.append([factory.event(id: "a"), factory.event(id: "b", caseID: "case-2")])
        #expect(try LoyaltyView.brand("acme", log: log, model: .standard, at: nil).summary.relationships == 1)
        try log.rewriteViews { _, views in
            try views.put(
                JourneyViews.journeys, key: JourneyViews.key(brand: Array("acme".utf8), Array("case-2".utf8)),
                value: [1, 0])
        }
        #expect(throws: JourneyViews.unreadableJourney) {
            try LoyaltyView.brand("acme", log: log, model: .standard, at: nil)
        }
        #expect(throws: JourneyViews.unreadableJourney) {
            try LoyaltyView.customer("cust-1", log: log, model: .standard, at: nil)
        }
    }
}
