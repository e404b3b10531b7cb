/// How the customer index keys its postings, which depends on the store's format.
///
/// Format 1 keys every posting by the customer alone. Consecutive events name unrelated
/// customers, so each transaction of an append touched pages all over that index: a third of
/// the append's LMDB work, measured with `tools/bench/lmdb_ceiling.c`. Format 2 puts the
/// position's epoch (its block of `epochSize` positions) before the customer, so a transaction
/// writes only into the current epoch's small part of the index. A customer's postings are then
/// read epoch by epoch, with one lookup per epoch.
struct CustomerKeys: Sendable {
    static let epochBits = 13
    /// Positions per epoch: 8,192, so a 10-million-event store has 1,221 epochs.
    static let epochSize: UInt64 = 1 << epochBits
    /// Bytes of the epoch before the customer (big-endian, so keys sort by epoch first).
    static let epochPrefix = 4

    /// False for a format 1 store: one epoch, keys without a prefix.
    let hasEpochs: Bool

    init(format: Int) { hasEpochs = format >= 2 }

    /// The epoch of `position` (positions start at 1).
    func epoch(of position: UInt64) -> UInt32 {
        hasEpochs && position > 0 ? UInt32(truncatingIfNeeded: (position - 1) >> Self.epochBits) : 0
    }

    /// The epochs that hold positions `from` to `head`.
    func epochs(from position: UInt64, through head: UInt64) -> ClosedRange<UInt32> {
        epoch(of: max(position, 1))...max(epoch(of: max(position, 1)), epoch(of: head))
    }

    /// The key of `customer`'s postings in `epoch`.
    func key(_ customer: [UInt8], epoch: UInt32) -> [UInt8] {
        guard hasEpochs else { return IndexKey.make(customer) }
        return withUnsafeBytes(of: epoch.bigEndian) { Array($0) }
            + IndexKey.make(customer, within: IndexKey.maximumSize - Self.epochPrefix)
    }

    func key(_ customer: [UInt8], position: UInt64) -> [UInt8] {
        key(customer, epoch: epoch(of: position))
    }

    /// Calls `body` with the key of the posting of `customer` at `position`, built on the stack
    /// for the usual short customer (the append's inner loop).
    func withKey<Result>(
        _ customer: [UInt8], position: UInt64, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) throws -> Result {
        let limit = IndexKey.directLimit(within: IndexKey.maximumSize - Self.epochPrefix)
        guard hasEpochs, customer.count <= limit else {
            return try key(customer, position: position).withUnsafeBytes(body)
        }
        return try withUnsafeTemporaryAllocation(byteCount: Self.epochPrefix + customer.count, alignment: 1) {
            buffer in
            buffer.storeBytes(of: epoch(of: position).bigEndian, as: UInt32.self)
            customer.withUnsafeBytes {
                UnsafeMutableRawBufferPointer(rebasing: buffer[Self.epochPrefix...]).copyMemory(from: $0)
            }
            return try body(UnsafeRawBufferPointer(buffer))
        }
    }

    /// The customer part of a stored key (the key itself in format 1).
    func customerPart(of key: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        hasEpochs ? UnsafeRawBufferPointer(rebasing: key[Self.epochPrefix...]) : key
    }

    /// The epoch of a stored key.
    func epoch(ofKey key: UnsafeRawBufferPointer) -> UInt32 {
        guard hasEpochs, key.count >= Self.epochPrefix else { return 0 }
        return UInt32(bigEndian: key.loadUnaligned(as: UInt32.self))
    }
}
