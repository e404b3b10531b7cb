import PlaintEvents
import PlaintSystem

/// Reads a spool's entries back in write order, 1 MiB at a time, through descriptors of its
/// own: it closes each segment once past it, and `close()` the rest.
struct SpoolReader: Sendable {
    private var segments: SpoolSegments
    private let length: Int64
    private var offset: Int64 = 0
    /// Bytes of the file from `bufferStart`.
    private var buffer: [UInt8] = []
    private var bufferStart: Int64 = 0
    /// The source of the entry read last, shared with the next one that names the same.
    private var lastSource: [UInt8]?

    init(segments: SpoolSegments, length: Int64) {
        self.segments = segments
        self.length = length
    }

    func close() { segments.closeAll() }

    /// The next entry, or nil at the end.
    mutating func next() throws(InputError) -> Spool.Entry? {
        guard offset < length else { return nil }
        try ensureBuffered(4)
        let size = buffer.withUnsafeBytes { SpoolRecord.size(at: Int(offset - bufferStart), in: $0) }
        try ensureBuffered(size)
        let start = Int(offset - bufferStart)
        offset += Int64(size)
        return SpoolRecord.decode(buffer[start + 4..<start + size], reusing: &lastSource)
    }

    /// Makes `buffer` hold at least `count` bytes from `offset`.
    private mutating func ensureBuffered(_ count: Int) throws(InputError) {
        let available = bufferStart + Int64(buffer.count) - offset
        guard available < count else { return }
        buffer = try segments.read(Int(min(max(Int64(count), 1 << 20), length - offset)), at: offset)
        bufferStart = offset
        segments.close(before: offset)
    }
}
