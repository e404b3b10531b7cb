import PlaintEvents
import Testing

@testable import PlaintProjections

/// The ranking's guards against small samples and poor data, as folds over hand-built journeys:
/// the minimum of decided requests, the three-valued verdict, figures a brand's data does not
/// record, and stale first responses.
@Suite("Ranking, verdicts and data quality")
struct RankingTests {
    static let hour = Script.hour

    /// `count` cases of `brand`, each answered `answerAfter` after filing (nil: never), filed an
    /// hour apart from t0; `resolved` of them resolved 2 h after filing.
    static func cases(
        _ brand: String, count: Int, answerAfter: Int64?, resolved: Int = 0, firstCase: Int = 0
    ) -> [StoredEvent] {
        var events: [StoredEvent] = []
        for index in 0..<count {
            var script = Script()
            script.brand = brand
            script.caseID = "\(brand)-\(firstCase + index)"
            let filed = Int64(index) * hour
            script.add(.complaintFiled, at: filed)
            if let answerAfter { script.add(.brandReplied, at: filed + answerAfter, kind: .answer) }
            if index < resolved { script.add(.caseResolved, at: filed + 2 * hour, resolution: .fixed) }
            events += script.events
        }
        return events
    }

    static func ranking(_ events: [StoredEvent], _ configure: (inout ResponsivenessQuery) -> Void = { _ in })
        -> [BrandResponsiveness]
    {
        var projection = JourneyProjection()
        for (index, event) in events.enumerated() {
            var event = event
            event.position = UInt64(index + 1)
            projection.apply(event)
        }
        var query = ResponsivenessQuery(at: Script.t0 + 2_000 * hour)
        configure(&query)
        var report = ResponsivenessReport(query: query)
        for journey in projection.journeys { report.add(journey) }
        return report.ranked
    }

    @Test("a brand below the minimum is listed after the ranked ones, unranked and undecided")
    func minimumOfDecidedRequests() {
        let brands = Self.ranking(
            Self.cases("tiny", count: 1, answerAfter: Self.hour / 6)
                + Self.cases("large", count: 40, answerAfter: Self.hour, resolved: 2)
                + Self.cases("mid", count: 30, answerAfter: 100 * Self.hour))
        #expect(brands.map(\.brand) == ["large", "mid", "tiny"])
        #expect(brands.map(\.rank) == [1, 2, nil])
        // 40 of 40 within H: Wilson low 0.912 >= 0.65. 0 of 30: high 0.114 < 0.65.
        #expect(brands.map(\.devoted) == [.yes, .no, .undecided])
        // With a minimum of 1 the one-request brand's 100% ranks first.
        let all = Self.ranking(
            Self.cases("tiny", count: 1, answerAfter: Self.hour / 6)
                + Self.cases("large", count: 40, answerAfter: Self.hour)
        ) { $0.minimumDecided = 1 }
        #expect(all.map(\.brand) == ["large", "tiny"] && all.map(\.rank) == [1, 2])
        // Its interval, [0.207, 1], straddles 65%.
        #expect(all[1].devoted == .undecided)
    }

    @Test(
        "the verdict follows the interval, not the point",
        arguments: [
            (20, 20, DevotedVerdict.yes), (13, 20, .undecided), (10, 20, .undecided), (5, 20, .no), (0, 0, .undecided),
        ])
    func verdict(answered: Int, decided: Int, expected: DevotedVerdict) {
        #expect(DevotedVerdict(Rate(answered, of: decided), ranked: true) == expected)
        #expect(DevotedVerdict(Rate(answered, of: decided), ranked: false) == .undecided)
    }

    @Test("resolution figures are not recorded for a brand whose data has no resolution")
    func notRecorded() {
        let brands = Self.ranking(
            Self.cases("never", count: 30, answerAfter: Self.hour)
                + Self.cases("some", count: 30, answerAfter: Self.hour, resolved: 3))
        let never = brands.first { $0.brand == "never" }!.figures
        #expect(!never.resolutionsRecorded)
        #expect(never.resolutionRate == nil && never.resolutionP50 == nil)
        #expect(never.oneTouchShare == nil && never.reopenRate == nil)
        let some = brands.first { $0.brand == "some" }!.figures
        #expect(some.resolutionsRecorded && some.resolutionRate?.value == 0.1)
        // A cohort without resolutions of a brand that records them elsewhere: a real 0%.
        let late = Self.ranking(Self.cases("some", count: 30, answerAfter: Self.hour, resolved: 3)) {
            $0.filedFrom = Script.t0 + 10 * Self.hour
        }
        #expect(late[0].figures.resolutionsRecorded && late[0].figures.resolutionRate?.value == 0)
    }

    @Test("a first response later than the threshold is stale: counted, and left out only when asked")
    func stale() {
        let events =
            Self.cases("b", count: 30, answerAfter: Self.hour)
            + Self.cases("b", count: 1, answerAfter: 900 * Self.hour, firstCase: 30)
        let kept = Self.ranking(events)[0].figures
        #expect(kept.requests == 31 && kept.staleResponses == 1 && kept.staleExcluded == 0)
        #expect(kept.late == 1 && kept.frtP50?.count == 31)
        let left = Self.ranking(events) { $0.excludeStale = true }[0].figures
        #expect(left.requests == 30 && left.staleResponses == 1 && left.staleExcluded == 1)
        #expect(left.answered == 30 && left.late == 0 && left.frtP50?.count == 30)
        // 900 h is under a threshold of 40 days.
        #expect(Self.ranking(events) { $0.staleAfter = 40 * 24 * Self.hour }[0].figures.staleResponses == 0)
    }

    @Test("requests are counted per source of the event that opens the case")
    func sources() {
        var events = Self.cases("b", count: 3, answerAfter: Self.hour)
        for index in events.indices where events[index].caseID == Array("b-0".utf8) {
            // The complaint names the source; the reply names another, which does not count.
            events[index].source = Array((events[index].type == .complaintFiled ? "crm" : "web").utf8)
        }
        let figures = Self.ranking(events) { $0.minimumDecided = 1 }[0].figures
        #expect(
            figures.sources == [
                SourceCount(source: nil, requests: 2, share: 2.0 / 3.0),
                SourceCount(source: "crm", requests: 1, share: 1.0 / 3.0),
            ])
        #expect(SourceCaveats.caveats(for: ["crm", nil, "twcs", "twcs"]).map(\.source) == ["twcs"])
    }
}
