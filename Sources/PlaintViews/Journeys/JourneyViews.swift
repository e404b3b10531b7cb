import PlaintEvents
import PlaintLog
import PlaintProjections
import PlaintSystem

/// The journeys view, stored beside the log and kept in step with it on every append.
///
/// Tables:
/// - `view_journeys`: key (brand, case) → the case's `JourneyCodec` bytes. One brand's cases
///   form one key range, so a brand's figures read its own rows and nothing else. Case ids
///   mostly grow with time (ticket numbers, generated ids), so an append's new cases land at
///   the end of their brand's range and dirty a few pages per batch (docs/decisions/view-layout.md).
/// - `view_case_keys`: key (case) → the key its journey is filed under.
/// - `view_relationships`: key (brand, customer) → the pair's relationship events
///   (`LoyaltyLedgerCodec`). With the pair's journeys they are the pair's loyalty ledger; a
///   brand's rows form one key range in both tables.
/// - `view_info`: how far the views reach (`ViewInfo`).
///
/// A relationship's journeys are found through its customer's events (the log's customer
/// index), since a journey's customer is the one an event of its case names.
public struct JourneyViews: ViewMaintainer {
    public static let journeys = ViewTable("view_journeys")
    public static let caseKeys = ViewTable("view_case_keys")
    public static let relationships = ViewTable("view_relationships")
    public static let info = ViewTable("view_info")

    public init() {}

    public var tables: [ViewTable] { [Self.journeys, Self.caseKeys, Self.relationships, Self.info] }

    public func changes(folding events: [StoredEvent], after previousHead: UInt64, in views: ViewReader) throws
        -> ViewChanges
    {
        var changes = ViewChanges()
        var info = try ViewInfo.read(views)
        // Views that do not reach the log's head stay as they are until `plaint replay`.
        guard info.isCurrent, info.position == previousHead else { return changes }
        var ledgers = LedgerChanges()
        // Each case the events name, in order of first mention, and the key its row most likely
        // has: under the brand of its first event here (a case keeps one brand but for a later
        // complaint naming another).
        // Numbered from the borrowed bytes: a table keyed by the ids themselves would retain and
        // release each event's id.
        var slotOfCase = ByteInterner()
        var cases: [TouchedCase] = []
        var likelyKeys: [[UInt8]] = []
        /// Each event's slot in `cases` (-1 for an event without a case).
        var slotOfEvent: [Int32] = []
        slotOfEvent.reserveCapacity(events.count)
        /// How many of the events each case gets: its stored journey is read with room for them.
        var eventsOfSlot: [Int32] = []
        // Each event is read in place (`events[index]`), not copied per loop: a copy retains
        // every byte field it holds, and the writer's thread reads the same ones meanwhile.
        for index in events.indices {
            info.absorb(occurredAt: events[index].occurredAt)
            if events[index].type.isRelationship {
                try ledgers.update(PairKey(brand: events[index].brand, customer: events[index].customer), in: views) {
                    $0.addRelationshipEvent(JourneyEntry(events[index]))
                }
            }
            let numbered = events[index].withBorrowedParties { caseID, _, _, _ -> (number: Int, isNew: Bool)? in
                guard let caseID else { return nil }
                return slotOfCase.number(of: caseID)
            }
            guard let (slot, isNew) = numbered else {
                slotOfEvent.append(-1)
                continue
            }
            slotOfEvent.append(Int32(slot))
            guard isNew else {
                eventsOfSlot[slot] += 1
                continue
            }
            eventsOfSlot.append(1)
            let caseID = events[index].caseID!
            cases.append(TouchedCase(caseID: caseID))
            likelyKeys.append(Self.key(brand: events[index].brand, caseID))
        }
        slotOfCase = ByteInterner()
        // Stored journeys are read in key order, so consecutive reads walk the same pages
        // whatever order the events arrived in; each is read once, however many events it gets.
        // Brands and sources are few: the journeys read share one array of each.
        var names = SharedNames()
        for slot in keyOrder(likelyKeys) {
            let stored = try Self.journey(
                cases[slot].caseID, likelyKey: likelyKeys[slot], roomFor: Int(eventsOfSlot[slot]), sharing: &names,
                in: views)
            cases[slot].journey = stored
            cases[slot].storedBrand = stored?.brand
        }
        likelyKeys = []
        for index in events.indices where slotOfEvent[index] >= 0 {
            let slot = Int(slotOfEvent[index])
            // Changed in place: neither the journey nor the event is copied.
            if cases[slot].journey != nil {
                cases[slot].journey!.insert(events[index])
            } else {
                cases[slot].journey = CaseJourney(events[index])
            }
        }
        // Each journey is let go once encoded, so the transaction never holds every touched
        // journey twice.
        for slot in cases.indices {
            var touched = TouchedCase(caseID: [])
            swap(&touched, &cases[slot])
            let brand = touched.journey!.brand
            if touched.storedBrand != brand {
                // A later-arriving complaint named another brand: the row moves to its range.
                if let storedBrand = touched.storedBrand {
                    changes.delete(Self.journeys, key: Self.key(brand: storedBrand, touched.caseID))
                }
                changes.put(
                    Self.caseKeys, key: ViewKey.make(touched.caseID), value: Self.key(brand: brand, touched.caseID))
            }
            changes.put(
                Self.journeys,
                key: { Self.appendKey(brand: brand, caseID: touched.caseID, to: &$0) },
                value: { JourneyCodec.append(touched.journey!, to: &$0) })
        }
        ledgers.write(into: &changes)
        info.position = previousHead + UInt64(events.count)
        changes.put(Self.info, key: ViewInfo.key, value: info.encoded)
        return changes
    }

