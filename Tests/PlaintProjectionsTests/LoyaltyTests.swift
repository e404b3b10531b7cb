import PlaintEvents
import Testing

@testable import PlaintProjections

/// The loyalty rules worked by hand. Most rules are checked with a model whose half-life is practically
/// infinite, so each expectation is plain arithmetic on the model's weights; decay has its own
/// tests with the standard model.
@Suite("Loyalty L and devotion B")
struct LoyaltyTests {
    static let hour = Script.hour
    static let day = 24 * Script.hour
    static let noDecay: LoyaltyModel = {
        var model = LoyaltyModel.standard
        model.halfLife = 1 << 62
        return model
    }()

    struct Example: CustomTestStringConvertible, Sendable {
        var name: String
        /// L in hundredths, and the reasons of its contributions in time order.
        var loyalty: Int64
        var reasons: [LoyaltyReason]
        var at: Int64
        var build: @Sendable (inout Script) -> Void
        var testDescription: String { name }
    }

    @Test(
        "each rule of L, by hand",
        arguments: [
            Example(name: "pending complaint: -5", loyalty: 4500, reasons: [.complaintFiled], at: 71 * hour) {
                $0.add(.complaintFiled, at: 0)
            },
            Example(
                name: "ignored after 72 h: -5 -20", loyalty: 2500, reasons: [.complaintFiled, .ignored], at: 72 * hour
            ) {
                $0.add(.complaintFiled, at: 0)
            },
            Example(name: "answered in 30 min: -5 only", loyalty: 4500, reasons: [.complaintFiled], at: 1 * hour) {
                $0.add(.complaintFiled, at: 0)
                $0.add(.brandReplied, at: 30 * Script.minute, kind: .answer)
            },
            Example(
                name: "FRT 8 h: -3 log2(8) = -9", loyalty: 3600, reasons: [.complaintFiled, .slowFirstResponse],
                at: 8 * hour
            ) {
                $0.add(.complaintFiled, at: 0)
                $0.add(.brandReplied, at: 8 * hour, kind: .answer)
            },
            Example(
                name: "FRT 2000 h: capped at -10", loyalty: 3500, reasons: [.complaintFiled, .slowFirstResponse],
                at: 2000 * hour
            ) {
                $0.add(.complaintFiled, at: 0)
                $0.add(.brandReplied, at: 2000 * hour, kind: .answer)
            },
            Example(
                name: "an automatic reply is no response: ignored", loyalty: 2500,
                reasons: [.complaintFiled, .ignored], at: 100 * hour
            ) {
                $0.add(.complaintFiled, at: 0)
                $0.add(.brandReplied, at: 1 * Script.minute, kind: .auto)
            },
            Example(
                name: "redirect as first response: -4", loyalty: 4100,
                reasons: [.complaintFiled, .redirectFirstResponse], at: 1 * hour
            ) {
                $0.add(.complaintFiled, at: 0)
                $0.add(.brandReplied, at: 30 * Script.minute, kind: .redirect, redirectTo: .dm)
            },
            // -5 -4 -4, then FRT 3 h: -3 log2(3) = -4.7549 -> -4.75; a follow-up after the response costs nothing.
            Example(
                name: "follow-ups before the first response: -4 each", loyalty: 3225,
                reasons: [.complaintFiled, .followUpBeforeResponse, .followUpBeforeResponse, .slowFirstResponse],
                at: 5 * hour
            ) {
                $0.add(.complaintFiled, at: 0)
                $0.add(.customerFollowedUp, at: 1 * hour)
                $0.add(.customerFollowedUp, at: 2 * hour)
                $0.add(.brandReplied, at: 3 * hour, kind: .answer)
                $0.add(.customerFollowedUp, at: 4 * hour)
            },
            // 45 before the resolution; +15 would reach 60, above the 50 before the complaint: applied 5.
            Example(
                name: "resolved within 24 h: +15, capped at L before the complaint", loyalty: 5000,
                reasons: [.complaintFiled, .resolvedWithinTarget], at: 3 * hour
            ) {
                $0.add(.complaintFiled, at: 0)
                $0.add(.brandReplied, at: 30 * Script.minute, kind: .answer)
                $0.add(.caseResolved, at: 2 * hour, resolution: .fixed)
            },
            // -5, FRT 48 h: -3 log2(48) = -16.75 -> capped -10; 35, resolved at 50 h: +8 (room up to 50).
            Example(
                name: "resolved after 24 h: +8", loyalty: 4300,
                reasons: [.complaintFiled, .slowFirstResponse, .resolvedLate], at: 60 * hour
            ) {
                $0.add(.complaintFiled, at: 0)
                $0.add(.brandReplied, at: 48 * hour, kind: .answer)
                $0.add(.caseResolved, at: 50 * hour, resolution: .refunded)
            },
            // 45, resolved (applied 5) 50, reopened 44, resolved again within 24 h of filing: room 6 -> 50.
            Example(
                name: "reopened: -6, and the second resolution is capped too", loyalty: 5000,
                reasons: [.complaintFiled, .resolvedWithinTarget, .reopened, .resolvedWithinTarget], at: 6 * hour
            ) {
                $0.add(.complaintFiled, at: 0)
                $0.add(.brandReplied, at: 30 * Script.minute, kind: .answer)
                $0.add(.caseResolved, at: 2 * hour, resolution: .fixed)
                $0.add(.caseReopened, at: 3 * hour)
                $0.add(.caseResolved, at: 5 * hour, resolution: .fixed)
            },
            Example(
                name: "abandoned: -15, and ignored as well once 72 h pass", loyalty: 1000,
                reasons: [.complaintFiled, .abandoned, .ignored], at: 100 * hour
            ) {
                $0.add(.complaintFiled, at: 0)
                $0.add(.caseAbandoned, at: 10 * hour)
            },
            Example(
                name: "unconsented downgrade -25; consented one and an outage 0; upgrade +5", loyalty: 3000,
                reasons: [.unconsentedAdverseChange, .upgrade], at: 10 * hour
            ) {
                $0.add(.vendorChangedService, at: 0, inCase: false, change: .downgrade, consented: false)
                $0.add(.vendorChangedService, at: 1 * hour, inCase: false, change: .downgrade, consented: true)
                $0.add(.vendorChangedService, at: 2 * hour, inCase: false, change: .outage, consented: false)
                $0.add(.vendorChangedService, at: 3 * hour, inCase: false, change: .upgrade, consented: false)
            },
            Example(
                name: "unconsented price increase and policy change: -25 each", loyalty: 0,
                reasons: [.unconsentedAdverseChange, .unconsentedAdverseChange], at: 10 * hour
            ) {
                $0.add(.vendorChangedService, at: 0, inCase: false, change: .priceIncrease, consented: false)
                $0.add(.vendorChangedService, at: 1 * hour, inCase: false, change: .policy, consented: false)
            },
            // -5; nps 9 +5; nps 7 nothing; nps 6 -5; csat 5 nothing (only nps has a rule).
            Example(
                name: "ratings: nps 9 +5, nps 6 -5, others nothing", loyalty: 4500,
                reasons: [.complaintFiled, .promoterRating, .detractorRating], at: 10 * hour
            ) {
                $0.add(.complaintFiled, at: 0)
                $0.add(.brandReplied, at: 10 * Script.minute, kind: .answer)
                $0.add(.customerRated, at: 1 * hour, scale: .nps, score: 9)
                $0.add(.customerRated, at: 2 * hour, scale: .nps, score: 7)
                $0.add(.customerRated, at: 3 * hour, scale: .nps, score: 6)
                $0.add(.customerRated, at: 4 * hour, scale: .csat, score: 5)
            },
            // 25 after the downgrade; the churn holds 0; the upgrade meanwhile does nothing.
            Example(
                name: "churn sets L to 0 and later events do not raise it", loyalty: 0,
                reasons: [.unconsentedAdverseChange, .churned, .upgrade], at: 10 * hour
            ) {
                $0.add(.vendorChangedService, at: 0, inCase: false, change: .downgrade, consented: false)
                $0.add(.customerChurned, at: 1 * hour, inCase: false)
                $0.add(.vendorChangedService, at: 2 * hour, inCase: false, change: .upgrade, consented: true)
            },
            // The renewal ends the hold: the churn takes -25 (L was 25 then), the renewal +5, an upgrade +5.
            Example(
                name: "renewal after churn: from 0, +5", loyalty: 1000,
                reasons: [.unconsentedAdverseChange, .churned, .upgrade, .renewed, .upgrade], at: 10 * hour
            ) {
                $0.add(.vendorChangedService, at: 0, inCase: false, change: .downgrade, consented: false)
                $0.add(.customerChurned, at: 1 * hour, inCase: false)
                $0.add(.vendorChangedService, at: 2 * hour, inCase: false, change: .upgrade, consented: true)
                $0.add(.customerRenewed, at: 3 * hour, inCase: false)
                $0.add(.vendorChangedService, at: 4 * hour, inCase: false, change: .upgrade, consented: true)
            },
            Example(name: "a renewal without churn: +5", loyalty: 5500, reasons: [.renewed], at: 1 * hour) {
                $0.add(.customerRenewed, at: 0, inCase: false)
            },
            // 50 - 75 = -25 before clipping.
            Example(
                name: "clipped at 0", loyalty: 0,
                reasons: [.unconsentedAdverseChange, .unconsentedAdverseChange, .unconsentedAdverseChange],
                at: 10 * hour
            ) {
                for index in 0..<3 {
                    $0.add(
                        .vendorChangedService, at: Int64(index) * hour, inCase: false, change: .downgrade,
                        consented: false)
                }
            },
            Example(
                name: "clipped at 100", loyalty: 10_000, reasons: Array(repeating: .upgrade, count: 12), at: 20 * hour
            ) {
                for index in 0..<12 {
                    $0.add(
                        .vendorChangedService, at: Int64(index) * hour, inCase: false, change: .upgrade, consented: true
                    )
                }
            },
        ])
    func rule(_ example: Example) {
        var script = Script()
        example.build(&script)
        let loyalty = script.score(at: example.at, model: Self.noDecay).loyalty
        #expect(loyalty.scoreCents == example.loyalty)
        #expect(loyalty.contributions.map(\.reason) == example.reasons)
        #expect(loyalty.preClipCents == loyalty.baselineCents + loyalty.contributions.reduce(0) { $0 + $1.valueCents })
    }

