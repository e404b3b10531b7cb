import PlaintEvents
import PlaintLog

/// Decides, before anything is written, what each event of a checked input will do: append,
/// skip as a duplicate, or conflict, against both the store and the input's earlier lines.
///
/// Memory grows by about 24 bytes per event (an id hash and a spool offset) plus one entry per
/// case; the events themselves stay in the spool.
struct InputChecker {
    enum Verdict: Equatable {
        case append
        case duplicate
        case conflict(String)
    }

    /// Hash of an id -> spool offset of the event that carries it. Hash collisions between
    /// different ids are resolved by reading the spooled events back (`overflow`).
    private var idOffsets: [UInt64: Int64] = [:]
    private var overflow: [UInt64: [Int64]] = [:]
    /// Case id -> its version once the input's earlier events are appended.
    private var caseVersions: [ByteKey: UInt64] = [:]
    /// Input names, to point at the earlier line a conflict is with.
    let inputNames: [String]

    init(inputNames: [String]) { self.inputNames = inputNames }

    mutating func check(_ event: PreparedEvent, reader: LogReader, spool: inout Spool) throws -> Verdict {
        switch try reader.identity(of: event) {
        case .duplicate: return .duplicate
        case .conflict(let position):
            return .conflict(
                "conflict: an event with id \"\(Self.text(event.id))\" is already stored at position \(position) with other content"
            )
        case .new: break
        }
        let hash = Self.hash(event.id)
        for offset in offsets(for: hash) {
            let earlier = try spool.entry(at: offset)
            guard earlier.event.id == event.id else { continue }
            if earlier.event.canonical == event.canonical { return .duplicate }
            return .conflict(
                "conflict: id \"\(Self.text(event.id))\" was already given other content at "
                    + "\(inputNames[earlier.input]):\(earlier.line)")
        }
        if let caseID = event.caseID {
            let current = try caseVersions[ByteKey(caseID)] ?? UInt64(reader.count(in: .case, key: caseID))
            if let expected = event.expectVersion, expected != current {
                return .conflict(
                    "conflict: expect_version \(expected) but case \"\(Self.text(caseID))\" is at version \(current)")
            }
        }
        return .append
    }

    /// Records that `event`, spooled at `offset`, will be appended.
    mutating func accept(_ event: PreparedEvent, offset: Int64) throws {
        let hash = Self.hash(event.id)
        if idOffsets[hash] == nil {
            idOffsets[hash] = offset
        } else {
            overflow[hash, default: []].append(offset)
        }
        if let caseID = event.caseID {
            caseVersions[ByteKey(caseID), default: 0] += 1
        }
    }

    /// `accept` needs the store's count for a case seen for the first time.
    mutating func accept(_ event: PreparedEvent, offset: Int64, reader: LogReader) throws {
        if let caseID = event.caseID, caseVersions[ByteKey(caseID)] == nil {
            caseVersions[ByteKey(caseID)] = UInt64(try reader.count(in: .case, key: caseID))
        }
        try accept(event, offset: offset)
    }

    private func offsets(for hash: UInt64) -> [Int64] {
        guard let first = idOffsets[hash] else { return [] }
        return [first] + (overflow[hash] ?? [])
    }

    static func hash(_ bytes: [UInt8]) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(bytes.count)
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}

/// Bytes as a dictionary key, hashed in one call rather than byte by byte as `[UInt8]` is.
struct ByteKey: Hashable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func hash(into hasher: inout Hasher) {
        hasher.combine(bytes.count)
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
