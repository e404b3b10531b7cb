/// What code outside the store does with bytes lent as a span: compare them, copy them.
extension Span where Element == UInt8 {
    /// A copy of the bytes.
    @inlinable
    package var bytes: [UInt8] { withUnsafeBufferPointer { Array($0) } }

    @inlinable
    package func elementsEqual(_ other: some Sequence<UInt8>) -> Bool {
        withUnsafeBufferPointer { $0.elementsEqual(other) }
    }
}

extension Array where Element == UInt8 {
    @inlinable
    package mutating func append(contentsOf span: Span<UInt8>) {
        span.withUnsafeBufferPointer { append(contentsOf: $0) }
    }
}

extension UnsafeRawBufferPointer {
    /// Lends the bytes as a span, for the APIs that take one.
    @inlinable
    package func withSpan<Result, Failure: Error>(_ body: (Span<UInt8>) throws(Failure) -> Result) throws(Failure)
        -> Result
    {
        let bytes = assumingMemoryBound(to: UInt8.self)
        return try body(bytes.span)
    }
}
