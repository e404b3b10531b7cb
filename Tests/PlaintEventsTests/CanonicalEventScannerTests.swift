import Testing

@testable import PlaintEvents

@Suite("Canonical event scanner")
struct CanonicalEventScannerTests {
    static let lines = [
        #"{"id":"a1","type":"complaint.filed","occurred_at":"2024-03-01T09:15:00+02:00","case":"c1","customer":"u1","brand":"acme","channel":"twitter","data":{"text":"He said \"no\" \\ then left\nagain","kind":"not a reply","nested":{"a":[1,{"b":"}"}],"c":"]"}},"meta":{"source":"x","n":[1.5e3,true,null]}}"#,
        #"{"id":"a2","type":"brand.replied","occurred_at":"2024-03-01T10:00:00.123456Z","case":"c1","customer":"u1","brand":"acme","channel":"dm","data":{"kind":"redirect","to_channel":"email","agent":"ann","text":"Écrivez-nous 📨"}}"#,
        #"{"id":"a3","type":"case.resolved","occurred_at":"2024-03-01T11:00:00Z","case":"c\"1","customer":"u\\1","brand":"ac/me","data":{"resolution":"refunded","by":"brand"}}"#,
        #"{"id":"a4","type":"customer.rated","occurred_at":"2024-03-02T11:00:00Z","case":"c1","customer":"u1","brand":"acme","data":{"scale":"nps","score":9}}"#,
        #"{"id":"a5","type":"vendor.changed_service","occurred_at":"2024-03-03T00:00:00Z","customer":"u1","brand":"acme","data":{"change":"price_increase","consented":false,"description":"up 20%"}}"#,
        #"{"id":"a6","type":"vendor.changed_service","occurred_at":"2024-03-03T00:00:00Z","customer":"u1","brand":"acme","data":{"consented":true,"change":"upgrade"}}"#,
        #"{"id":"a7","type":"customer.renewed","occurred_at":"2024-03-04T00:00:00-05:00","customer":"u1","brand":"acme","expect_version":3,"case":"c9"}"#,
        #"{"id":"a8","type":"brand.replied","occurred_at":"2024-03-01T10:00:00Z","case":"c1","customer":"u1","brand":"acme","channel":"pigeon-free","data":{"kind":"auto","x":{}}}"#,
    ]

    @Test("reads the same event as the full parser", arguments: lines.indices)
    func agreesWithTheParser(index: Int) throws {
        var preparer = EventPreparer()
        // The last line has an invalid channel: it never reaches the store, so skip it.
        guard let prepared = try? preparer.prepare(Self.lines[index]) else {
            #expect(index == Self.lines.count - 1)
            return
        }
        var reader = StoredEventReader()
        let scanner = CanonicalEventScanner()
        try prepared.canonical.withUnsafeBufferPointer { bytes in
            let full = try reader.read(position: 7, canonical: bytes)
            let scanned = try #require(scanner.scan(bytes))
            let cursor = ScanCursor(bytes: bytes)
            #expect(scanned.type == full.type)
            #expect(scanned.occurredAt == full.occurredAt)
            #expect(scanned.facts == full.facts)
            #expect(scanned.facts == prepared.facts)
            #expect(cursor.decoded(scanned.id) == full.id)
            #expect(scanned.caseID.flatMap(cursor.decoded) == full.caseID)
            #expect(cursor.decoded(scanned.customer) == full.customer)
            #expect(cursor.decoded(scanned.brand) == full.brand)
            // Only strings with escapes need decoding; the others are their bytes as they stand.
            let escapes = [scanned.caseID, scanned.customer, scanned.brand].compactMap { $0 }.filter(\.escaped)
            #expect(scanned.hasEscapedParties == !escapes.isEmpty)
        }
    }

    @Test("gives up, rather than guess, on bytes that are not a stored event")
    func refusesDamage() {
        let scanner = CanonicalEventScanner()
        for text in [
            #"{"id":"a","type":"complaint.filed""#,
            #"{"id":"a","type":"nope","occurred_at":"2024-03-01T09:15:00Z","customer":"u","brand":"b"}"#,
            #"["id"]"#, "", #"{"id":"a"}x"#,
        ] {
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBufferPointer { scanner.scan($0) } == nil, "\(text)")
        }
    }
}
