#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Numbers distinct byte strings densely, 0, 1, 2, … in the order they are first seen, and
/// looks them up straight from borrowed bytes.
///
/// Replay looks up every event's case: a `Dictionary` keyed by `[UInt8]` would copy each id
/// into a new array just to look it up, and follow two pointers per probe. Here the names live
/// end to end in one buffer, each after its length, and a table slot holds a name's hash,
/// number and place in that buffer: a lookup allocates nothing and touches two cache lines.
public struct ByteInterner: Sendable {
    private struct Slot {
        /// Where the name's length (UInt32) and bytes are in `arena`.
        var offset = 0
        var hash: UInt32 = 0
        /// The name's number + 1; 0 marks an empty slot.
        var numberPlusOne: UInt32 = 0
    }

    private var arena: [UInt8] = []
    /// Each name's offset in `arena`, by number.
    private var offsets: [Int] = []
    /// Open addressing with linear probing; never more than half full.
    private var slots = [Slot](repeating: Slot(), count: 64)

    public init() {}

    /// How many names have been numbered.
    public var count: Int { offsets.count }

    /// The number of `name`, numbering it first if it is new.
    public mutating func number(of name: Span<UInt8>) -> (number: Int, isNew: Bool) {
        name.withUnsafeBytes { number(of: $0) }
    }

    mutating func number(of name: UnsafeRawBufferPointer) -> (number: Int, isNew: Bool) {
        let hash = Self.hash(name)
        let (slot, found) = find(name, hash: hash)
        if let found { return (found, false) }
        let number = count
        offsets.append(arena.count)
        withUnsafeBytes(of: UInt32(name.count).littleEndian) { arena.append(contentsOf: $0) }
        arena.append(contentsOf: name)
        slots[slot] = Slot(offset: offsets[number], hash: hash, numberPlusOne: UInt32(number + 1))
        if count * 2 > slots.count { grow() }
        return (number, true)
    }

    public mutating func number(of name: [UInt8]) -> (number: Int, isNew: Bool) {
        name.withUnsafeBytes { number(of: $0) }
    }

    /// The number of `name`, if it has one.
    public func existingNumber(of name: Span<UInt8>) -> Int? { name.withUnsafeBytes { existingNumber(of: $0) } }

    func existingNumber(of name: UnsafeRawBufferPointer) -> Int? { find(name, hash: Self.hash(name)).found }

    public func existingNumber(of name: [UInt8]) -> Int? { name.withUnsafeBytes { existingNumber(of: $0) } }

    /// The bytes of name `number`.
    public func name(_ number: Int) -> [UInt8] {
        arena.withUnsafeBytes { Array(Self.name(at: offsets[number], in: $0)) }
    }

    private static func name(at offset: Int, in arena: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let length = Int(UInt32(littleEndian: arena.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        return UnsafeRawBufferPointer(rebasing: arena[offset + 4..<offset + 4 + length])
    }

    private func find(_ name: UnsafeRawBufferPointer, hash: UInt32) -> (slot: Int, found: Int?) {
        arena.withUnsafeBytes { arena in
            slots.withUnsafeBufferPointer { slots in
                let mask = slots.count - 1
                var index = Int(hash) & mask
                while true {
                    let slot = slots[index]
                    if slot.numberPlusOne == 0 { return (index, nil) }
                    if slot.hash == hash {
                        let stored = Self.name(at: slot.offset, in: arena)
                        if stored.count == name.count,
                            name.isEmpty || memcmp(stored.baseAddress!, name.baseAddress!, name.count) == 0
                        {
                            return (index, Int(slot.numberPlusOne) - 1)
                        }
                    }
                    index = (index + 1) & mask
                }
            }
        }
    }

    private mutating func grow() {
        var larger = [Slot](repeating: Slot(), count: slots.count * 2)
        let mask = larger.count - 1
        for slot in slots where slot.numberPlusOne != 0 {
            var index = Int(slot.hash) & mask
            while larger[index].numberPlusOne != 0 { index = (index + 1) & mask }
            larger[index] = slot
        }
        slots = larger
    }

    /// Seeded per process (`Hasher`), so crafted ids cannot force collisions.
    private static func hash(_ name: UnsafeRawBufferPointer) -> UInt32 {
        var hasher = Hasher()
        hasher.combine(bytes: name)
        return UInt32(truncatingIfNeeded: hasher.finalize())
    }
}