    /// A journey's key in `view_journeys`.
    public static func key(brand: [UInt8], _ caseID: [UInt8]) -> [UInt8] {
        ViewKey.make(brand, caseID)
    }

    public static func key(_ journey: CaseJourney) -> [UInt8] {
        var key: [UInt8] = []
        self.key(journey, into: &key)
        return key
    }

    /// Replaces `key` with the journey's key, reusing its storage (replay compares every row).
    static func key(_ journey: CaseJourney, into key: inout [UInt8]) {
        self.key(brand: journey.brand, caseID: journey.caseID, into: &key)
    }

    static func key(brand: [UInt8], caseID: [UInt8], into key: inout [UInt8]) {
        key.removeAll(keepingCapacity: true)
        appendKey(brand: brand, caseID: caseID, to: &key)
    }

    /// Appends the key of the journey of (`brand`, `caseID`) to `bytes`.
    static func appendKey(brand: [UInt8], caseID: [UInt8], to bytes: inout [UInt8]) {
        ViewKey.append(brand, to: &bytes)
        ViewKey.append(caseID, to: &bytes)
    }

    /// The stored journey of `caseID`, if the views know the case.
    public static func journey(_ caseID: [UInt8], in views: ViewReader) throws -> CaseJourney? {
        guard let key = try views.value(caseKeys, key: ViewKey.make(caseID)) else { return nil }
        return try views.withValue(journeys, key: key) { bytes in
            guard let bytes else { throw StoreError.corrupt(position: 0, reason: "the journeys view lacks a case") }
            return try decode(bytes)
        }
    }

    /// The stored journey of `caseID`, looked up first under `likelyKey` (one read instead of
    /// two when the case is filed there), then through `view_case_keys`.
    /// `newEntries` and `names` are as `JourneyCodec.decode(_:roomFor:sharing:)` takes them.
    static func journey(
        _ caseID: [UInt8], likelyKey: [UInt8], roomFor newEntries: Int, sharing names: inout SharedNames,
        in views: ViewReader
    ) throws -> CaseJourney? {
        let found = try views.withValue(journeys, key: likelyKey) { bytes -> CaseJourney? in
            guard let bytes else { return nil }
            return try readable { try JourneyCodec.decode(bytes, roomFor: newEntries, sharing: &names) }
        }
        return try found ?? journey(caseID, in: views)
    }

