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
    private let scanner = CanonicalEventScanner(readsID: false)

    var isEmpty: Bool { entries.isEmpty }
    var lastPosition: UInt64? { entries.last?.position }

    mutating func append(_ record: RecordView, decoder: inout StoredEventDecoder) throws {
        let canonical = record.canonical
        let scanned = canonical.withMemoryRebound(to: UInt8.self) { scanner.scan($0) }
        if let scanned, !scanned.hasEscapedParties {
            entries.append(
                JourneyEntry(
                    position: record.position, occurredAt: scanned.occurredAt.microseconds, type: scanned.type,
                    facts: scanned.facts))
            let caseEnd: Int32
            if let caseID = scanned.caseID {
                names.append(contentsOf: canonical[caseID.range])
                caseEnd = Int32(names.count)
            } else {
                caseEnd = -1
            }
            names.append(contentsOf: canonical[scanned.customer.range])
            let customerEnd = Int32(names.count)
            names.append(contentsOf: canonical[scanned.brand.range])
            ends.append((caseEnd, customerEnd, Int32(names.count)))
        } else {
            let event = try decoder.decode(record)
            entries.append(JourneyEntry(event))
            var caseEnd: Int32 = -1
            if let caseID = event.caseID {
                names.append(contentsOf: caseID)
                caseEnd = Int32(names.count)
            }
            names.append(contentsOf: event.customer)
            let customerEnd = Int32(names.count)
            names.append(contentsOf: event.brand)
            ends.append((caseEnd, customerEnd, Int32(names.count)))
        }
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

    func fold(
        into projection: inout JourneyProjection, scanner: CanonicalEventScanner, reader: inout StoredEventReader
    ) throws {
        try bodies.withUnsafeBufferPointer { bodies in
            var start = 0
            for (position, end) in zip(positions, ends) {
                let body = UnsafeBufferPointer(rebasing: bodies[start..<end])
                start = end
                let raw = UnsafeRawBufferPointer(body)
                if let scanned = scanner.scan(body), !scanned.hasEscapedParties {
                    let entry = JourneyEntry(
                        position: position, occurredAt: scanned.occurredAt.microseconds, type: scanned.type,
                        facts: scanned.facts)
                    projection.apply(
                        entry, caseID: scanned.caseID.map { UnsafeRawBufferPointer(rebasing: raw[$0.range]) },
                        customer: UnsafeRawBufferPointer(rebasing: raw[scanned.customer.range]),
                        brand: UnsafeRawBufferPointer(rebasing: raw[scanned.brand.range]))
                } else {
                    do {
                        projection.apply(try reader.read(position: position, canonical: body))
                    } catch {
                        throw StoreError.corrupt(position: position, reason: "the stored event does not parse")
                    }
                }
            }
        }
    }
}
