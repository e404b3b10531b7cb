import PlaintEvents
import Testing

@testable import PlaintProjections

@Suite("numbered fold")
struct NumberedFoldTests {
    @Test("a case's parties come from its complaint, whatever the order its events arrive in")
    func partiesFromTheComplaint() throws {
        var preparer = EventPreparer()
        var reader = StoredEventReader()
        var events: [StoredEvent] = []
        let lines = [
            #"{"id":"a","type":"customer.followed_up","occurred_at":"2024-03-01T10:00:00Z","case":"c1","customer":"u2","brand":"b","channel":"dm"}"#,
            #"{"id":"b","type":"complaint.filed","occurred_at":"2024-03-01T11:00:00Z","case":"c1","customer":"u1","brand":"a","channel":"dm"}"#,
            #"{"id":"c","type":"customer.churned","occurred_at":"2024-03-02T10:00:00Z","customer":"u1","brand":"a"}"#,
            #"{"id":"d","type":"brand.replied","occurred_at":"2024-03-01T09:00:00Z","case":"c2","customer":"u3","brand":"b","channel":"dm","data":{"kind":"answer"}}"#,
            #"{"id":"e","type":"brand.replied","occurred_at":"2024-03-01T08:00:00Z","case":"c2","customer":"u1","brand":"b","channel":"dm","data":{"kind":"answer"}}"#,
        ]
        for (index, line) in lines.enumerated() {
            let prepared = try preparer.prepare(line)
            events.append(try reader.read(position: UInt64(index + 1), canonical: prepared.canonical.span))
        }
        var projections: [JourneyProjection] = []
        for order in [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [1, 3, 0, 4, 2], [2, 4, 1, 0, 3]] {
            var projection = JourneyProjection()
            for index in order { projection.apply(events[index]) }
            projections.append(projection)
            // c1: the complaint names u1 and a, though it occurred after the follow-up.
            #expect(projection.journey(Array("c1".utf8))?.customerName == "u1")
            #expect(projection.journey(Array("c1".utf8))?.brandName == "a")
            // c2 has no complaint: its earliest event names the parties.
            #expect(projection.journey(Array("c2".utf8))?.customerName == "u1")
            #expect(projection.journey(Array("c1".utf8))?.entries.map(\.position) == [1, 2])
            #expect(projection.relationshipRows.count == 1)
        }
        #expect(projections.allSatisfy { $0 == projections[0] })
    }
}