    /// The journeys whose customer is `customer`, by brand, each brand's in key order.
    /// `cases` are the case ids the customer's events name (`CustomerEvents`): its cases are
    /// among them.
    public static func journeysByBrand(of customer: [UInt8], cases: [[UInt8]], in views: ViewReader) throws
        -> [[UInt8]: [CaseJourney]]
    {
        var byBrand: [[UInt8]: [(key: [UInt8], journey: CaseJourney)]] = [:]
        for caseID in cases {
            guard let journey = try journey(caseID, in: views), journey.customer == customer else { continue }
            byBrand[journey.brand, default: []].append((key(journey), journey))
        }
        return byBrand.mapValues { $0.sorted { bytesPrecede($0.key, $1.key) }.map(\.journey) }
    }

    /// The journeys of one relationship, in key order, found through its customer's events.
    static func journeys(of pair: PairKey, in reader: LogReader) throws -> [CaseJourney] {
        let cases = try CustomerEvents(pair.customer, in: reader).caseIDs
        return try journeysByBrand(of: pair.customer, cases: cases, in: reader.views)[pair.brand] ?? []
    }

    /// A pair's ledger: its relationship row and the cases of `journeys` (the pair's); nil when
    /// the pair has neither.
    public static func ledger(_ pair: PairKey, journeys: [CaseJourney], in views: ViewReader) throws -> LoyaltyLedger? {
        var ledger =
            try relationshipRow(pair, in: views) ?? LoyaltyLedger(brand: pair.brand, customer: pair.customer)
        for journey in journeys { ledger.addCase(journey.caseID) }
        return ledger.isEmpty ? nil : ledger
    }

    /// The stored relationship events of a pair, as a ledger without cases.
    public static func relationshipRow(_ pair: PairKey, in views: ViewReader) throws -> LoyaltyLedger? {
        try views.withValue(relationships, key: ViewKey.make(pair.brand, pair.customer)) { bytes in
            guard let bytes else { return nil }
            return try decodeLedger(bytes)
        }
    }

    /// Calls `body` with every stored relationship row (of one brand, when given) and its key,
    /// in key order.
    public static func forEachRelationshipRow(
        in views: ViewReader, brand: [UInt8]? = nil, _ body: (Span<UInt8>, LoyaltyLedger) throws -> Void
    ) throws {
        try views.forEach(relationships, prefix: brand.map(ViewKey.prefix) ?? []) { key, value in
            try body(key, try decodeLedger(value))
            return true
        }
    }

    static func decodeLedger(_ bytes: Span<UInt8>) throws -> LoyaltyLedger {
        do {
            return try LoyaltyLedgerCodec.decode(bytes)
        } catch {
            throw StoreError.corrupt(
                position: 0, reason: "a relationships view row is unreadable; run `plaint replay`")
        }
    }

    /// Calls `body` with every stored journey (of one brand, when given), in key order.
    public static func forEachJourney(
        in views: ViewReader, brand: [UInt8]? = nil, _ body: (CaseJourney) throws -> Void
    ) throws {
        try views.forEach(journeys, prefix: brand.map(ViewKey.prefix) ?? []) { _, value in
            try body(try decode(value))
            return true
        }
    }

    /// What a journeys row that does not decode is reported as.
    static let unreadableJourney = StoreError.corrupt(
        position: 0, reason: "a journeys view row is unreadable; run `plaint replay`")

    static func decode(_ bytes: Span<UInt8>) throws -> CaseJourney {
        try readable { try JourneyCodec.decode(bytes) }
    }

    /// The journey `decoding` reads, or `unreadableJourney` when the stored bytes are not one.
    private static func readable(_ decoding: () throws -> CaseJourney) throws -> CaseJourney {
        do {
            return try decoding()
        } catch {
            throw unreadableJourney
        }
    }

    /// The layout of the stored views when it is not this plaint's (`ViewInfo.format`), else nil.
    public static func outdatedLayout(_ log: EventLog) throws -> Int? {
        guard log.hasViewTables else { return nil }
        let info = try log.read { try ViewInfo.read($0.views) }
        return info.isCurrent ? nil : Int(info.format)
    }

