import PlaintEvents
import Testing

@testable import PlaintProjections

/// Hand-worked journeys: each expectation below was computed on paper from the events listed.
@Suite("Case figures and journey states")
struct CaseFiguresTests {
    let hour = Script.hour
    let minute = Script.minute
    let window = ResponsivenessQuery.defaultWindow

    struct StatusCase: CustomTestStringConvertible, Sendable {
        var at: Int64
        var expected: RequestStatus
        var testDescription: String { "at +\(at / Script.hour)h: \(expected.rawValue)" }
    }

    /// Filed at t0, answered at t0+80h: pending before 72h with no answer yet, ignored between
    /// 72h and 80h, late once the answer (after the window) has happened.
    @Test(
        "pending, ignored and late depend on --at",
        arguments: [
            StatusCase(at: 10 * Script.hour, expected: .pending),
            StatusCase(at: 71 * Script.hour, expected: .pending),
            StatusCase(at: 72 * Script.hour, expected: .ignored),
            StatusCase(at: 79 * Script.hour, expected: .ignored),
            StatusCase(at: 80 * Script.hour, expected: .late),
            StatusCase(at: 500 * Script.hour, expected: .late),
        ])
    func statusDependsOnAt(_ example: StatusCase) {
        var script = Script()
        script.add(.complaintFiled, at: 0)
        script.add(.brandReplied, at: 80 * hour, kind: .answer)
        let figures = script.figures(at: example.at)
        #expect(RequestStatus.of(figures, at: Script.t0 + example.at, window: window) == example.expected)
    }

    @Test("automatic replies do not stop the clock nor change the state")
    func automaticReplies() {
        var script = Script()
        script.add(.complaintFiled, at: 0)
        script.add(.brandReplied, at: minute, kind: .auto)
        script.add(.brandReplied, at: 2 * hour, kind: .answer)
        let figures = script.figures(at: 10 * hour)
        #expect(figures.firstResponseTime == 2 * hour)
        #expect(figures.automaticReplies == 1)
        #expect(figures.brandReplies == 1)
        #expect(CaseFigures.steps(script.journey.entries) == [.awaitingBrand, .awaitingBrand, .awaitingCustomer])
        // Before the real answer, the automatic reply leaves the request unanswered.
        #expect(script.figures(at: hour).firstResponseAt == nil)
    }

    @Test("a redirect is a first response, and is reported as one")
    func redirectFirst() {
        var script = Script()
        script.add(.complaintFiled, at: 0)
        script.add(.brandReplied, at: 30 * minute, kind: .redirect, redirectTo: .dm)
        script.add(.brandReplied, at: 3 * hour, channel: .dm, kind: .answer)
        let figures = script.figures(at: 10 * hour)
        #expect(figures.firstResponseTime == 30 * minute)
        #expect(figures.firstResponseWasRedirect)
        #expect(figures.firstResponseRedirect == .dm)
        #expect(figures.channels == [.twitter, .dm])
        #expect(figures.channelSwitches == 1)
    }

    @Test("follow-ups before the first response count as repeat contact; FRT runs from the first message")
    func followUpsBeforeResponse() {
        var script = Script()
        script.add(.complaintFiled, at: 0)
        script.add(.customerFollowedUp, at: hour)
        script.add(.customerFollowedUp, at: 2 * hour)
        script.add(.brandReplied, at: 5 * hour, kind: .answer)
        script.add(.customerFollowedUp, at: 6 * hour)
        let figures = script.figures(at: 10 * hour)
        #expect(figures.followUps == 3)
        #expect(figures.followUpsBeforeResponse == 2)
        #expect(figures.firstResponseTime == 5 * hour)
        #expect(figures.state == .awaitingBrand)
    }

    @Test("a reply that occurred before the complaint is clock skew: FRT 0, flagged")
    func clockSkew() {
        var script = Script()
        script.add(.complaintFiled, at: 0)
        script.add(.brandReplied, at: -5 * minute, kind: .answer)
        let figures = script.figures(at: hour)
        #expect(figures.firstResponseTime == 0)
        #expect(figures.firstResponseSkewed)
        #expect(figures.repliesBeforeRequest == 1)
        var accumulator = ResponsivenessAccumulator(at: Script.t0 + hour, window: window)
        accumulator.add(figures)
        #expect(accumulator.result.clockSkew == 1)
        #expect(accumulator.result.frtP50?.value == 0)
    }

