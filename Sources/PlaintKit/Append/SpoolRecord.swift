import PlaintEvents

/// One event as the spool holds it: written by the preparers straight from their buffers, read
/// in place by the checker, decoded into a `PreparedEvent` by the read-back.
///
/// It keeps the line as read, not its canonical form: the check compares lines and needs the
/// canonical form only when an id repeats with other bytes, so the read-back writes it, while
/// the caller stores the previous batch on the other core.
///
/// Little-endian. A length (u32) of the rest, then: input (u32), line (u32), type (u8, its place
/// in `EventType.allCases`), occurred_at (i64 microseconds), expect_version + 1 (u64, 0 for
/// none), facts (3 bytes), and id, case (length u32.max when absent), customer, brand and the
/// line's text, each after its length (u32).
enum SpoolRecord {
    /// Bytes before the first field, after the length.
    static let fixedSize = 28
    /// Where expect_version + 1 is, after the length: after input, line, type and occurred_at.
    static let expectVersionOffset = 4 + 4 + 1 + 8

    /// - Parameter text: the line `parts` were prepared from (by `EventPreparer.validateParts`).
    static func append(
        _ parts: PreparedEventParts, text: UnsafeBufferPointer<UInt8>, input: Int, line: Int, to buffer: inout [UInt8]
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
        if let caseID = parts.caseID {
            appendField(caseID, to: &buffer)
        } else {
            appendInteger(UInt32.max, to: &buffer)
        }
        appendField(parts.customer, to: &buffer)
        appendField(parts.brand, to: &buffer)
        appendInteger(UInt32(text.count), to: &buffer)
        buffer.append(contentsOf: text)
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
        /// The line as read.
        let text: UnsafeRawBufferPointer

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
            text = field()!
        }
    }

    /// The entry a record's body (after its length) holds, its line canonicalized by `preparer`.
    static func decode(_ body: ArraySlice<UInt8>, canonicalizingWith preparer: inout EventPreparer)
        throws(EventValidationError) -> Spool.Entry
    {
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
        let textLength = Int(integer(UInt32.self))
        var canonical: Result<[UInt8], EventValidationError> = .success([])
        body.withUnsafeBufferPointer { bytes in
            let start = cursor - body.startIndex
            let text = UnsafeBufferPointer(rebasing: bytes[start..<start + textLength])
            // An exact-size copy, not a share of the preparer's buffer (see `PreparedEvent.init(_:)`).
            canonical = Result { () throws(EventValidationError) in
                try preparer.canonicalize(text).withUnsafeBufferPointer { Array($0) }
            }
        }
        return Spool.Entry(
            event: PreparedEvent(
                id: id, type: type, caseID: caseID, customer: customer, brand: brand, occurredAt: occurredAt,
                expectVersion: expect == 0 ? nil : expect - 1, canonical: try canonical.get(), facts: facts),
            input: input, line: line)
    }
}
