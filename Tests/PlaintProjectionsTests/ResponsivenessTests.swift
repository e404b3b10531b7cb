import PlaintEvents
import Testing

@testable import PlaintProjections

@Suite("Responsiveness figures")
struct ResponsivenessTests {
    @Test(
        "nearest-rank percentiles pick a value that occurred",
        arguments: [
            (50, 5 as Int64), (90, 9), (95, 10), (10, 1), (100, 10), (51, 6),
        ])
    func nearestRank(percent: Int, expected: Int64) {
        #expect(NearestRank.percentile(percent, of: Array(1...10)) == expected)
    }

    @Test("one value: every percentile is that value; none: undefined")
    func nearestRankEdges() {
        #expect(NearestRank.percentile(95, of: [42]) == 42)
        #expect(NearestRank.percentile(50, of: []) == nil)
    }

    /// Four requests of one brand at t0 + 100h, H = 72h:
    /// A answered in 30m by a redirect, then resolved at 2h with that one reply;
    /// B answered in 80h (late); C never answered, filed at t0 (ignored);
    /// D filed at t0 + 90h, unanswered (pending).
    @Test("a brand's figures, worked out by hand")
    func brandFigures() {
        let hour = Script.hour
        var events: [StoredEvent] = []
        for (caseName, script) in [
            (
                "A",
                { (s: inout Script) in
                    s.add(.complaintFiled, at: 0)
                    s.add(.brandReplied, at: hour / 2, kind: .redirect, redirectTo: .dm)
                    s.add(.caseResolved, at: 2 * hour, resolution: .fixed)
                }
            ),
            (
                "B",
                { (s: inout Script) in
                    s.add(.complaintFiled, at: 0)
                    s.add(.brandReplied, at: 80 * hour, kind: .answer)
                }
            ),
            ("C", { (s: inout Script) in s.add(.complaintFiled, at: 0) }),
            ("D", { (s: inout Script) in s.add(.complaintFiled, at: 90 * hour) }),
        ] {
            var builder = Script()
            builder.caseID = caseName
            script(&builder)
            events += builder.events.map { event in
                var copy = event
                copy.position = UInt64(events.count) + event.position
                return copy
            }
        }
        var projection = JourneyProjection()
        for event in events { projection.apply(event) }
        var report = ResponsivenessReport(query: ResponsivenessQuery(at: Script.t0 + 100 * hour))
        for journey in projection.journeys { report.add(journey) }
        let figures = try! #require(report.ranked.first).figures
        #expect(figures.requests == 4)
        #expect(figures.answered == 2)
        #expect(figures.answeredWithinWindow == 1)
        #expect(figures.late == 1)
        #expect(figures.ignored == 1)
        #expect(figures.pending == 1)
        #expect(figures.responseRate?.value == 1.0 / 3.0)
        #expect(figures.frtP50?.value == hour / 2)
        #expect(figures.frtP90?.value == 80 * hour)
        #expect(figures.shareWithin1h?.value == 1.0 / 3.0)
        #expect(figures.shareWithin24h?.value == 1.0 / 3.0)
        #expect(figures.redirectShare?.value == 0.5)
        #expect(figures.resolutionRate?.value == 0.25)
        #expect(figures.resolutionP50?.value == 2 * hour)
        #expect(figures.oneTouchShare?.value == 1)
        #expect(figures.reopenRate?.value == 0)
    }

    @Test("periods group by filing day, ISO week and month in UTC")
    func periods() {
        // 2024-03-04 is a Monday.
        let sunday = Timestamp(rfc3339: "2024-03-10T23:59:59Z")!.microseconds
        #expect(PeriodLength.week.start(of: sunday) == Timestamp(rfc3339: "2024-03-04T00:00:00Z")!.microseconds)
        #expect(PeriodLength.day.start(of: sunday) == Timestamp(rfc3339: "2024-03-10T00:00:00Z")!.microseconds)
        #expect(PeriodLength.month.start(of: sunday) == Timestamp(rfc3339: "2024-03-01T00:00:00Z")!.microseconds)
    }

    @Test("the stored form of a journey decodes to the same journey")
    func codecRoundTrip() throws {
        var script = Script()
        script.add(.complaintFiled, at: 0, channel: .email)
        script.add(.brandReplied, at: 5, kind: .redirect, redirectTo: .phone)
        script.add(.caseResolved, at: 9, resolution: .declined)
        script.add(.vendorChangedService, at: 11, change: .priceIncrease, consented: false)
        let journey = script.journey
        #expect(try JourneyCodec.decode(JourneyCodec.encode(journey)) == journey)
    }
}
