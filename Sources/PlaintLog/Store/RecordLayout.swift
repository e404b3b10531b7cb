import Crypto

/// How a stored event is laid out in the `events` database.
///
/// Key: the position, 8 bytes big-endian (so byte order is position order).
/// Value: 1 byte layout version, recorded_at (µs since 1970, 8 bytes big-endian), version in its
/// case (8 bytes big-endian, 0 when the event has no case), the chain hash (32 bytes), then the
/// event's canonical JSON.
@usableFromInline
enum RecordLayout {
    static let layoutVersion: UInt8 = 1
    /// 3000-01-01T00:00:00Z in microseconds: no store clock writes a later `recorded_at`.
    static let latestRecordedAt: Int64 = 32_503_680_000_000_000
    @usableFromInline static let headerSize = 1 + 8 + 8 + 32
    @usableFromInline static let hashOffset = 17

    static func writeHeader(
        into buffer: UnsafeMutableRawBufferPointer, recordedAt: Int64, version: UInt64, hash: ArraySlice<UInt8>
    ) {
        precondition(hash.count == 32)
        buffer[0] = layoutVersion
        buffer.storeBytes(of: UInt64(bitPattern: recordedAt).bigEndian, toByteOffset: 1, as: UInt64.self)
        buffer.storeBytes(of: version.bigEndian, toByteOffset: 9, as: UInt64.self)
        UnsafeMutableRawBufferPointer(rebasing: buffer[hashOffset..<headerSize]).copyBytes(from: hash)
    }

    static func positionKey(_ position: UInt64) -> [UInt8] {
        withUnsafeBytes(of: position.bigEndian) { Array($0) }
    }

    static func readPosition(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self))
    }
}

/// A read-only view of one stored record, lent to a closure (`LogReader.withRecord`,
/// `forEachRecord`) and valid only inside it: it is noncopyable and lent `borrowing`, so it
/// cannot be kept past the transaction whose memory map it points into. Its bytes leave the
/// log as spans lent to a closure, or as copies.
public struct RecordView: ~Copyable {
    public let position: UInt64
    @usableFromInline let raw: UnsafeRawBufferPointer

    init(position: UInt64, raw: UnsafeRawBufferPointer) throws(StoreError) {
        guard raw.count >= RecordLayout.headerSize, raw[0] == RecordLayout.layoutVersion else {
            throw .corrupt(position: position, reason: "record header is damaged")
        }
        self.position = position
        self.raw = raw
    }

    public var recordedAtMicroseconds: Int64 {
        Int64(bitPattern: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 1, as: UInt64.self)))
    }

    /// Whether `recorded_at` is a time the store's clock could have written: from 1970 to 2999.
    /// Appends never write an earlier time than the record before, so `verify` also checks order.
    public var recordedAtIsPlausible: Bool {
        (0..<RecordLayout.latestRecordedAt).contains(recordedAtMicroseconds)
    }

    /// The event's version in its case; 0 for an event without a case.
    public var version: UInt64 { UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 9, as: UInt64.self)) }

    @usableFromInline var hash: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: raw[RecordLayout.hashOffset..<RecordLayout.headerSize])
    }

    @usableFromInline var canonical: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: raw[RecordLayout.headerSize...])
    }

    /// Lends the event's canonical bytes (RFC 8785) to `body`.
    @inlinable
    public func withCanonical<Result>(_ body: (Span<UInt8>) throws -> Result) rethrows -> Result {
        try canonical.withMemoryRebound(to: UInt8.self) { try body($0.span) }
    }

    /// Lends the record's chain hash (32 bytes) to `body`.
    @inlinable
    public func withHash<Result>(_ body: (Span<UInt8>) throws -> Result) rethrows -> Result {
        try hash.withMemoryRebound(to: UInt8.self) { try body($0.span) }
    }

    /// A copy of the canonical bytes.
    public var canonicalBytes: [UInt8] { Array(canonical) }
}

/// Keys of the secondary indexes. LMDB keys are at most 511 bytes; a longer identifier is keyed
/// by its first 479 bytes and its SHA-256, so distinct identifiers keep distinct keys.
public enum IndexKey {
    /// LMDB's largest key (lmdb.h, mdb_env_get_maxkeysize).
    static let maximumSize = 511
    public static let directLimit = directLimit(within: maximumSize)

    /// The longest identifier that is its own key when keys may have `size` bytes: a longer one
    /// takes `size` bytes (a prefix and its SHA-256), so the two kinds never collide.
    static func directLimit(within size: Int) -> Int { size - SHA256.byteCount + 1 }

    public static func make(_ bytes: [UInt8]) -> [UInt8] { make(bytes, within: maximumSize) }

    /// The key of `bytes` when keys may have `size` bytes.
    static func make(_ bytes: [UInt8], within size: Int) -> [UInt8] {
        guard bytes.count > directLimit(within: size) else { return bytes }
        return Array(bytes.prefix(size - SHA256.byteCount)) + Array(SHA256.hash(data: bytes))
    }

    /// Calls `body` with the key of `bytes`, in place when it is short enough to be its own key
    /// (the append's inner loop: no copy, no reference counting).
    static func withKey<Result>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows
        -> Result
    {
        guard bytes.count > directLimit else { return try bytes.withUnsafeBytes(body) }
        return try make(bytes).withUnsafeBytes(body)
    }
}