    @Test("clipping keeps the pre-clip sum: 50 - 75 = -25, shown as 0")
    func preClip() {
        var script = Script()
        for index in 0..<3 {
            script.add(
                .vendorChangedService, at: Int64(index) * Self.hour, inCase: false, change: .downgrade, consented: false
            )
        }
        let loyalty = script.score(at: 10 * Self.hour, model: Self.noDecay).loyalty
        #expect(loyalty.preClipCents == -2500)
        #expect(loyalty.scoreCents == 0)
    }

    struct DecayCase: Sendable, CustomTestStringConvertible {
        var days: Int64
        var loyalty: Int64
        var testDescription: String { "\(days) days later: \(Cents.text(loyalty))" }
    }

    /// -25 at t0 with a 180-day half-life: -25, -12.5, -6.25, -3.125 (rounds to -3.13), 90 days: -25/sqrt(2) = -17.68.
    @Test(
        "decay halves a contribution every 180 days",
        arguments: [
            DecayCase(days: 0, loyalty: 2500), DecayCase(days: 90, loyalty: 3232), DecayCase(days: 180, loyalty: 3750),
            DecayCase(days: 360, loyalty: 4375), DecayCase(days: 540, loyalty: 4687),
        ])
    func decay(_ example: DecayCase) {
        var script = Script()
        script.add(.vendorChangedService, at: 0, inCase: false, change: .downgrade, consented: false)
        let score = script.score(at: example.days * Self.day, model: .standard)
        #expect(score.loyalty.scoreCents == example.loyalty)
        // B's penalty decays the same way (B's base is the baseline: this customer has no requests).
        #expect(score.devotion.scoreCents == example.loyalty)
    }