    /// The views' state, checked against the log's head: queries refuse views that lag.
    public static func currentInfo(_ reader: LogReader, log: EventLog) throws -> ViewInfo {
        guard log.hasViewTables else { throw StoreError.viewsMissing }
        let info = try ViewInfo.read(reader.views)
        let head = try reader.head().position
        guard info.isCurrent else {
            throw StoreError.viewsOutdated(found: Int(info.format), current: Int(ViewInfo.format))
        }
        guard info.position == head else { throw StoreError.viewsBehind(viewPosition: info.position, head: head) }
        return info
    }
}

/// A case an append's events name, as `JourneyViews.changes` folds them into its journey.
private struct TouchedCase {
    let caseID: [UInt8]
    /// As stored, then with the events folded in.
    var journey: CaseJourney?
    var storedBrand: [UInt8]?
}

/// The relationship rows one append's transaction changes: each read once, written once.
struct LedgerChanges {
    private var changed: [PairKey: LoyaltyLedger] = [:]

    /// Changes the pair's row, read from the views the first time.
    mutating func update(_ pair: PairKey, in views: ViewReader, _ change: (inout LoyaltyLedger) -> Void) throws {
        if changed[pair] == nil {
            changed[pair] =
                try JourneyViews.relationshipRow(pair, in: views)
                ?? LoyaltyLedger(brand: pair.brand, customer: pair.customer)
        }
        change(&changed[pair]!)
    }

    func write(into changes: inout ViewChanges) {
        for (pair, ledger) in changed {
            changes.put(
                JourneyViews.relationships, key: ViewKey.make(pair.brand, pair.customer),
                value: LoyaltyLedgerCodec.encode(ledger))
        }
    }
}

/// How far the views reach, and the facts every query needs: stored in `view_info` under `state`.
public struct ViewInfo: Equatable, Sendable {
    /// Bumped whenever the views' layout or meaning changes; older views need a replay.
    public static let format: UInt8 = 6
    static let key = Array("state".utf8)

    public var format: UInt8 = ViewInfo.format
    /// The last log position folded into the views.
    public var position: UInt64 = 0
    public var events: UInt64 = 0
    /// The latest `occurred_at` of any event: the default evaluation time.
    public var latestOccurredAt: Int64?

    public init() {}

    /// The state views built from `projection`, folded up to `position`, must record.
    init(_ projection: JourneyProjection, position: UInt64) {
        self.position = position
        events = UInt64(projection.events)
        latestOccurredAt = projection.latestOccurredAt
    }

    public var isCurrent: Bool { format == Self.format }

    mutating func absorb(occurredAt: Timestamp) {
        events += 1
        latestOccurredAt = max(latestOccurredAt ?? .min, occurredAt.microseconds)
    }

    static func read(_ views: ViewReader) throws -> ViewInfo {
        guard let bytes = try views.value(JourneyViews.info, key: key) else { return ViewInfo() }
        guard bytes.count == 26 else { return ViewInfo(format: 0) }
        func integer(_ offset: Int) -> UInt64 {
            bytes[offset..<offset + 8].reversed().reduce(0) { $0 << 8 | UInt64($1) }
        }
        var info = ViewInfo()
        info.format = bytes[0]
        info.position = integer(1)
        info.events = integer(9)
        info.latestOccurredAt = bytes[17] == 1 ? Int64(bitPattern: integer(18)) : nil
        return info
    }

    private init(format: UInt8) { self.format = format }

    func write(_ views: ViewWriter) throws {
        try views.put(JourneyViews.info, key: Self.key, value: encoded)
    }

    var encoded: [UInt8] {
        var bytes: [UInt8] = [format]
        func append(_ value: UInt64) {
            for shift in stride(from: 0, to: 64, by: 8) {
                bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
            }
        }
        append(position)
        append(events)
        bytes.append(latestOccurredAt == nil ? 0 : 1)
        append(UInt64(bitPattern: latestOccurredAt ?? 0))
        return bytes
    }
}
