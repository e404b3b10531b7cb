import PlaintEvents
import PlaintLog
import PlaintProjections

/// The journeys view, stored beside the log and kept in step with it on every append.
///
/// Tables:
/// - `view_journeys`: key (brand, case) → the case's `JourneyCodec` bytes. One brand's cases form
///   one key range, so a brand's figures read its own rows and nothing else.
/// - `view_case_brands`: key (case) → the brand its journey is filed under.
/// - `view_info`: how far the views reach (`ViewInfo`).
public struct JourneyViews: ViewMaintainer {
    public static let journeys = ViewTable("view_journeys")
    public static let caseBrands = ViewTable("view_case_brands")
    public static let info = ViewTable("view_info")

    public init() {}

    public var tables: [ViewTable] { [Self.journeys, Self.caseBrands, Self.info] }

    public func maintain(_ events: [StoredEvent], after previousHead: UInt64, in views: ViewWriter) throws {
        var info = try ViewInfo.read(views.reader)
        // Views that do not reach the log's head stay as they are until `plaint replay`.
        guard info.isCurrent, info.position == previousHead else { return }
        var touched: [[UInt8]: (journey: CaseJourney, storedBrand: [UInt8]?)] = [:]
        for event in events {
            info.absorb(event)
            guard let caseID = event.caseID else { continue }
            if touched[caseID] != nil {
                touched[caseID]!.journey.insert(event)
            } else if let stored = try Self.journey(caseID, in: views.reader) {
                var journey = stored
                journey.insert(event)
                touched[caseID] = (journey, stored.brand)
            } else {
                touched[caseID] = (CaseJourney(event), nil)
            }
        }
        for (caseID, change) in touched {
            let journey = change.journey
            if let storedBrand = change.storedBrand, storedBrand != journey.brand {
                try views.delete(Self.journeys, key: ViewKey.make(storedBrand, caseID))
            }
            if change.storedBrand != journey.brand {
                try views.put(Self.caseBrands, key: ViewKey.make(caseID), value: journey.brand)
            }
            try views.put(Self.journeys, key: ViewKey.make(journey.brand, caseID), value: JourneyCodec.encode(journey))
        }
        info.position = previousHead + UInt64(events.count)
        try info.write(views)
    }

    /// The stored journey of `caseID`, if the views know the case.
    public static func journey(_ caseID: [UInt8], in views: ViewReader) throws -> CaseJourney? {
        guard let brand = try views.value(caseBrands, key: ViewKey.make(caseID)) else { return nil }
        return try views.withValue(journeys, key: ViewKey.make(brand, caseID)) { bytes in
            guard let bytes else { throw StoreError.corrupt(position: 0, reason: "the journeys view lacks a case") }
            return try decode(bytes)
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

    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> CaseJourney {
        do {
            return try JourneyCodec.decode(bytes)
        } catch {
            throw StoreError.corrupt(position: 0, reason: "a journeys view row is unreadable; run `plaint replay`")
        }
    }

    /// The views' state, checked against the log's head: queries refuse views that lag.
    public static func currentInfo(_ reader: LogReader, log: EventLog) throws -> ViewInfo {
        guard log.hasViewTables else { throw StoreError.viewsMissing }
        let info = try ViewInfo.read(reader.views)
        let head = try reader.head().position
        guard info.isCurrent else { throw StoreError.viewsMissing }
        guard info.position == head else { throw StoreError.viewsBehind(viewPosition: info.position, head: head) }
        return info
    }
}

/// How far the views reach, and the facts every query needs: stored in `view_info` under `state`.
public struct ViewInfo: Equatable, Sendable {
    /// Bumped whenever the views' layout or meaning changes; older views need a replay.
    public static let format: UInt8 = 1
    static let key = Array("state".utf8)

    public var format: UInt8 = ViewInfo.format
    /// The last log position folded into the views.
    public var position: UInt64 = 0
    public var events: UInt64 = 0
    /// The latest `occurred_at` of any event: the default evaluation time.
    public var latestOccurredAt: Int64?

    public init() {}

    public var isCurrent: Bool { format == Self.format }

    mutating func absorb(_ event: StoredEvent) {
        events += 1
        latestOccurredAt = max(latestOccurredAt ?? .min, event.occurredAt.microseconds)
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
        try views.put(JourneyViews.info, key: Self.key, value: bytes)
    }
}
