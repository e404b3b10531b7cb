import PlaintEvents
import PlaintLog
import PlaintProjections

/// Decides, before anything is written, what each event of a checked input will do: append,
/// skip as a duplicate, or conflict, against both the store and the input's earlier lines.
///
/// It reads each event in place, in its spool record. Memory grows by an id hash and a spool
/// offset per event, plus each case's id and version: about 84 bytes per event measured, with the
/// tables' spare room. The events themselves stay in the spool.
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
    /// Each case met so far, numbered, and its version once the input's earlier events are
    /// appended, by number.
    private var cases = ByteInterner()
    private var caseVersions: [UInt64] = []
    /// Input names, to point at the earlier line a conflict is with.
    let inputNames: [String]

    init(inputNames: [String]) { self.inputNames = inputNames }

    mutating func check(_ event: SpoolRecord.View, reader: LogReader, spool: inout Spool) throws -> Verdict {
        switch try reader.identity(id: event.id, canonical: event.canonical) {
        case .duplicate: return .duplicate
        case .conflict(let position):
            return .conflict(
                "conflict: an event with id \"\(Self.text(event.id))\" is already stored at position \(position) with other content"
            )
        case .new: break
        }
        let hash = Self.hash(event.id)
        if let first = idOffsets[hash] {
            for offset in [first] + (overflow[hash] ?? []) {
                let earlier = try spool.entry(at: offset)
                guard earlier.event.id.elementsEqual(event.id) else { continue }
                if earlier.event.canonical.elementsEqual(event.canonical) { return .duplicate }
                return .conflict(
                    "conflict: id \"\(Self.text(event.id))\" was already given other content at "
                        + "\(inputNames[earlier.input]):\(earlier.line)")
            }
        }
        if let caseID = event.caseID, let expected = event.expectVersion {
            let current = caseVersions[try caseNumber(caseID, reader)]
            if expected != current {
                return .conflict(
                    "conflict: expect_version \(expected) but case \"\(Self.text(caseID))\" is at version \(current)")
            }
        }
        return .append
    }

    /// Records that `event`, spooled at `offset`, will be appended.
    mutating func accept(_ event: SpoolRecord.View, offset: Int64, reader: LogReader) throws {
        let hash = Self.hash(event.id)
        if idOffsets[hash] == nil {
            idOffsets[hash] = offset
        } else {
            overflow[hash, default: []].append(offset)
        }
        if let caseID = event.caseID { caseVersions[try caseNumber(caseID, reader)] += 1 }
    }

    /// The case's number; a case met for the first time is numbered with its version in the
    /// store, read once.
    private mutating func caseNumber(_ caseID: UnsafeRawBufferPointer, _ reader: LogReader) throws -> Int {
        if let number = cases.existingNumber(of: caseID) { return number }
        caseVersions.append(try storedVersion(caseID, reader))
        return cases.number(of: caseID).number
    }

    /// The case's version in the store: how many events it has there.
    private func storedVersion(_ caseID: UnsafeRawBufferPointer, _ reader: LogReader) throws -> UInt64 {
        UInt64(try reader.count(in: .case, key: Array(caseID)))
    }

    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(bytes.count)
        hasher.combine(bytes: bytes)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    static func text(_ bytes: UnsafeRawBufferPointer) -> String { String(decoding: bytes, as: UTF8.self) }
}
