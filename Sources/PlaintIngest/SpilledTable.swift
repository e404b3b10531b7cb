import Crypto
import PlaintSystem

/// A multimap of 128-bit keys to 64-bit values kept on disk as sorted runs: where the append
/// check's tables go once they outgrow their memory budget (`InputChecker`), so that an input
/// of any size is checked in bounded memory.
///
/// Each run is a spool file of fixed-size entries in key order; memory holds only the first key
/// of each block of `entriesPerBlock` entries, so a lookup reads one block (4 KB) per run. A new
/// run is merged with the last one while that one is no larger, as a binary counter carries:
/// there are at most log2(entries / smallest run) + 1 runs, and each entry is copied about that
/// many times.
///
/// A table looked up mostly for keys it lacks (the check's ids) can keep a Bloom filter of a
/// fixed size: a lookup it rules out reads nothing. Its memory does not grow with the entries;
/// its false positives do (with 2^26 bits: 0.1% at 3 million entries, 5% at 10 million).
struct SpilledTable: ~Copyable {
    /// 128 bits of a byte string's SHA-256: distinct strings get distinct keys for any input a
    /// disk can hold (two equal keys among 10^12 strings have odds of about 10^-15).
    struct Key: Comparable, Sendable {
        var high: UInt64
        var low: UInt64

        init(high: UInt64, low: UInt64) {
            self.high = high
            self.low = low
        }

        init(digesting bytes: UnsafeRawBufferPointer) {
            let digest = SHA256.hash(data: bytes)
            (high, low) = digest.withUnsafeBytes {
                (
                    UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                    UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                )
            }
        }

        static func < (left: Key, right: Key) -> Bool { (left.high, left.low) < (right.high, right.low) }
    }

    struct Entry: Sendable {
        var key: Key
        var value: UInt64
    }

    static let entrySize = 24
    static let entriesPerBlock = 170
    static let blockSize = entrySize * entriesPerBlock

    private struct Run {
        var file: SpoolSegments
        var count: Int
        /// The first key of each block.
        var blockKeys: [Key]
    }

    private let directory: String
    private var runs: [Run] = []
    /// The Bloom filter's bits, allocated with the first run; each key sets four of them.
    private var filter: [UInt64] = []
    private let filterBits: Int

    /// - Parameter filterBits: the Bloom filter's size, a power of two from 64 to 2^32 (0: none).
    init(directory: String, filterBits: Int = 0) {
        precondition(filterBits == 0 || (filterBits.nonzeroBitCount == 1 && filterBits >= 64 && filterBits <= 1 << 32))
        self.directory = directory
        self.filterBits = filterBits
    }

    deinit { for run in runs { run.file.closeAll() } }

    var isEmpty: Bool { runs.isEmpty }
    var runCount: Int { runs.count }
    var count: Int { runs.reduce(0) { $0 + $1.count } }

    /// Adds `entries`, in any order, as a new run (sorting them in place), then merges.
    mutating func add(_ entries: inout [Entry]) throws(InputError) {
        guard !entries.isEmpty else { return }
        entries.sort { $0.key < $1.key }
        if filterBits > 0 {
            if filter.isEmpty { filter = [UInt64](repeating: 0, count: filterBits / 64) }
            for entry in entries { addToFilter(entry.key) }
        }
        var writer = try RunWriter(directory: directory)
        for entry in entries { try writer.append(entry) }
        runs.append(try writer.finish())
        while runs.count >= 2, runs[runs.count - 2].count <= runs[runs.count - 1].count {
            let newer = runs.removeLast()
            let older = runs.removeLast()
            defer {
                newer.file.closeAll()
                older.file.closeAll()
            }
            runs.append(try Self.merge(older, newer, directory: directory))
        }
    }

    /// Every value stored under `key`, oldest run first.
    func values(for key: Key) throws(InputError) -> [UInt64] {
        var found: [UInt64] = []
        guard filter.isEmpty || filterMayContain(key) else { return found }
        for run in runs { try Self.collect(key, in: run, into: &found) }
        return found
    }

    /// A key's four filter bits are its digest's four 32-bit quarters, cut to the filter's size:
    /// the digest is uniform, so they serve as four independent hashes.
    private mutating func addToFilter(_ key: Key) {
        let mask = UInt64(filterBits - 1)
        func set(_ quarter: UInt64) {
            let bit = quarter & mask
            filter[Int(bit >> 6)] |= 1 << (bit & 63)
        }
        set(key.high)
        set(key.high >> 32)
        set(key.low)
        set(key.low >> 32)
    }