    /// The recovery cap is measured at the resolution, with decay: the downgrade (-25, a year
    /// before) has decayed to -6.25, so L before the complaint is 43.75; the complaint takes it
    /// to 38.75 and the resolution may only lift it back to 43.75.
    @Test("recovery never lifts L above its value before the complaint, with decay")
    func recoveryCapWithDecay() {
        var script = Script()
        script.add(.vendorChangedService, at: -360 * Self.day, inCase: false, change: .downgrade, consented: false)
        script.add(.complaintFiled, at: 0)
        script.add(.brandReplied, at: 10 * Script.minute, kind: .answer)
        script.add(.caseResolved, at: 20 * Script.minute, resolution: .fixed)
        let before = script.score(at: -1, model: .standard).loyalty
        let after = script.score(at: 20 * Script.minute, model: .standard).loyalty
        #expect(before.scoreCents == 4375)
        #expect(after.scoreCents <= before.scoreCents)
        #expect(after.scoreCents == 4375)
        let resolution = after.contributions.first { $0.reason == .resolvedWithinTarget }!
        #expect(resolution.adjustment == .recoveryCapped)
        #expect(abs(resolution.applied - 5) < 0.01)
    }

    /// Customer with four requests, as of t0 + 200 h: answered in 30 min and resolved; answered
    /// at 100 h (late) and abandoned; never answered (ignored); filed at 190 h (pending).
    /// rr = 1 / 3; the customer's FRT P50 (nearest rank of 30 min, 100 h) = 30 min; with the
    /// brand's P50 at 15 min, speed = 0.5; kept = 1 / (1 + 1 + 1).
    /// B = 100 (0.4/3 + 0.3 * 0.5 + 0.3/3) = 38.33; an unconsented downgrade 180 days before `at`
    /// adds -12.5: 25.83.
    @Test("B's three parts on a customer with mixed outcomes")
    func devotionParts() {
        var script = Script()
        script.caseID = "c1"
        script.add(.complaintFiled, at: 0)
        script.add(.brandReplied, at: 30 * Script.minute, kind: .answer)
        script.add(.caseResolved, at: 2 * Self.hour, resolution: .fixed)
        script.caseID = "c2"
        script.add(.complaintFiled, at: 1 * Self.hour)
        script.add(.brandReplied, at: 101 * Self.hour, kind: .answer)
        script.add(.caseAbandoned, at: 102 * Self.hour)
        script.caseID = "c3"
        script.add(.complaintFiled, at: 2 * Self.hour)
        script.caseID = "c4"
        script.add(.complaintFiled, at: 190 * Self.hour)
        let devotion = script.score(at: 200 * Self.hour, model: .standard, brandFRTP50: 15 * Script.minute).devotion
        #expect(devotion.tally.requests == 4)
        #expect(devotion.tally.pending == 1)
        #expect(devotion.responseRate == 1.0 / 3)
        #expect(devotion.customerFRTP50 == 30 * Script.minute)
        #expect(devotion.speed == 0.5)
        #expect(devotion.kept == 1.0 / 3)
        #expect((devotion.resolved, devotion.abandoned, devotion.ignored) == (1, 1, 1))
        #expect(devotion.scoreCents == 3833)

        script.add(
            .vendorChangedService, at: 200 * Self.hour - 180 * Self.day, inCase: false, change: .downgrade,
            consented: false)
        let penalised = script.score(at: 200 * Self.hour, model: .standard, brandFRTP50: 15 * Script.minute).devotion
        #expect(penalised.penalties.map(\.valueCents) == [-1250])
        #expect(penalised.scoreCents == 2583)
    }

