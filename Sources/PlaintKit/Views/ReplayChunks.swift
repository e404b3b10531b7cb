import PlaintEvents
import PlaintLog
import PlaintProjections

/// Events the reader decoded: each one's journey entry and the bytes of its case id, customer
/// and brand, end to end in `names`.
struct ScannedChunk: Sendable {
    private var entries: [JourneyEntry] = []
    /// Per event, where its case id, customer and brand end in `names`; it starts where the
    /// previous event's brand ends. `caseEnd` is -1 for an event without a case.
    private var ends: [(caseEnd: Int32, customerEnd: Int32, brandEnd: Int32)] = []
    private var names: [UInt8] = []

    var isEmpty: Bool { entries.isEmpty }
    var lastPosition: UInt64? { entries.last?.position }

    mutating func append(_ record: RecordView, decoder: inout FoldDecoder) throws {
        let (entry, ends) = try decoder.decode(record) { entry, caseID, customer, brand in
            var caseEnd: Int32 = -1
            if let caseID {
                names.append(contentsOf: caseID)
                caseEnd = Int32(names.count)
            }
            names.append(contentsOf: customer)
            let customerEnd = Int32(names.count)
            names.append(contentsOf: brand)
            return (entry, (caseEnd, customerEnd, Int32(names.count)))
        }
        entries.append(entry)
        self.ends.append(ends)
    }

    func fold(into projection: inout JourneyProjection) {
        names.withUnsafeBytes { names in
            var start = 0
            for (entry, end) in zip(entries, ends) {
                let customerStart = end.caseEnd < 0 ? start : Int(end.caseEnd)
                let caseID = end.caseEnd < 0 ? nil : UnsafeRawBufferPointer(rebasing: names[start..<customerStart])
                projection.apply(
                    entry, caseID: caseID,
                    customer: UnsafeRawBufferPointer(rebasing: names[customerStart..<Int(end.customerEnd)]),
                    brand: UnsafeRawBufferPointer(rebasing: names[Int(end.customerEnd)..<Int(end.brandEnd)]))
                start = Int(end.brandEnd)
            }
        }
    }
}

/// Events as stored, copied for the folding thread to decode.
struct StoredChunk: Sendable {
    private var positions: [UInt64] = []
    private var ends: [Int] = []
    private var bodies: [UInt8] = []

    var isEmpty: Bool { positions.isEmpty }
    var lastPosition: UInt64? { positions.last }

    mutating func append(_ record: RecordView) {
        positions.append(record.position)
        bodies.append(contentsOf: record.canonical)
        ends.append(bodies.count)
    }

    func fold(into projection: inout JourneyProjection, decoder: inout FoldDecoder) throws {
        try bodies.withUnsafeBufferPointer { bodies in
            var start = 0
            for (position, end) in zip(positions, ends) {
                try decoder.decode(position: position, canonical: UnsafeBufferPointer(rebasing: bodies[start..<end])) {
                    projection.apply($0, caseID: $1, customer: $2, brand: $3)
                }
                start = end
            }
        }
    }
}
