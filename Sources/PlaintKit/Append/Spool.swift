import Glibc
import PlaintEvents

/// Validated events parked on disk between checking an input and writing it.
///
/// The file is unlinked as soon as it is created, so a crash leaves nothing behind; memory use
/// stays at one buffer whatever the input's size.
struct Spool: ~Copyable {
    struct Entry {
        var event: PreparedEvent
        var input: Int
        var line: Int
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var flushed: Int64 = 0

    init(directory: String) throws(InputError) {
        var template = Array((directory + "/.append-spool-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw .unreadable(
                path: directory, reason: "cannot create a spool file: " + String(cString: strerror(errno)))
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.descriptor = descriptor
        buffer.reserveCapacity(1 << 20)
    }

    deinit { close(descriptor) }

    /// Appends an entry; returns its offset, for `entry(at:)`.
    mutating func write(_ event: PreparedEvent, input: Int, line: Int) throws(InputError) -> Int64 {
        let offset = flushed + Int64(buffer.count)
        let lengthSlot = buffer.count
        buffer.append(contentsOf: [0, 0, 0, 0])
        appendInteger(UInt32(input))
        appendInteger(UInt32(line))
        buffer.append(UInt8(EventType.allCases.firstIndex(of: event.type)!))
        appendInteger(UInt64(bitPattern: event.occurredAt.microseconds))
        appendInteger(event.expectVersion.map { $0 + 1 } ?? 0)
        let facts = event.facts.packed
        buffer.append(contentsOf: [facts.0, facts.1, facts.2])
        appendField(event.id)
        appendField(event.caseID ?? [], present: event.caseID != nil)
        appendField(event.customer)
        appendField(event.brand)
        appendField(event.canonical)
        let length = UInt32(buffer.count - lengthSlot - 4).littleEndian
        withUnsafeBytes(of: length) { bytes in
            for index in 0..<4 { buffer[lengthSlot + index] = bytes[index] }
        }
        if buffer.count >= 1 << 20 { try flush() }
        return offset
    }

    mutating func flush() throws(InputError) {
        var written = 0
        while written < buffer.count {
            let result = buffer.withUnsafeBytes {
                pwrite(descriptor, $0.baseAddress! + written, $0.count - written, off_t(flushed) + off_t(written))
            }
            guard result > 0 else {
                if result < 0, errno == EINTR { continue }
                throw .unreadable(path: "spool", reason: String(cString: strerror(errno)))
            }
            written += result
        }
        flushed += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }

    /// The entry written at `offset` (flushes pending writes first).
    mutating func entry(at offset: Int64) throws(InputError) -> Entry {
        if offset + 4 > flushed { try flush() }
        var header = [UInt8](repeating: 0, count: 4)
        try readExactly(&header, at: offset)
        let length = Int(header.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) })
        var body = [UInt8](repeating: 0, count: length)
        try readExactly(&body, at: offset + 4)
        return Self.decode(body[...])
    }

    /// Flushes, and returns a reader of every entry in write order on its own descriptor, which
    /// the reader closes: it can run on another thread while this spool stays open.
    mutating func readBack() throws(InputError) -> SpoolReader {
        try flush()
        let copy = dup(descriptor)
        guard copy >= 0 else {
            throw .unreadable(path: "spool", reason: String(cString: strerror(errno)))
        }
        return SpoolReader(descriptor: copy, length: flushed)
    }

    private func readExactly(_ bytes: inout [UInt8], at offset: Int64) throws(InputError) {
        try Self.readExactly(&bytes, at: offset, from: descriptor)
    }

    static func readExactly(_ bytes: inout [UInt8], at offset: Int64, from descriptor: Int32) throws(InputError) {
        var done = 0
        while done < bytes.count {
            let result = bytes.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress! + done, $0.count - done, off_t(offset) + off_t(done))
            }
            guard result > 0 else {
                if result < 0, errno == EINTR { continue }
                throw .unreadable(path: "spool", reason: result == 0 ? "truncated" : String(cString: strerror(errno)))
            }
            done += result
        }
    }

    private mutating func appendInteger<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    private mutating func appendField(_ bytes: [UInt8], present: Bool = true) {
        appendInteger(present ? UInt32(bytes.count) : UInt32.max)
        buffer.append(contentsOf: bytes)
    }

    static func decode(_ body: ArraySlice<UInt8>) -> Entry {
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
        let canonical = field()!
        return Entry(
            event: PreparedEvent(
                id: id, type: type, caseID: caseID, customer: customer, brand: brand, occurredAt: occurredAt,
                expectVersion: expect == 0 ? nil : expect - 1, canonical: canonical, facts: facts),
            input: input, line: line)
    }
}
