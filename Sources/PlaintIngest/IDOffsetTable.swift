/// Spool offsets of accepted events by a hash of their id, 8 bytes a slot: the check's id table
/// while it fits in memory (`InputChecker`).
///
/// A slot packs 24 bits of the hash, which also place it (open addressing, linear probing), and
/// the offset + 1 in 40 bits (0 marks an empty slot). Matching those 24 bits makes an offset a
/// candidate, not an answer: the caller compares the ids. A new id matches some other id's bits
/// once in a few million lookups (each probed slot matches with odds of 2^-24), which costs one
/// spool read.
struct IDOffsetTable {
    static let maximumOffset: Int64 = (1 << 40) - 2
    /// Placing slots by 24 bits of the hash caps the table at 2^24 slots (128 MB).
    static let maximumCount = 3 << 22

    private var slots = [UInt64](repeating: 0, count: 1024)
    private(set) var count = 0

    /// Calls `body` with the offset of each entry whose hash may be `hash`, oldest first, until it
    /// returns false.
    func forEachCandidate(_ hash: UInt64, _ body: (Int64) throws -> Bool) rethrows {
        let fragment = hash >> 40
        try slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var index = Int(fragment) & mask
            while slots[index] != 0 {
                if slots[index] >> 40 == fragment, try !body(Int64(slots[index] & 0xFF_FFFF_FFFF) - 1) { return }
                index = (index + 1) & mask
            }
        }
    }

    /// Adds an entry; `offset` at most `maximumOffset`, the table below `maximumCount` entries.
    mutating func insert(_ hash: UInt64, offset: Int64) {
        precondition(offset <= Self.maximumOffset && count < Self.maximumCount)
        if (count + 1) * 4 > slots.count * 3 { grow() }
        Self.place((hash >> 40) << 40 | UInt64(offset + 1), in: &slots)
        count += 1
    }

    /// Empties the table, keeping its slots.
    mutating func removeAll() {
        slots.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        count = 0
    }

    private mutating func grow() {
        var larger = [UInt64](repeating: 0, count: slots.count * 2)
        for slot in slots where slot != 0 { Self.place(slot, in: &larger) }
        slots = larger
    }

    private static func place(_ slot: UInt64, in slots: inout [UInt64]) {
        slots.withUnsafeMutableBufferPointer { slots in
            let mask = slots.count - 1
            var index = Int(slot >> 40) & mask
            while slots[index] != 0 { index = (index + 1) & mask }
            slots[index] = slot
        }
    }
}
