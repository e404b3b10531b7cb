import Testing

@testable import PlaintEvents

@Suite("Event preparation")
struct EventPreparerTests {
    static let complaint =
        #"{"id":"e1","type":"complaint.filed","occurred_at":"2024-03-01T10:15:00+01:00","case":"c1","customer":"u1","brand":"acme","channel":"twitter","data":{"text":"slow","severity":"high"}}"#

    func prepare(_ text: String) throws(EventValidationError) -> PreparedEvent {
        var preparer = EventPreparer()
        return try preparer.prepare(text)
    }

    func error(_ text: String) -> EventValidationError? {
        do {
            _ = try prepare(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func extractsKeysAndCanonicalizes() throws {
        let event = try prepare(Self.complaint)
        #expect(event.id == Array("e1".utf8))
        #expect(event.type == .complaintFiled)
        #expect(event.caseID == Array("c1".utf8))
        #expect(event.customer == Array("u1".utf8))
        #expect(event.brand == Array("acme".utf8))
        #expect(event.occurredAt.description == "2024-03-01T09:15:00Z")
        #expect(
            String(decoding: event.canonical, as: UTF8.self)
                == #"{"brand":"acme","case":"c1","channel":"twitter","customer":"u1","data":{"severity":"high","text":"slow"},"id":"e1","occurred_at":"2024-03-01T09:15:00Z","type":"complaint.filed"}"#
        )
    }

    @Test func keyOrderWhitespaceAndOffsetDoNotChangeTheCanonicalBytes() throws {
        let reordered =
            #"  { "data" : { "severity":"high", "text":"slow" }, "channel":"twitter", "brand":"acme", "customer":"u1", "case":"c1", "occurred_at":"2024-03-01T09:15:00.000Z", "type":"complaint.filed", "id":"e1" } "#
        #expect(try prepare(reordered).canonical == prepare(Self.complaint).canonical)
    }

    @Test func storeFieldsAreDroppedFromTheCanonicalForm() throws {
        let exported = String(Self.complaint.dropLast()) + #","position":9,"version":1,"recorded_at":"x","hash":"ab"}"#
        #expect(try prepare(exported).canonical == prepare(Self.complaint).canonical)
    }

    @Test func expectVersionIsReadAndKept() throws {
        let event = try prepare(String(Self.complaint.dropLast()) + #","expect_version":3}"#)
        #expect(event.expectVersion == 3)
        #expect(String(decoding: event.canonical, as: UTF8.self).contains(#""expect_version":3"#))
    }

    @Test(arguments: [
        (#"{"id":"e1"}"#, "type", "required"),
        (Self.complaint.replacingOccurrences("\"twitter\"", "\"telegram\""), "channel", "must be one of"),
        (Self.complaint.replacingOccurrences("\"high\"", "\"urgent\""), "data.severity", "must be one of"),
        (Self.complaint.replacingOccurrences("\"case\":\"c1\",", ""), "case", "required for complaint.filed"),
        (Self.complaint.replacingOccurrences("\"data\"", "\"dta\""), "dta", "unknown field"),
        (Self.complaint.replacingOccurrences("+01:00", ""), "occurred_at", "RFC 3339"),
        (Self.complaint.replacingOccurrences("\"e1\"", "\"\""), "id", "must not be empty"),
        (Self.complaint.replacingOccurrences("\"u1\"", "1"), "customer", "must be a string (got a number)"),
        (Self.complaint.replacingOccurrences("{\"text\"", "{\"text\":\"a\",\"text\""), "data", "occurs twice"),
        (Self.complaint.replacingOccurrences("\"id\":\"e1\",", "\"id\":\"e1\",\"id\":\"e2\","), "id", "occurs twice"),
    ])
    func namesTheOffendingField(_ text: String, _ field: String, _ message: String) throws {
        let failure = try #require(error(text))
        #expect(failure.field == field)
        #expect(failure.message.contains(message), "\(failure.message)")
    }

    @Test func syntaxErrorsNameTheByte() throws {
        let failure = try #require(error(#"{"id": }"#))
        #expect(failure.field == nil)
        #expect(failure.message == "invalid JSON at byte 8: expected a value")
    }

    @Test func ratingRangesDependOnTheScale() {
        func rated(_ scale: String, _ score: String) -> String {
            #"{"id":"r","type":"customer.rated","occurred_at":"2024-03-01T09:15:00Z","case":"c","customer":"u","brand":"b","data":{"scale":"\#(scale)","score":\#(score)}}"#
        }
        #expect(error(rated("nps", "0")) == nil)
        #expect(error(rated("nps", "11"))?.field == "data.score")
        #expect(error(rated("csat", "0"))?.field == "data.score")
        #expect(error(rated("ces", "7.0")) == nil)
        #expect(error(rated("ces", "6.5"))?.field == "data.score")
    }

    @Test func identifierLimitsCountCharactersNotBytes() {
        let long = String(repeating: "é", count: 128)
        #expect(error(Self.complaint.replacingOccurrences("\"e1\"", "\"\(long)\"")) == nil)
        #expect(error(Self.complaint.replacingOccurrences("\"e1\"", "\"\(long)x\""))?.field == "id")
    }
}

extension String {
    /// Plain substring replacement without Foundation.
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