    @Test("reopen: the resolution in force is the last one; time to resolution runs to it")
    func reopen() {
        var script = Script()
        script.add(.complaintFiled, at: 0)
        script.add(.brandReplied, at: hour, kind: .answer)
        script.add(.caseResolved, at: 2 * hour, resolution: .fixed)
        script.add(.caseReopened, at: 3 * hour)
        script.add(.brandReplied, at: 4 * hour, kind: .answer)
        script.add(.caseResolved, at: 10 * hour, resolution: .refunded)
        #expect(
            CaseFigures.steps(script.journey.entries) == [
                .awaitingBrand, .awaitingCustomer, .resolved, .awaitingBrand, .awaitingCustomer, .resolved,
            ])
        let final = script.figures(at: 20 * hour)
        #expect(final.reopenCount == 1)
        #expect(final.timeToResolution == 10 * hour)
        #expect(final.brandReplies == 2)
        // Between the reopen and the second resolution the case is not resolved.
        let between = script.figures(at: 5 * hour)
        #expect(between.state == .awaitingCustomer)
        #expect(between.timeToResolution == nil)
        #expect(between.everResolved)
    }

    @Test("escalation and abandonment set the state; unanswered they still end up ignored")
    func escalationAndAbandonment() {
        var escalated = Script()
        escalated.add(.complaintFiled, at: 0)
        escalated.add(.caseEscalated, at: hour)
        #expect(escalated.figures(at: 2 * hour).state == .escalated)
        #expect(escalated.figures(at: 2 * hour).escalations == 1)
        var abandoned = Script()
        abandoned.add(.complaintFiled, at: 0)
        abandoned.add(.caseAbandoned, at: 5 * hour)
        let figures = abandoned.figures(at: 80 * hour)
        #expect(figures.state == .abandoned)
        #expect(RequestStatus.of(figures, at: Script.t0 + 80 * hour, window: window) == .ignored)
    }

    @Test("several channels in one case: channels in order of first use, switches counted")
    func severalChannels() {
        var script = Script()
        script.add(.complaintFiled, at: 0, channel: .twitter)
        script.add(.brandReplied, at: hour, channel: .twitter, kind: .redirect, redirectTo: .email)
        script.add(.customerFollowedUp, at: 2 * hour, channel: .email)
        script.add(.brandReplied, at: 3 * hour, channel: .email, kind: .answer)
        script.add(.customerFollowedUp, at: 4 * hour, channel: .phone)
        let figures = script.figures(at: 5 * hour)
        #expect(figures.channels == [.twitter, .email, .phone])
        #expect(figures.channelSwitches == 2)
        #expect(figures.requestChannel == .twitter)
    }

    @Test("relationship events without a case count as events but open no case")
    func relationshipEvents() {
        var script = Script()
        script.add(.complaintFiled, at: 0)
        script.add(.vendorChangedService, at: hour, inCase: false, change: .downgrade, consented: false)
        script.add(.customerChurned, at: 2 * hour, inCase: false)
        var projection = JourneyProjection()
        for event in script.events { projection.apply(event) }
        #expect(projection.caseCount == 1)
        #expect(projection.events == 3)
        #expect(projection.latestOccurredAt == Script.t0 + 2 * hour)
    }

    @Test("an event for a case with no complaint.filed is an unknown case, and not a request without a message")
    func unknownCase() {
        var script = Script()
        script.add(.brandReplied, at: 0, kind: .answer)
        let figures = script.figures(at: hour)
        #expect(!figures.hasComplaint)
        #expect(!figures.isRequest)
    }

    @Test("the order events arrive in changes nothing")
    func arrivalOrder() {
        var script = Script()
        script.add(.complaintFiled, at: 0)
        script.add(.customerFollowedUp, at: hour)
        script.add(.brandReplied, at: 2 * hour, kind: .answer)
        script.add(.caseResolved, at: 3 * hour, resolution: .fixed)
        var forward = JourneyProjection()
        var backward = JourneyProjection()
        for event in script.events { forward.apply(event) }
        for event in script.events.reversed() { backward.apply(event) }
        #expect(forward == backward)
    }
}
