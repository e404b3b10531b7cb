import PlaintEvents
import PlaintLog
import PlaintSystem

/// Decides, before anything is written, what each event of a checked input will do: append,
/// skip as a duplicate, or conflict, against both the store and the input's earlier lines.
///
/// The spool holds exactly the events that will be appended, so the checker's tables only point
/// into it: an id hash and a spool offset per accepted event, and each case's accepted count.
/// They stay in memory up to `Limits` (about 50 MB); then they move to sorted runs on disk
/// (`SpilledTable`) and start again empty, so memory stays bounded whatever the input's size.
/// Each later event then costs a SHA-256 of its id and, when the spilled ids' Bloom filter
/// cannot rule the id out, a 4 KB read per run.
struct InputChecker: ~Copyable {
    enum Verdict: Equatable {
        case append
        case duplicate
        case conflict(String)
    }

    /// How much the in-memory tables hold before they spill to disk. The defaults keep the id
    /// table at 2^21 slots (16 MB) and the case table under about 36 MB.
    struct Limits {
        var ids: Int
        var cases: Int
        /// Entries per sorted run written while spilling ids.
        var runEntries: Int
        /// The spilled ids' Bloom filter: 8 MB, allocated at the first spill.
        var idFilterBits = 1 << 26

        init(ids: Int = 1_500_000) {
            self.ids = max(1, ids)
            cases = max(1, ids / 3)
            runEntries = max(1, ids / 3)
        }
    }

    /// Hash of an id -> spool offset of the accepted event that carries it, since the last
    /// spill. Hash collisions between different ids are resolved by reading the spooled events
    /// back.
    private var idOffsets = IDOffsetTable()
    /// Each case met since the last spill, numbered, and how many of its events were accepted.
    private var cases = ByteInterner()
    private var caseCounts: [UInt64] = []
    /// The same, for the events accepted before the last spill: id digest -> spool offset, and
    /// case digest -> accepted count (a case may have one entry per spill).
    private var spilledIDs: SpilledTable
    private var spilledCases: SpilledTable
    /// The spool's length at the last spill: the events after it are in the in-memory tables.
    private var spilledThrough: Int64 = 0
    private let limits: Limits
    /// Where the spool and the spilled runs are.
    private let directory: String
    /// Input names, to point at the earlier line a conflict is with.
    let inputNames: [String]

    /// - Parameter directory: where the spilled runs' files go (unlinked at once).
    init(inputNames: [String], directory: String, limits: Limits = Limits()) {
        self.inputNames = inputNames
        self.limits = limits
        self.directory = directory
        spilledIDs = SpilledTable(directory: directory, filterBits: limits.idFilterBits)
        spilledCases = SpilledTable(directory: directory)
    }

    mutating func check(_ event: SpoolRecord.View, reader: LogReader, spool: inout Spool) throws -> Verdict {
        let identity = try event.id.withSpan { id in
            try reader.identity(id: id, isSameContent: { $0.elementsEqual(event.canonical) })
        }
        switch identity {
        case .duplicate: return .duplicate
        case .conflict(let position):
            return .conflict(
                "conflict: an event with id \"\(Self.text(event.id))\" is already stored at position \(position) with other content"
            )
        case .new: break
        }
        var candidates: [Int64] = []
        idOffsets.forEachCandidate(Self.hash(event.id)) { offset in
            candidates.append(offset)
            return true
        }
        if !candidates.isEmpty, let verdict = try verdict(event, against: candidates, spool: &spool) {
            return verdict
        }
        if !spilledIDs.isEmpty {
            let offsets = try spilledIDs.values(for: .init(digesting: event.id)).map { Int64($0) }
            if let verdict = try verdict(event, against: offsets, spool: &spool) { return verdict }
        }
        if let caseID = event.caseID, let expected = event.expectVersion {
            let current = try version(of: caseID, reader: reader)
            if expected != current {
                return .conflict(
                    "conflict: expect_version \(expected) but case \"\(Self.text(caseID))\" is at version \(current)")
            }
        }
        return .append
    }

    /// The verdict on `event` if one of the accepted events spooled at `offsets` has its id: a
    /// duplicate when the two have the same canonical form.
    private mutating func verdict(_ event: SpoolRecord.View, against offsets: [Int64], spool: inout Spool) throws
        -> Verdict?
    {
        for offset in offsets {
            let record = try spool.record(at: offset)
            let verdict = try record.withUnsafeBytes { (record) throws -> Verdict? in
                let earlier = SpoolRecord.View(record)
                guard earlier.id.elementsEqual(event.id) else { return nil }
                if earlier.canonical.elementsEqual(event.canonical) { return .duplicate }
                return .conflict(
                    "conflict: id \"\(Self.text(event.id))\" was already given other content at "
                        + "\(inputNames[earlier.input]):\(earlier.line)")
            }
            if let verdict { return verdict }
        }
        return nil
    }

    /// The case's version once the input's accepted events so far are appended: its events in
    /// the store, read only for the lines that expect a version, plus those accepted.
    private func version(of caseID: UnsafeRawBufferPointer, reader: LogReader) throws -> UInt64 {
        var version = UInt64(try reader.count(in: .case, key: Array(caseID)))
        if let number = caseID.withSpan({ cases.existingNumber(of: $0) }) { version += caseCounts[number] }
        if !spilledCases.isEmpty {
            version += try spilledCases.values(for: .init(digesting: caseID)).reduce(0, +)
        }
        return version
    }

    /// Records that `event`, spooled at `offset`, will be appended.
    mutating func accept(_ event: SpoolRecord.View, offset: Int64) throws(InputError) {
        guard offset <= IDOffsetTable.maximumOffset else {
            throw .spool(directory: directory, reason: "one append may add at most 1 TiB of events: split the input")
        }
        idOffsets.insert(Self.hash(event.id), offset: offset)
        if let caseID = event.caseID {
            let (number, isNew) = caseID.withSpan { cases.number(of: $0) }
            if isNew { caseCounts.append(0) }
            caseCounts[number] += 1
        }
    }

    /// Moves the in-memory tables to disk once they reach their limits; call between events.
    mutating func spillIfFull(spool: inout Spool) throws {
        guard idOffsets.count >= limits.ids || cases.count >= limits.cases else { return }
        var entries: [SpilledTable.Entry] = []
        entries.reserveCapacity(cases.count)
        for number in 0..<cases.count {
            let key = cases.name(number).withUnsafeBytes { SpilledTable.Key(digesting: $0) }
            entries.append(.init(key: key, value: caseCounts[number]))
        }
        cases = ByteInterner()
        caseCounts = []
        try spilledCases.add(&entries)
        // The ids are read back from the spool, which holds the accepted events in order.
        idOffsets.removeAll()
        entries = []
        entries.reserveCapacity(limits.runEntries)
        var position = spilledThrough
        while position < spool.length {
            position = try spool.forEachRecord(from: position, limit: limits.runEntries) { record, offset in
                entries.append(.init(key: .init(digesting: record.id), value: UInt64(offset)))
            }
            try spilledIDs.add(&entries)
            entries.removeAll(keepingCapacity: true)
        }
        spilledThrough = spool.length
    }

    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(bytes.count)
        hasher.combine(bytes: bytes)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    static func text(_ bytes: UnsafeRawBufferPointer) -> String { String(decoding: bytes, as: UTF8.self) }
}