    @Test("B's parts without a base are left out; none at all gives the baseline")
    func devotionUndefinedParts() {
        var script = Script()
        script.add(.complaintFiled, at: 0)
        let pending = script.score(at: 1 * Self.hour, model: .standard, brandFRTP50: nil).devotion
        #expect(pending.responseRate == nil && pending.speed == nil && pending.kept == nil)
        #expect(pending.scoreCents == 5000)
        // Answered within the window but still open: rr = 1, speed = 1 (faster than the brand's median), kept undefined.
        script.add(.brandReplied, at: 10 * Script.minute, kind: .answer)
        let open = script.score(at: 1 * Self.hour, model: .standard, brandFRTP50: 2 * Self.hour).devotion
        #expect(open.responseRate == 1 && open.speed == 1 && open.kept == nil)
        #expect(open.scoreCents == 10_000)
    }

    @Test("the brand's FRT median is the nearest-rank median of its answered requests at `at`")
    func brandMedian() {
        var script = Script()
        for (index, minutes) in [10, 50, 20, 90].enumerated() {
            script.caseID = "c\(index)"
            script.customer = "u\(index)"
            script.add(.complaintFiled, at: Int64(index) * Self.hour)
            script.add(.brandReplied, at: Int64(index) * Self.hour + Int64(minutes) * Script.minute, kind: .answer)
        }
        var median = BrandFirstResponseMedian(at: Script.t0 + 10 * Self.hour)
        for journey in script.ledgers.journeys.values { median.add(journey) }
        // 10, 20, 50, 90 minutes: rank ceil(0.5 * 4) = 2 -> 20 minutes.
        #expect(median.value == 20 * Script.minute)
    }
}
