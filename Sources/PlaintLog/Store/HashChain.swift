import Crypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `hash = SHA-256(previous hash ‖ position as 8 bytes big-endian ‖ canonical bytes)`,
/// the first record chained to 32 zero bytes.
public enum HashChain {
    public static let genesis = [UInt8](repeating: 0, count: 32)

    static func link(previous: UnsafeRawBufferPointer, position: UInt64, canonical: UnsafeRawBufferPointer)
        -> [UInt8]
    {
        Array(digest(previous: previous, position: position, canonical: canonical))
    }

    static func digest(
        previous: UnsafeRawBufferPointer, position: UInt64, canonical: UnsafeRawBufferPointer
    ) -> SHA256.Digest {
        var hasher = SHA256()
        hasher.update(bufferPointer: previous)
        withUnsafeBytes(of: position.bigEndian) { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: canonical)
        return hasher.finalize()
    }

    /// Whether `stored` is the link of `previous`, `position` and `canonical`: the chain check's
    /// inner loop, comparing in place without copying the digest.
    static func confirms(
        _ stored: UnsafeRawBufferPointer, previous: UnsafeRawBufferPointer, position: UInt64,
        canonical: UnsafeRawBufferPointer
    ) -> Bool {
        digest(previous: previous, position: position, canonical: canonical).withUnsafeBytes { digest in
            digest.count == stored.count && memcmp(digest.baseAddress!, stored.baseAddress!, digest.count) == 0
        }
    }

    public static func link(previous: [UInt8], position: UInt64, canonical: [UInt8]) -> [UInt8] {
        previous.withUnsafeBytes { previous in
            canonical.withUnsafeBytes { link(previous: previous, position: position, canonical: $0) }
        }
    }

    static func link(previous: [UInt8], position: UInt64, canonical: UnsafeRawBufferPointer) -> [UInt8] {
        previous.withUnsafeBytes { link(previous: $0, position: position, canonical: canonical) }
    }

    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var text = ""
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0xF)])
        }
        return text
    }

    private static let hexDigits = Array("0123456789abcdef")
}
