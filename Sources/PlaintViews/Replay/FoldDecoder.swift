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

    /// Lends `body` the record's journey entry, and its case id, customer, brand and source.
    mutating func decode<Result>(
        _ record: borrowing RecordView,
        _ body: (
            _ entry: JourneyEntry, _ caseID: Span<UInt8>?, _ customer: Span<UInt8>, _ brand: Span<UInt8>,
            _ source: Span<UInt8>?
        ) throws -> Result
    ) throws -> Result {
        let position = record.position
        return try record.withCanonical { canonical in
            if let scanned = scanner.scan(canonical), !scanned.hasEscapedParties {
                let entry = JourneyEntry(
                    position: position, occurredAt: scanned.occurredAt.microseconds, type: scanned.type,
                    facts: scanned.facts)
                var caseID: Span<UInt8>?
                if let range = scanned.caseID?.range { caseID = canonical.extracting(range) }
                var source: Span<UInt8>?
                if let range = scanned.source?.range { source = canonical.extracting(range) }
                return try body(
                    entry, caseID, canonical.extracting(scanned.customer.range),
                    canonical.extracting(scanned.brand.range), source)
            }
            let event: StoredEvent
            do {
                event = try reader.read(position: position, canonical: canonical)
            } catch {
                throw StoreError.corrupt(position: position, reason: "the stored event does not parse")
            }
            return try event.withBorrowedParties { try body(JourneyEntry(event), $0, $1, $2, $3) }
        }
    }
}
