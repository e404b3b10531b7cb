import Crypto

/// The hash-chain links of a batch of events computed ahead, on another thread, for the head
/// the batch is expected to follow: the writer then only copies them in. `EventLog.append` uses
/// them only while the log's head is still `previous` at `firstPosition - 1` and every event is
/// new; otherwise it links the events itself.
public struct ChainLinks: Sendable {
    /// The hash of the record before the batch.
    public let previous: [UInt8]
    public let firstPosition: UInt64
    /// 32 bytes per event, in order.
    public private(set) var hashes: [UInt8] = []

    public init(after head: LogHead) {
        previous = head.hash
        firstPosition = head.position + 1
    }

    public var count: Int { hashes.count / 32 }

    /// The head once the batch is stored.
    public var last: LogHead {
        LogHead(position: firstPosition + UInt64(count) - 1, hash: Array(hash(before: count)))
    }

    /// Links the next event of the batch.
    public mutating func link(canonical: [UInt8]) {
        let position = firstPosition + UInt64(count)
        let digest = hash(before: count).withUnsafeBytes { previous in
            canonical.withUnsafeBytes { HashChain.digest(previous: previous, position: position, canonical: $0) }
        }
        // Straight from the digest: no array per event.
        digest.withUnsafeBytes { hashes.append(contentsOf: $0) }
    }

    /// The links of events `range` of the batch.
    public func slice(_ range: Range<Int>) -> ChainLinks {
        var part = ChainLinks(
            previous: Array(hash(before: range.lowerBound)), firstPosition: firstPosition + UInt64(range.lowerBound))
        part.hashes = Array(hashes[range.lowerBound * 32..<range.upperBound * 32])
        return part
    }

    private init(previous: [UInt8], firstPosition: UInt64) {
        self.previous = previous
        self.firstPosition = firstPosition
    }

    /// The link of the batch's event `index`.
    func hash(at index: Int) -> ArraySlice<UInt8> { hashes[index * 32..<(index + 1) * 32] }

    /// The hash event `index` is linked to: the head's for the first, else the previous link.
    private func hash(before index: Int) -> ArraySlice<UInt8> { index == 0 ? previous[...] : hash(at: index - 1) }
}
