import PlaintEvents

/// Reads a spool's entries back in write order, 1 MiB at a time, through descriptors of its
/// own: it closes each segment once past it, and `close()` the rest.
struct SpoolReader: Sendable {
    private var segments: SpoolSegments
    private let length: Int64
    private var offset: Int64 = 0
    /// Bytes of the file from `bufferStart`.
    private var buffer: [UInt8] = []
    private var bufferStart: Int64 = 0

    init(segments: SpoolSegments, length: Int64) {
        self.segments = segments
        self.length = length
    }

    func close() { segments.closeAll() }

    /// The directory whose spool this reads, for messages.
    var directory: String { segments.directory }

    /// Appends the next record, its length included, to `records`; false at the end.
    mutating func appendNextRecord(to records: inout [UInt8]) throws(InputError) -> Bool {
        guard offset < length else { return false }
        try ensureBuffered(4)
        let size = buffer.withUnsafeBytes { SpoolRecord.size(at: Int(offset - bufferStart), in: $0) }
        try ensureBuffered(size)
        let start = Int(offset - bufferStart)
        records.append(contentsOf: buffer[start..<start + size])
        offset += Int64(size)
        return true
    }

    /// The entry a record's body holds, its canonical form written by `preparer`.
    static func decode(_ body: ArraySlice<UInt8>, canonicalizingWith preparer: inout EventPreparer, directory: String)
        throws(InputError) -> Spool.Entry
    {
        do {
            return try SpoolRecord.decode(body, canonicalizingWith: &preparer)
        } catch {
            // The line passed the check that wrote this record, so this is a bug, not bad input.
            throw .spool(directory: directory, reason: "a checked line no longer canonicalizes: \(error)")
        }
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
