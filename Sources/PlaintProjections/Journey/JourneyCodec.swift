import PlaintEvents

/// The stored form of a `CaseJourney`: compact bytes, 20 per event.
///
/// Layout: format byte; case, customer, brand, source as (UInt16 length, bytes), a source's
/// length 0xFFFF when the case names none; UInt32 entry count;
/// per entry: position (UInt64), occurred_at (Int64), type, channel, detail, extra (one byte
/// each, 0xFF for none). All integers little-endian.
public enum JourneyCodec {
    public static let format: UInt8 = 2
    static let absent = UInt16.max

    public static func encode(_ journey: CaseJourney) -> [UInt8] {
        var bytes: [UInt8] = []
        encode(journey, into: &bytes)
        return bytes
    }

    /// Replaces `bytes` with the journey's encoding, reusing their storage.
    public static func encode(_ journey: CaseJourney, into bytes: inout [UInt8]) {
        bytes.removeAll(keepingCapacity: true)
        append(journey, to: &bytes)
    }

    /// Appends the journey's encoding to `bytes`.
    public static func append(_ journey: CaseJourney, to bytes: inout [UInt8]) {
        bytes.reserveCapacity(
            bytes.count + 1 + 8 + journey.caseID.count + journey.customer.count + journey.brand.count
                + (journey.source?.count ?? 0) + 4 + 20 * journey.entries.count)
        bytes.append(format)
        appendField(journey.caseID, to: &bytes)
        appendField(journey.customer, to: &bytes)
        appendField(journey.brand, to: &bytes)
        if let source = journey.source { appendField(source, to: &bytes) } else { append(absent, to: &bytes) }
        append(UInt32(journey.entries.count), to: &bytes)
        for entry in journey.entries { append(entry, to: &bytes) }
    }

    static func appendField(_ field: [UInt8], to bytes: inout [UInt8]) {
        append(UInt16(field.count), to: &bytes)
        bytes.append(contentsOf: field)
    }

    /// One entry: 20 bytes.
    static func append(_ entry: JourneyEntry, to bytes: inout [UInt8]) {
        append(entry.position, to: &bytes)
        append(UInt64(bitPattern: entry.occurredAt), to: &bytes)
        bytes.append(UInt8(EventType.allCases.firstIndex(of: entry.type)!))
        let (channel, detail, extra) = entry.facts.packed
        bytes.append(channel)
        bytes.append(detail)
        bytes.append(extra)
    }

    public struct Malformed: Error, Sendable {}

    public static func decode(_ bytes: Span<UInt8>) throws(Malformed) -> CaseJourney {
        try bytes.withUnsafeBytes { (bytes) throws(Malformed) in try decode(bytes) }
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) throws(Malformed) -> CaseJourney {
        var reader = ByteReader(bytes: bytes)
        guard try reader.byte() == format else { throw Malformed() }
        let caseID = try reader.field()
        let customer = try reader.field()
        let brand = try reader.field()
        let source = try reader.optionalField()
        return CaseJourney(
            caseID: caseID, customer: customer, brand: brand, source: source, entries: try reader.entries())
    }

    /// Decodes a journey whose customer and brand the caller already holds, sharing those
    /// arrays instead of making new ones; Malformed if the stored ones differ.
    public static func decode(_ bytes: Span<UInt8>, customer: [UInt8], brand: [UInt8]) throws(Malformed)
        -> CaseJourney
    {
        try bytes.withUnsafeBytes { (bytes) throws(Malformed) in
            var reader = ByteReader(bytes: bytes)
            guard try reader.byte() == format else { throw Malformed() }
            let caseID = try reader.field()
            guard try reader.field(equals: customer), try reader.field(equals: brand) else { throw Malformed() }
            let source = try reader.optionalField()
            return CaseJourney(
                caseID: caseID, customer: customer, brand: brand, source: source, entries: try reader.entries())
        }
    }

    /// Decodes a journey about to take `newEntries` more events, with room for them, and with
    /// its brand and source shared through `names`: an append decodes every case its events
    /// touch, and each array it need not make is an allocation and a free fewer.
    public static func decode(_ bytes: Span<UInt8>, roomFor newEntries: Int, sharing names: inout SharedNames)
        throws(Malformed) -> CaseJourney
    {
        try bytes.withUnsafeBytes { (bytes) throws(Malformed) in
            var reader = ByteReader(bytes: bytes)
            guard try reader.byte() == format else { throw Malformed() }
            let caseID = try reader.field()
            let customer = try reader.field()
            let brand = names.copy(of: bytes[try reader.fieldRange()])
            let source = try reader.optionalFieldRange().map { names.copy(of: bytes[$0]) }
            return CaseJourney(
                caseID: caseID, customer: customer, brand: brand, source: source,
                entries: try reader.entries(roomFor: newEntries))
        }
    }

