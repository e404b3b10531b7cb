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
        SpoolRecord.append(event, input: input, line: line, to: &buffer)
        if buffer.count >= 1 << 20 { try flush() }
        return offset
    }

    /// Appends a whole record (`SpoolRecord`, its length included); returns its offset.
    mutating func write(record: UnsafeRawBufferPointer) throws(InputError) -> Int64 {
        let offset = flushed + Int64(buffer.count)
        buffer.append(contentsOf: record)
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
        return SpoolRecord.decode(body[...])
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
}
