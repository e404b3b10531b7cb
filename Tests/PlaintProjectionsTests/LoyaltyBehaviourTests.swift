import PlaintEvents
import PlaintTestSupport
import Testing

@testable import PlaintProjections

/// The model's behaviour on generated data: what the scores must show whatever the weights'
/// exact values.
@Suite("Loyalty on generated data")
struct LoyaltyBehaviourTests {
    /// The same complaints (customers, times, follow-ups) filed with two brands: `fastco`
    /// answers within minutes and resolves within hours; `silentco` answers nothing.
    static func sameComplaints(seed: UInt64) -> Script {
        var random = SeededRandom(seed: seed)
        var script = Script()
        for customer in 0..<60 {
            script.customer = "u\(customer)"
            for complaint in 0..<Int.random(in: 1...3, using: &random) {
                let filed = Int64.random(in: 0..<(200 * 24), using: &random) * Script.hour
                let followUp = Bool.random(using: &random)
                for brand in ["fastco", "silentco"] {
                    script.brand = brand
                    script.caseID = "\(brand)-\(customer)-\(complaint)"
                    script.add(.complaintFiled, at: filed)
                    if followUp { script.add(.customerFollowedUp, at: filed + 20 * Script.minute) }
                    if brand == "fastco" {
                        let minutes = Int64.random(in: 2...45, using: &random)
                        script.add(.brandReplied, at: filed + minutes * Script.minute, kind: .answer)
                        script.add(.caseResolved, at: filed + 3 * Script.hour, resolution: .fixed)
                    }
                }
            }
        }
        return script
    }

    static func scores(_ script: Script, at: Int64) -> [PairKey: RelationshipScore] {
        let (ledgers, journeys) = script.ledgers
        var medians: [[UInt8]: BrandFirstResponseMedian] = [:]
        for journey in journeys.values { medians[journey.brand, default: .init(at: at)].add(journey) }
        var scores: [PairKey: RelationshipScore] = [:]
        for ledger in ledgers {
            scores[PairKey(brand: ledger.brand, customer: ledger.customer)] = RelationshipScore(
                ledger: ledger, journeys: ledger.cases.map { journeys[$0]! },
                brandFRTP50: medians[ledger.brand]?.value, model: .standard, at: at)
        }
        return scores
    }

    static func mean(_ values: [Int64]) -> Double { Double(values.reduce(0, +)) / Double(values.count) }

    @Test(
        "a brand that ignores its customers ends with lower mean L and B than one that answers fast",
        arguments: [1, 2, 3] as [UInt64])
    func ignoringCosts(seed: UInt64) {
        let script = Self.sameComplaints(seed: seed)
        let at = Script.t0 + 210 * 24 * Script.hour
        let scores = Self.scores(script, at: at).values
        let fast = scores.filter { $0.brand == Array("fastco".utf8) }
        let silent = scores.filter { $0.brand == Array("silentco".utf8) }
        #expect(fast.count == 60 && silent.count == 60)
        #expect(Self.mean(silent.map(\.loyalty.scoreCents)) < Self.mean(fast.map(\.loyalty.scoreCents)))
        #expect(Self.mean(silent.map(\.devotion.scoreCents)) < Self.mean(fast.map(\.devotion.scoreCents)))
        // Customer by customer too: the same complaints never leave a silent brand ahead.
        for silentScore in silent {
            let fastScore = fast.first { $0.customer == silentScore.customer }!
            #expect(silentScore.loyalty.scoreCents < fastScore.loyalty.scoreCents)
            #expect(silentScore.devotion.scoreCents < fastScore.devotion.scoreCents)
        }
    }

