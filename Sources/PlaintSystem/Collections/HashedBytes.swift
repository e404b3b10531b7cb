/// Bytes as a dictionary key, hashed in one pass over their buffer: `[UInt8]`'s own `Hashable`
/// feeds the hasher one byte at a time, which shows in folds that look up every event's case.
package struct HashedBytes: Hashable, Sendable {
    package let bytes: [UInt8]

    package init(_ bytes: [UInt8]) { self.bytes = bytes }

    package func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
