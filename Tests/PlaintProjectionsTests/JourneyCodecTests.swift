import PlaintEvents
import PlaintProjections
import Testing

/// An append decodes the journeys its events touch with room for their new entries and with
/// brands and sources shared: the journeys must be the ones the plain decoding gives.
@Suite("journey codec")
struct JourneyCodecTests {
    static func journey(case caseID: String, brand: String, source: String?, events: Int) -> CaseJourney {
        var script = Script()
        script.caseID = caseID
        script.brand = brand
        script.customer = "customer of \(caseID)"
        script.add(.complaintFiled, at: 0, channel: .email)
        for index in 1..<events { script.add(.brandReplied, at: Int64(index) * Script.minute, kind: .answer) }
        let journey = script.journey
        return CaseJourney(
            caseID: journey.caseID, customer: journey.customer, brand: journey.brand,
            source: source.map { Array($0.utf8) }, entries: journey.entries)
    }

    @Test func decodingWithRoomAndSharedNamesGivesTheSameJourneys() throws {
        let journeys = [
            Self.journey(case: "c1", brand: "acme", source: "twcs", events: 3),
            Self.journey(case: "c2", brand: "acme", source: nil, events: 1),
            Self.journey(case: "c3", brand: "globex", source: "twcs", events: 40),
            Self.journey(case: "c4", brand: "acme", source: "crm", events: 2),
        ]
        var names = SharedNames()
        var decoded: [CaseJourney] = []
        for (index, journey) in journeys.enumerated() {
            let bytes = JourneyCodec.encode(journey)
            let shared = try bytes.withUnsafeBufferPointer {
                try JourneyCodec.decode($0.span, roomFor: index * 5, sharing: &names)
            }
            #expect(shared == (try JourneyCodec.decode(bytes)))
            #expect(shared.entries.capacity >= journey.entries.count + index * 5)
            decoded.append(shared)
        }
        // One array per distinct brand and source, whichever journeys name them.
        func storage(_ bytes: [UInt8]?) -> UnsafeRawPointer? {
            bytes?.withUnsafeBytes { $0.baseAddress }
        }
        #expect(storage(decoded[0].brand) == storage(decoded[1].brand))
        #expect(storage(decoded[0].brand) == storage(decoded[3].brand))
        #expect(storage(decoded[0].brand) != storage(decoded[2].brand))
        #expect(storage(decoded[0].source) == storage(decoded[2].source))
        #expect(storage(decoded[0].source) != storage(decoded[3].source))
        #expect(decoded[1].source == nil)
    }

    @Test func aDamagedJourneyIsRefused() {
        var bytes = JourneyCodec.encode(Self.journey(case: "c1", brand: "acme", source: "twcs", events: 2))
        bytes.removeLast()
        var names = SharedNames()
        #expect(throws: JourneyCodec.Malformed.self) {
            try bytes.withUnsafeBufferPointer { try JourneyCodec.decode($0.span, roomFor: 0, sharing: &names) }
        }
    }
}