    @Test(
        "an unconsented downgrade lowers L and B for exactly the customers it touched", arguments: [4, 5] as [UInt64])
    func downgradeTouchesOnlyItsCustomers(seed: UInt64) {
        var script = Self.sameComplaints(seed: seed)
        let at = Script.t0 + 210 * 24 * Script.hour
        let before = Self.scores(script, at: at)
        var random = SeededRandom(seed: seed &* 31)
        var touched = Set<PairKey>()
        script.brand = "fastco"
        for customer in 0..<60 where Int.random(in: 0..<4, using: &random) == 0 {
            script.customer = "u\(customer)"
            let time = Int64.random(in: 0..<(205 * 24), using: &random) * Script.hour
            script.add(.vendorChangedService, at: time, inCase: false, change: .downgrade, consented: false)
            touched.insert(PairKey(brand: Array("fastco".utf8), customer: Array("u\(customer)".utf8)))
        }
        #expect(!touched.isEmpty)
        let after = Self.scores(script, at: at)
        #expect(Set(after.keys) == Set(before.keys))
        for (pair, score) in after {
            let old = before[pair]!
            if touched.contains(pair) {
                #expect(score.loyalty.scoreCents < old.loyalty.scoreCents)
                #expect(score.devotion.scoreCents < old.devotion.scoreCents)
                #expect(score.hadUnconsentedAdverseChange)
            } else {
                #expect(score.loyalty == old.loyalty)
                #expect(score.devotion == old.devotion)
                #expect(!score.hadUnconsentedAdverseChange)
            }
        }
    }

    @Test(
        "random relationships: the contributions add up to the pre-clip score, and L and B stay in 0-100",
        arguments: 1...40)
    func contributionsAddUp(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var script = Script()
        let types: [EventType] = [
            .customerFollowedUp, .brandReplied, .brandReplied, .caseResolved, .caseReopened, .caseAbandoned,
            .customerRated, .caseEscalated,
        ]
        for caseNumber in 0..<Int.random(in: 1...6, using: &random) {
            script.caseID = "c\(caseNumber)"
            var time = Int64.random(in: 0..<(400 * 24), using: &random) * Script.hour
            script.add(.complaintFiled, at: time)
            for _ in 0..<Int.random(in: 0...6, using: &random) {
                time += Int64.random(in: 1...(100 * 60), using: &random) * Script.minute
                let type = types.randomElement(using: &random)!
                script.add(
                    type, at: time, kind: [.answer, .redirect, .auto].randomElement(using: &random)!,
                    resolution: .fixed, scale: .nps, score: Int8.random(in: 0...10, using: &random))
            }
        }
        for _ in 0..<Int.random(in: 0...5, using: &random) {
            let type: EventType = [.vendorChangedService, .customerChurned, .customerRenewed].randomElement(
                using: &random)!
            script.add(
                type, at: Int64.random(in: 0..<(400 * 24), using: &random) * Script.hour, inCase: false,
                change: [.downgrade, .upgrade, .policy].randomElement(using: &random)!,
                consented: Bool.random(using: &random))
        }
        let at = Int64.random(in: 0..<(420 * 24), using: &random) * Script.hour
        let score = script.score(at: at, model: .standard, brandFRTP50: 30 * Script.minute)
        let loyalty = score.loyalty
        #expect(loyalty.preClipCents == loyalty.baselineCents + loyalty.contributions.reduce(0) { $0 + $1.valueCents })
        #expect(loyalty.scoreCents == min(10_000, max(0, loyalty.preClipCents)))
        if loyalty.churned { #expect(loyalty.scoreCents == 0 && loyalty.preClipCents == 0) }
        let devotion = score.devotion
        #expect(devotion.preClipCents == devotion.baseCents + devotion.penalties.reduce(0) { $0 + $1.valueCents })
        #expect((0...10_000).contains(devotion.scoreCents))
        // The light outcome loyalty uses agrees with the full figures of every case.
        for journey in script.ledgers.journeys.values {
            let figures = CaseFigures(journey.entries, at: Script.t0 + at)
            let outcome = CaseFigures.outcome(journey.entries, at: Script.t0 + at)
            #expect(outcome.filedAt == figures.filedAt)
            #expect(outcome.firstResponseAt == figures.firstResponseAt)
            #expect(outcome.state == figures.state)
        }
        // Only events that occurred by `at` count.
        #expect(
            loyalty.contributions.allSatisfy { $0.occurredAt <= Script.t0 + at && $0.effectiveAt <= Script.t0 + at })
    }
}
