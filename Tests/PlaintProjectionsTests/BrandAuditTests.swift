import PlaintEvents
import Testing

@testable import PlaintProjections

/// The audit's own figures, worked by hand on small fixtures.
@Suite("Brand audit figures")
struct BrandAuditTests {
    struct Bucket: Sendable, CustomTestStringConvertible {
        var seconds: Int64
        var bucket: Int
        var testDescription: String { "\(seconds) s -> bucket \(bucket)" }
    }

    /// Bucket i holds [2^(i-1), 2^i) minutes; under a minute is bucket 0; the last is open.
    @Test(
        "first response times fall in log-scale buckets",
        arguments: [
            Bucket(seconds: 0, bucket: 0), Bucket(seconds: 59, bucket: 0), Bucket(seconds: 60, bucket: 1),
            Bucket(seconds: 119, bucket: 1), Bucket(seconds: 120, bucket: 2), Bucket(seconds: 3600, bucket: 6),
            Bucket(seconds: 84 * 3600, bucket: 13), Bucket(seconds: 400 * 86_400, bucket: 17),
        ])
    func buckets(_ example: Bucket) {
        let bucket = BrandAudit.bucket(of: example.seconds * 1_000_000)
        #expect(bucket == example.bucket)
        #expect(BrandAudit.bucketStart(bucket) <= example.seconds * 1_000_000)
        if bucket < BrandAudit.histogramBuckets - 1 {
            #expect(example.seconds * 1_000_000 < BrandAudit.bucketStart(bucket + 1))
        }
    }

    /// Three requests: Monday 09:00 answered in 10 min; Monday 09:30 never answered (ignored at
    /// +100 h); Wednesday 14:00 redirected to dm after 2 h. A reply before its request in a
    /// fourth case is clock skew; a fifth case has no complaint (unknown).
    @Test("hour-of-week grid, channels, redirects, worst cases and anomalies")
    func sections() {
        var script = Script()  // t0 = Monday 2024-03-04 09:00 UTC
        script.caseID = "a"
        script.add(.complaintFiled, at: 0, channel: .twitter)
        script.add(.brandReplied, at: 10 * Script.minute, channel: .twitter, kind: .answer)
        script.caseID = "b"
        script.add(.complaintFiled, at: 30 * Script.minute, channel: .email)
        script.caseID = "c"
        script.add(.complaintFiled, at: 53 * Script.hour, channel: .twitter)
        script.add(.brandReplied, at: 55 * Script.hour, channel: .twitter, kind: .redirect, redirectTo: .dm)
        script.caseID = "d"
        script.add(.brandReplied, at: 60 * Script.hour, kind: .answer)
        script.add(.complaintFiled, at: 61 * Script.hour)
        script.caseID = "e"
        script.add(.customerFollowedUp, at: 62 * Script.hour)
        let journeys = Array(script.ledgers.journeys.values)
        let audit = BrandAudit(journeys: journeys, query: ResponsivenessQuery(at: Script.t0 + 100 * Script.hour))
        #expect(audit.hourOfWeek[9].requests == 2)
        #expect(audit.hourOfWeek[9].decided == 2)
        #expect(audit.hourOfWeek[9].answeredWithinWindow == 1)
        #expect(audit.hourOfWeek[9].responseRate?.value == 0.5)
        // Wednesday 14:00: day 2, hour 14.
        #expect(audit.hourOfWeek[2 * 24 + 14].requests == 1)
        #expect(audit.channels.map(\.channel) == [.twitter, .email])
        #expect(audit.channels[0].figures.requests == 4)  // a, c, and d and e (twitter by default)
        #expect(audit.redirectDestinations.map(\.channel) == [.dm])
        #expect(audit.ignoredLongest.map(\.caseName) == ["b"])
        #expect(audit.slowestAnswered.map(\.caseName) == ["c", "a", "d"])
        #expect(audit.clockSkewCases == 1)
        #expect(audit.clockSkewExamples.map(\.caseName) == ["d"])
        #expect(audit.unknownCases == 1)
        #expect(audit.unknownCaseExamples.map(\.caseName) == ["e"])
        #expect(audit.trendPeriod == .day)
        // Monday a and b; Tuesday nothing, still a period of its own; Wednesday c, d and e.
        #expect(audit.trend.map(\.figures.requests) == [2, 0, 3])
        #expect(audit.trend.map(\.start) == (0..<3).map { Script.t0 - 9 * Script.hour + Int64($0) * 24 * Script.hour })
        #expect(audit.trend[1].figures.responseRate == nil)
    }

    @Test("the trend's periods run without gaps, across month ends and a year end")
    func gaplessTrend() {
        let day = Timestamp.microsecondsPerDay
        func start(_ text: String) -> Int64 { Timestamp(rfc3339: text)!.microseconds }
        var figures = ResponsivenessFigures()
        figures.tally.count(.answered)
        let months = BrandAudit.gaplessTrend(
            [(start("2024-11-01T00:00:00Z"), figures), (start("2025-02-01T00:00:00Z"), figures)], period: .month)
        #expect(
            months.map(\.start)
                == ["2024-11-01", "2024-12-01", "2025-01-01", "2025-02-01"].map { start($0 + "T00:00:00Z") })
        #expect(months.map(\.figures.requests) == [1, 0, 0, 1])
        let weeks = BrandAudit.gaplessTrend(
            [(start("2024-12-23T00:00:00Z"), figures), (start("2025-01-13T00:00:00Z"), figures)], period: .week)
        #expect(weeks.map(\.start) == (0..<4).map { start("2024-12-23T00:00:00Z") + Int64($0) * 7 * day })
        #expect(BrandAudit.gaplessTrend([], period: .day).isEmpty)
    }
}
