import PlaintEvents
import PlaintLog
import PlaintProjections

/// Decodes a stored event into what replay's fold takes: its journey entry, and its case id,
/// customer, brand and source as bytes.
///
/// The bytes are borrowed from the stored event when the scanner reads it as it stands (no
/// copies); otherwise (escapes in those strings, or bytes the scanner declines) the full parser
/// decodes it, and a body that no longer parses is reported as damage at its position.
struct FoldDecoder {
    private let scanner = CanonicalEventScanner()
    private var reader = StoredEventReader()

    mutating func decode<Result>(
        position: UInt64, canonical: UnsafeBufferPointer<UInt8>,
        _ body: (
            _ entry: JourneyEntry, _ caseID: UnsafeRawBufferPointer?, _ customer: UnsafeRawBufferPointer,
            _ brand: UnsafeRawBufferPointer, _ source: UnsafeRawBufferPointer?
        ) throws -> Result
    ) throws -> Result {
        if let scanned = scanner.scan(canonical), !scanned.hasEscapedParties {
            let bytes = UnsafeRawBufferPointer(canonical)
            func string(_ string: ScannedString) -> UnsafeRawBufferPointer {
                UnsafeRawBufferPointer(rebasing: bytes[string.range])
            }
            let entry = JourneyEntry(
                position: position, occurredAt: scanned.occurredAt.microseconds, type: scanned.type,
                facts: scanned.facts)
            return try body(
                entry, scanned.caseID.map(string), string(scanned.customer), string(scanned.brand),
                scanned.source.map(string))
        }
        let event: StoredEvent
        do {
            event = try reader.read(position: position, canonical: canonical)
        } catch {
            throw StoreError.corrupt(position: position, reason: "the stored event does not parse")
        }
        return try event.withBorrowedParties { try body(JourneyEntry(event), $0, $1, $2, $3) }
    }

    mutating func decode<Result>(
        _ record: RecordView,
        _ body: (
            JourneyEntry, UnsafeRawBufferPointer?, UnsafeRawBufferPointer, UnsafeRawBufferPointer,
            UnsafeRawBufferPointer?
        ) throws -> Result
    ) throws -> Result {
        try record.canonical.withMemoryRebound(to: UInt8.self) {
            try decode(position: record.position, canonical: $0, body)
        }
    }
}
