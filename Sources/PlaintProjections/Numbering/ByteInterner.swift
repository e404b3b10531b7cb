#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Numbers distinct byte strings densely, 0, 1, 2, … in the order they are first seen, and
/// looks them up straight from borrowed bytes.
///
/// Replay numbers every event's case, customer and brand: a `Dictionary` keyed by `[UInt8]`
/// would copy each id into a new array just to look it up. Here the names live end to end in
/// one buffer and the table holds numbers, so a lookup allocates nothing.
public struct ByteInterner: Sendable {
    /// Every name's bytes, end to end; name `n` is `arena[starts[n]..<starts[n + 1]]`.
    private var arena: [UInt8] = []
    private var starts: [Int] = [0]
    /// Open addressing: 0 is empty, else the name's hash in the high 32 bits and its number + 1
    /// in the low ones. Never more than half full.
    private var slots = [UInt64](repeating: 0, count: 64)

    public init() {}

    /// How many names have been numbered.
    public var count: Int { starts.count - 1 }

    /// The number of `name`, numbering it first if it is new.
    public mutating func number(of name: UnsafeRawBufferPointer) -> (number: Int, isNew: Bool) {
        let hash = Self.hash(name)
        let (slot, found) = find(name, hash: hash)
        if let found { return (found, false) }
        let number = count
        arena.append(contentsOf: name)
        starts.append(arena.count)
        slots[slot] = UInt64(hash) << 32 | UInt64(number + 1)
        if count * 2 > slots.count { grow() }
        return (number, true)
    }

    public mutating func number(of name: [UInt8]) -> (number: Int, isNew: Bool) {
        name.withUnsafeBytes { number(of: $0) }
    }

    /// The number of `name`, if it has one.
    public func existingNumber(of name: UnsafeRawBufferPointer) -> Int? { find(name, hash: Self.hash(name)).found }

    public func existingNumber(of name: [UInt8]) -> Int? { name.withUnsafeBytes { existingNumber(of: $0) } }

    /// The bytes of name `number`.
    public func name(_ number: Int) -> [UInt8] { Array(arena[starts[number]..<starts[number + 1]]) }

    /// Whether name `number` is `bytes`, compared without copying.
    public func name(_ number: Int, equals bytes: UnsafeRawBufferPointer) -> Bool {
        let start = starts[number]
        let length = starts[number + 1] - start
        guard length == bytes.count else { return false }
        guard length > 0 else { return true }
        return arena.withUnsafeBytes { memcmp($0.baseAddress! + start, bytes.baseAddress!, length) == 0 }
    }

    private func find(_ name: UnsafeRawBufferPointer, hash: UInt32) -> (slot: Int, found: Int?) {
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return (slot, nil) }
            if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                let number = Int(entry & 0xFFFF_FFFF) - 1
                if self.name(number, equals: name) { return (slot, number) }
            }
            slot = (slot + 1) & mask
        }
    }

    private mutating func grow() {
        var larger = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = larger.count - 1
        for entry in slots where entry != 0 {
            var slot = Int(entry >> 32) & mask
            while larger[slot] != 0 { slot = (slot + 1) & mask }
            larger[slot] = entry
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