    public static func decode(_ bytes: [UInt8]) throws(Malformed) -> CaseJourney {
        var result: Result<CaseJourney, Malformed>!
        bytes.withUnsafeBytes { buffer in
            do throws(Malformed) { result = .success(try decode(buffer)) } catch { result = .failure(error) }
        }
        return try result.get()
    }

    /// The brand bytes of an encoded journey, without decoding the rest.
    public static func brand(of bytes: Span<UInt8>) throws(Malformed) -> [UInt8] {
        try bytes.withUnsafeBytes { (bytes) throws(Malformed) in
            var reader = ByteReader(bytes: bytes)
            guard try reader.byte() == format else { throw Malformed() }
            _ = try reader.field()
            _ = try reader.field()
            return try reader.field()
        }
    }

    /// Where the customer's bytes lie in an encoded journey, without decoding the rest.
    public static func customerRange(in bytes: Span<UInt8>) throws(Malformed) -> Range<Int> {
        try bytes.withUnsafeBytes { (bytes) throws(Malformed) in
            var reader = ByteReader(bytes: bytes)
            guard try reader.byte() == format else { throw Malformed() }
            _ = try reader.fieldRange()
            return try reader.fieldRange()
        }
    }

    static func append<Integer: FixedWidthInteger>(_ value: Integer, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// Reads little-endian fields from stored bytes, refusing to run past the end.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    var remaining: Int { bytes.count - offset }

    mutating func byte() throws(JourneyCodec.Malformed) -> UInt8 {
        guard offset < bytes.count else { throw JourneyCodec.Malformed() }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func integer<Integer: FixedWidthInteger>(_: Integer.Type) throws(JourneyCodec.Malformed) -> Integer {
        let size = MemoryLayout<Integer>.size
        guard remaining >= size else { throw JourneyCodec.Malformed() }
        defer { offset += size }
        return Integer(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Integer.self))
    }

    mutating func entry() throws(JourneyCodec.Malformed) -> JourneyEntry {
        let position = try integer(UInt64.self)
        let occurredAt = Int64(bitPattern: try integer(UInt64.self))
        let typeIndex = Int(try byte())
        guard typeIndex < EventType.allCases.count else { throw JourneyCodec.Malformed() }
        let type = EventType.allCases[typeIndex]
        let facts = EventFacts(type: type, packed: (try byte(), try byte(), try byte()))
        return JourneyEntry(position: position, occurredAt: occurredAt, type: type, facts: facts)
    }

    /// The entries that end the journey: their count (UInt32), then 20 bytes each.
    mutating func entries(roomFor newEntries: Int = 0) throws(JourneyCodec.Malformed) -> [JourneyEntry] {
        let count = Int(try integer(UInt32.self))
        guard count * 20 == remaining else { throw JourneyCodec.Malformed() }
        var entries: [JourneyEntry] = []
        entries.reserveCapacity(count + newEntries)
        for _ in 0..<count { entries.append(try entry()) }
        return entries
    }

    /// Whether the next length-prefixed field holds exactly `expected`; skips past it.
    mutating func field(equals expected: [UInt8]) throws(JourneyCodec.Malformed) -> Bool {
        let range = try fieldRange()
        return expected.withUnsafeBytes { $0.elementsEqual(bytes[range]) }
    }

    mutating func field() throws(JourneyCodec.Malformed) -> [UInt8] {
        Array(bytes[try fieldRange()])
    }

    /// A field whose length 0xFFFF says it is absent.
    mutating func optionalField() throws(JourneyCodec.Malformed) -> [UInt8]? {
        try optionalFieldRange().map { Array(bytes[$0]) }
    }

    /// Where a field whose length 0xFFFF says it is absent lies; nil when absent.
    mutating func optionalFieldRange() throws(JourneyCodec.Malformed) -> Range<Int>? {
        guard remaining >= 2 else { throw JourneyCodec.Malformed() }
        if bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self) == JourneyCodec.absent.littleEndian {
            offset += 2
            return nil
        }
        return try fieldRange()
    }

    /// Where the next length-prefixed field's bytes are; skips past them.
    mutating func fieldRange() throws(JourneyCodec.Malformed) -> Range<Int> {
        let count = Int(try integer(UInt16.self))
        guard remaining >= count else { throw JourneyCodec.Malformed() }
        defer { offset += count }
        return offset..<offset + count
    }
}
