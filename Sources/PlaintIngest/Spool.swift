import Glibc
import PlaintEvents
import PlaintSystem

/// Validated events parked on disk between checking an input and writing it.
///
/// Its files are unlinked as soon as they are created, so a crash leaves nothing behind; memory
/// use stays at one buffer whatever the input's size.
struct Spool: ~Copyable {
    struct Entry {
        var event: PreparedEvent
        var input: Int
        var line: Int
    }

    private var segments: SpoolSegments
    private var buffer: [UInt8] = []
    private var flushed: Int64 = 0

    init(directory: String, segmentSize: Int64 = SpoolSegments.defaultSegmentSize) throws(InputError) {
        segments = try SpoolSegments(directory: directory, segmentSize: segmentSize)
        buffer.reserveCapacity(1 << 20)
    }

    deinit { segments.closeAll() }

    /// How many bytes have been written, flushed or not.
    var length: Int64 { flushed + Int64(buffer.count) }

    /// Appends a whole record (`SpoolRecord`, its length included); returns its offset, for
    /// `record(at:)`.
    mutating func write(record: UnsafeRawBufferPointer) throws(InputError) -> Int64 {
        let offset = flushed + Int64(buffer.count)
        buffer.append(contentsOf: record)
        if buffer.count >= 1 << 20 { try flush() }
        return offset
    }

    mutating func flush() throws(InputError) {
        try segments.write(buffer, at: flushed)
        flushed += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }

    /// The record written at `offset`, its length included (flushes pending writes first).
    mutating func record(at offset: Int64) throws(InputError) -> [UInt8] {
        if offset + 4 > flushed { try flush() }
        let size = try segments.read(4, at: offset).withUnsafeBytes { SpoolRecord.size(at: 0, in: $0) }
        return try segments.read(size, at: offset)
    }

    /// Calls `body` with each record written from `offset` on, in write order, and its offset:
    /// at most `limit` of them. Returns the offset after the last one it passed.
    mutating func forEachRecord(
        from offset: Int64, limit: Int, _ body: (_ record: SpoolRecord.View, _ offset: Int64) throws -> Void
    ) throws -> Int64 {
        try flush()
        var start = offset
        var passed = 0
        while start < flushed, passed < limit {
            let first = try segments.read(4, at: start).withUnsafeBytes { SpoolRecord.size(at: 0, in: $0) }
            let chunk = try segments.read(Int(min(max(1 << 20, Int64(first)), flushed - start)), at: start)
            var used = 0
            try chunk.withUnsafeBytes { raw in
                while used + 4 <= raw.count, passed < limit {
                    let size = SpoolRecord.size(at: used, in: raw)
                    guard used + size <= raw.count else { break }
                    try body(
                        SpoolRecord.View(UnsafeRawBufferPointer(rebasing: raw[used..<used + size])), start + Int64(used)
                    )
                    used += size
                    passed += 1
                }
            }
            start += Int64(used)
        }
        return start
    }

    /// Flushes, and returns a reader of every entry in write order on descriptors of its own,
    /// which the reader closes as it passes them: it can run on another thread while this spool
    /// stays open, but only once this spool is gone are the passed segments' pages freed.
    mutating func readBack() throws(InputError) -> SpoolReader {
        try flush()
        return SpoolReader(segments: try segments.duplicated(), length: flushed)
    }
}
