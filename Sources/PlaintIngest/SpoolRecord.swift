import PlaintEvents

/// One event as the spool holds it: written by the preparers straight from their buffers, read
/// in place by the checker, decoded into a `PreparedEvent` by the read-back.
///
/// It holds the event's canonical form, which the preparer writes from the line it has just
/// parsed: the checker compares canonical forms directly, and the read-back does not parse the
/// line again. The line as read is kept only when a rejects file may need it.
///
/// Little-endian. A length (u32) of the rest, then: input (u32), line (u32), type (u8, its place
/// in `EventType.allCases`), occurred_at (i64 microseconds), expect_version + 1 (u64, 0 for
/// none), facts (3 bytes), and id, case (length u32.max when absent), customer, brand, source
/// (`meta.source`, length u32.max when absent), the canonical form and the line as read (length u32.max when not kept), each after its length
/// (u32).
enum SpoolRecord {
    /// Bytes before the first field, after the length.
    static let fixedSize = 28
    /// Where expect_version + 1 is, after the length: after input, line, type and occurred_at.
    static let expectVersionOffset = 4 + 4 + 1 + 8

    /// - Parameter raw: the line `parts` were prepared from, to keep for a rejects file; nil if
    ///   none is written.
    static func append(
        _ parts: PreparedEventParts, raw: UnsafeBufferPointer<UInt8>?, input: Int, line: Int, to buffer: inout [UInt8]
    ) {
        let lengthSlot = buffer.count
        appendInteger(UInt32(0), to: &buffer)
        appendInteger(UInt32(input), to: &buffer)
        appendInteger(UInt32(line), to: &buffer)
        buffer.append(UInt8(EventType.allCases.firstIndex(of: parts.type)!))
        appendInteger(UInt64(bitPattern: parts.occurredAt.microseconds), to: &buffer)
        appendInteger(parts.expectVersion.map { $0 + 1 } ?? 0, to: &buffer)
        let packed = parts.facts.packed
        buffer.append(packed.0)
        buffer.append(packed.1)
        buffer.append(packed.2)
        appendField(parts.id, to: &buffer)
        appendOptionalField(parts.caseID, to: &buffer)
        appendField(parts.customer, to: &buffer)
        appendField(parts.brand, to: &buffer)
        appendOptionalField(parts.source, to: &buffer)
        appendField(parts.canonical, to: &buffer)
        if let raw {
            appendInteger(UInt32(raw.count), to: &buffer)
            buffer.append(contentsOf: raw)
        } else {
            appendInteger(UInt32.max, to: &buffer)
        }
        let length = UInt32(buffer.count - lengthSlot - 4)
        buffer.withUnsafeMutableBytes {
            $0.storeBytes(of: length.littleEndian, toByteOffset: lengthSlot, as: UInt32.self)
        }
    }

    private static func appendInteger<T: FixedWidthInteger>(_ value: T, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    private static func appendField(_ bytes: ArraySlice<UInt8>, to buffer: inout [UInt8]) {
        appendInteger(UInt32(bytes.count), to: &buffer)
        buffer.append(contentsOf: bytes)
    }

    /// A field that may be absent: its length is then UInt32.max.
    private static func appendOptionalField(_ bytes: ArraySlice<UInt8>?, to buffer: inout [UInt8]) {
        if let bytes { appendField(bytes, to: &buffer) } else { appendInteger(UInt32.max, to: &buffer) }
    }

    /// The length of the record starting at `offset` of `bytes`, its length prefix included.
    static func size(at offset: Int, in bytes: UnsafeRawBufferPointer) -> Int {
        4 + Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
    }

    /// What the checker reads of a record, in place.
    struct View {
        let input: Int
        let line: Int
        let id: UnsafeRawBufferPointer
        let caseID: UnsafeRawBufferPointer?
        let expectVersion: UInt64?
        /// The event's RFC 8785 form.
        let canonical: UnsafeRawBufferPointer
        /// The line as read, if kept (for a rejects file).
        let raw: UnsafeRawBufferPointer?

        /// `record` starts at its length prefix.
        init(_ record: UnsafeRawBufferPointer) {
            input = Int(UInt32(littleEndian: record.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
            line = Int(UInt32(littleEndian: record.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
            let expect = UInt64(
                littleEndian: record.loadUnaligned(fromByteOffset: 4 + SpoolRecord.expectVersionOffset, as: UInt64.self)
            )
            expectVersion = expect == 0 ? nil : expect - 1
            var cursor = 4 + SpoolRecord.fixedSize
            func field() -> UnsafeRawBufferPointer? {
                let length = UInt32(littleEndian: record.loadUnaligned(fromByteOffset: cursor, as: UInt32.self))
                cursor += 4
                if length == .max { return nil }
                defer { cursor += Int(length) }
                return UnsafeRawBufferPointer(rebasing: record[cursor..<cursor + Int(length)])
            }
            id = field()!
            caseID = field()
            _ = field()
            _ = field()
            _ = field()
            canonical = field()!
            raw = field()
        }
    }

    /// The entry a record's body (after its length) holds.
    static func decode(_ body: ArraySlice<UInt8>) -> Spool.Entry {
        var noSource: [UInt8]?
        return decode(body, reusing: &noSource)
    }

    /// The same, sharing `lastSource` when the record names the same source: a feed's events
    /// mostly do, and an array per event would cost an allocation each.
    static func decode(_ body: ArraySlice<UInt8>, reusing lastSource: inout [UInt8]?) -> Spool.Entry {
        var cursor = body.startIndex
        func integer<T: FixedWidthInteger>(_: T.Type) -> T {
            defer { cursor += MemoryLayout<T>.size }
            return body.withUnsafeBytes {
                T(littleEndian: $0.loadUnaligned(fromByteOffset: cursor - body.startIndex, as: T.self))
            }
        }
        func field() -> [UInt8]? {
            let length = integer(UInt32.self)
            if length == .max { return nil }
            defer { cursor += Int(length) }
            return Array(body[cursor..<cursor + Int(length)])
        }
        let input = Int(integer(UInt32.self))
        let line = Int(integer(UInt32.self))
        let type = EventType.allCases[Int(body[cursor])]
        cursor += 1
        let occurredAt = Timestamp(microseconds: Int64(bitPattern: integer(UInt64.self)))
        let expect = integer(UInt64.self)
        let facts = EventFacts(type: type, packed: (body[cursor], body[cursor + 1], body[cursor + 2]))
        cursor += 3
        let id = field()!
        let caseID = field()
        let customer = field()!
        let brand = field()!
        let source: [UInt8]?
        let sourceLength = integer(UInt32.self)
        if sourceLength == .max {
            source = nil
        } else {
            let bytes = body[cursor..<cursor + Int(sourceLength)]
            cursor += Int(sourceLength)
            if let lastSource, lastSource.elementsEqual(bytes) {
                source = lastSource
            } else {
                source = Array(bytes)
                lastSource = source
            }
        }
        let canonical = field()!
        return Spool.Entry(
            event: PreparedEvent(
                id: id, type: type, caseID: caseID, customer: customer, brand: brand, source: source,
                occurredAt: occurredAt,
                expectVersion: expect == 0 ? nil : expect - 1, canonical: canonical, facts: facts),
            input: input, line: line)
    }
}
