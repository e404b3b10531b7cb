import Testing

@testable import PlaintEvents

@Suite("Timestamps")
struct TimestampTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", 0, "1970-01-01T00:00:00Z"),
        ("2017-10-31T22:10:47Z", 1_509_487_847_000_000, "2017-10-31T22:10:47Z"),
        ("2017-10-31T23:10:47+01:00", 1_509_487_847_000_000, "2017-10-31T22:10:47Z"),
        ("2017-10-31T12:10:47.5-10:00", 1_509_487_847_500_000, "2017-10-31T22:10:47.5Z"),
        ("2024-02-29T23:59:59.000001Z", 1_709_251_199_000_001, "2024-02-29T23:59:59.000001Z"),
        ("1900-01-01T00:30:00+01:00", -2_208_990_600_000_000, "1899-12-31T23:30:00Z"),
        ("2000-02-29T00:00:00Z", 951_782_400_000_000, "2000-02-29T00:00:00Z"),
    ])
    func parsesAndNormalizesToUTC(_ text: String, _ micros: Int64, _ stored: String) throws {
        let timestamp = try #require(Timestamp(rfc3339: text))
        #expect(timestamp.microseconds == micros)
        #expect(timestamp.description == stored)
    }

    @Test(arguments: [
        "2017-10-31T22:10:47", "2017-10-31 22:10:47Z", "2017-10-31t22:10:47Z", "2017-10-31T22:10:47z",
        "2017-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2017-04-31T00:00:00Z", "2017-13-01T00:00:00Z",
        "2017-10-31T24:00:00Z", "2017-10-31T22:60:00Z", "2017-10-31T22:10:60Z", "2017-10-31T22:10:47.Z",
        "2017-10-31T22:10:47.1234567Z", "2017-10-31T22:10:47+1:00", "2017-10-31T22:10:47+24:00",
        "1899-12-31T23:59:59Z", "3000-01-01T00:00:00Z", "2017-10-31T22:10:47Z ", "",
    ])
    func rejects(_ text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test func printsFixedMicrosecondsForRecordedAt() {
        #expect(
            Timestamp(microseconds: 1_509_487_847_000_000).formatted(fractionDigits: 6) == "2017-10-31T22:10:47.000000Z"
        )
    }
}
