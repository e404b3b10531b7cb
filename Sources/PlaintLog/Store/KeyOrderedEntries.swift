/// Index entries (a key and a log position) gathered over a transaction, to be put in key order.
///
/// Inputs in time order or shuffled name ids, cases and customers all over their indexes. Put
/// one by one as they arrive, each entry searches its tree from the root and lands on a page far
/// from the last one. Put in key order through one cursor, consecutive entries mostly fall on the
/// page the cursor is already on, which LMDB then searches alone (mdb.c, `mdb_cursor_set`), and
/// each page is changed in one stretch. The keys are kept in one buffer: no array per entry.
struct KeyOrderedEntries: Sendable {
    private var keyBytes: [UInt8] = []
    private var entries: [Entry] = []

    private struct Entry: Sendable {
        var start: Int
        var count: Int
        var position: UInt64
    }

    init(capacity: Int) {
        entries.reserveCapacity(capacity)
        keyBytes.reserveCapacity(capacity * 24)
    }

    /// Adds an entry; entries are added in position order, which `sort` keeps among equal keys.
    mutating func add(key: UnsafeRawBufferPointer, position: UInt64) {
        entries.append(Entry(start: keyBytes.count, count: key.count, position: position))
        keyBytes.append(contentsOf: key)
    }

    /// Sorts the entries in LMDB's key order (`keyOrder`), and each key's entries by position
    /// (the order they were added in).
    mutating func sort() {
        let order = keyBytes.withUnsafeBytes { bytes in
            keyOrder(count: entries.count) { Self.key(bytes, entries[$0]) }
        }
        entries = order.map { entries[$0] }
    }

    /// Calls `body` with each entry in the order `sort` left them; `isFirstOfKey` tells where a
    /// new key begins.
    func forEach(
        _ body: (_ key: UnsafeRawBufferPointer, _ position: UInt64, _ isFirstOfKey: Bool) throws -> Void
    ) rethrows {
        try keyBytes.withUnsafeBytes { bytes in
            var previous: Entry?
            for entry in entries {
                let isFirst = previous.map { Self.compare(bytes, $0, entry) != 0 } ?? true
                try body(Self.key(bytes, entry), entry.position, isFirst)
                previous = entry
            }
        }
    }

    private static func key(_ bytes: UnsafeRawBufferPointer, _ entry: Entry) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[entry.start..<entry.start + entry.count])
    }

    private static func compare(_ bytes: UnsafeRawBufferPointer, _ left: Entry, _ right: Entry) -> Int {
        compareBytes(key(bytes, left), key(bytes, right))
    }
}
