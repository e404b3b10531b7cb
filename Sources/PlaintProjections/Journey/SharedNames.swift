import PlaintSystem

/// One copy of each distinct name's bytes (a customer, a brand), handed to every value that
/// names it: journeys keep arrays, and a brand's 100,000 journeys then share one.
public struct SharedNames: Sendable {
    private var numbers = ByteInterner()
    private var names: [[UInt8]] = []

    public init() {}

    /// The shared copy of `bytes`, made the first time they are seen.
    public mutating func copy(of bytes: Span<UInt8>) -> [UInt8] {
        let (number, isNew) = numbers.number(of: bytes)
        if isNew { names.append(bytes.withUnsafeBufferPointer { Array($0) }) }
        return names[number]
    }

    /// The shared copy of `bytes` (a slice of stored bytes).
    mutating func copy(of bytes: Slice<UnsafeRawBufferPointer>) -> [UInt8] {
        UnsafeRawBufferPointer(rebasing: bytes).withMemoryRebound(to: UInt8.self) { copy(of: $0.span) }
    }
}