    private func filterMayContain(_ key: Key) -> Bool {
        let mask = UInt64(filterBits - 1)
        func isSet(_ quarter: UInt64) -> Bool {
            let bit = quarter & mask
            return filter[Int(bit >> 6)] & (1 << (bit & 63)) != 0
        }
        return isSet(key.high) && isSet(key.high >> 32) && isSet(key.low) && isSet(key.low >> 32)
    }

    private static func collect(_ key: Key, in run: Run, into found: inout [UInt64]) throws(InputError) {
        // The last block that starts before `key`: equal keys may begin at its end.
        var low = 0
        var high = run.blockKeys.count
        while low < high {
            let middle = (low + high) / 2
            if run.blockKeys[middle] < key { low = middle + 1 } else { high = middle }
        }
        var block = max(0, low - 1)
        while block < run.blockKeys.count {
            if block > 0 && key < run.blockKeys[block] { return }
            let first = block * entriesPerBlock
            let count = min(entriesPerBlock, run.count - first)
            let bytes = try run.file.read(count * entrySize, at: Int64(first * entrySize))
            var reachedEnd = true
            bytes.withUnsafeBytes { raw in
                for index in 0..<count {
                    let entry = Self.entry(at: index * entrySize, in: raw)
                    if entry.key < key { continue }
                    if key < entry.key {
                        reachedEnd = false
                        return
                    }
                    found.append(entry.value)
                }
            }
            guard reachedEnd else { return }
            block += 1
        }
    }

    private static func merge(_ older: Run, _ newer: Run, directory: String) throws(InputError) -> Run {
        var writer = try RunWriter(directory: directory)
        var left = RunReader(older)
        var right = RunReader(newer)
        var leftEntry = try left.next()
        var rightEntry = try right.next()
        while let leftCurrent = leftEntry, let rightCurrent = rightEntry {
            if rightCurrent.key < leftCurrent.key {
                try writer.append(rightCurrent)
                rightEntry = try right.next()
            } else {
                try writer.append(leftCurrent)
                leftEntry = try left.next()
            }
        }
        while let current = leftEntry {
            try writer.append(current)
            leftEntry = try left.next()
        }
        while let current = rightEntry {
            try writer.append(current)
            rightEntry = try right.next()
        }
        return try writer.finish()
    }

    static func entry(at offset: Int, in raw: UnsafeRawBufferPointer) -> Entry {
        Entry(
            key: Key(
                high: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)),
                low: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))),
            value: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self)))
    }

    /// Writes a run's entries, in key order, through a buffer of whole blocks.
    private struct RunWriter {
        private var file: SpoolSegments
        private var buffer: [UInt8] = []
        private var written: Int64 = 0
        private var count = 0
        private var blockKeys: [Key] = []

        init(directory: String) throws(InputError) {
            file = try SpoolSegments(directory: directory)
            buffer.reserveCapacity(256 * SpilledTable.blockSize)
        }

        mutating func append(_ entry: Entry) throws(InputError) {
            if count % SpilledTable.entriesPerBlock == 0 { blockKeys.append(entry.key) }
            count += 1
            withUnsafeBytes(of: entry.key.high.littleEndian) { buffer.append(contentsOf: $0) }
            withUnsafeBytes(of: entry.key.low.littleEndian) { buffer.append(contentsOf: $0) }
            withUnsafeBytes(of: entry.value.littleEndian) { buffer.append(contentsOf: $0) }
            if buffer.count >= 256 * SpilledTable.blockSize { try flush() }
        }

        private mutating func flush() throws(InputError) {
            try file.write(buffer, at: written)
            written += Int64(buffer.count)
            buffer.removeAll(keepingCapacity: true)
        }

        consuming func finish() throws(InputError) -> Run {
            try flush()
            return Run(file: file, count: count, blockKeys: blockKeys)
        }
    }

    /// Reads a run's entries in key order, many blocks at a time.
    private struct RunReader {
        private let run: Run
        private var buffer: [UInt8] = []
        private var bufferFirst = 0
        private var position = 0

        init(_ run: Run) { self.run = run }

        mutating func next() throws(InputError) -> Entry? {
            guard position < run.count else { return nil }
            if position - bufferFirst >= buffer.count / SpilledTable.entrySize {
                let count = min(256 * SpilledTable.entriesPerBlock, run.count - position)
                buffer = try run.file.read(count * SpilledTable.entrySize, at: Int64(position * SpilledTable.entrySize))
                bufferFirst = position
            }
            defer { position += 1 }
            return buffer.withUnsafeBytes {
                SpilledTable.entry(at: (position - bufferFirst) * SpilledTable.entrySize, in: $0)
            }
        }
    }
}
