import PlaintEvents
import PlaintProjections
import Testing

@Suite("One definition of a request's outcome and of the response rate")
struct RequestTallyTests {
    /// Four requests of one customer to one brand: answered within the window, answered late,
    /// ignored, and still pending at the evaluation time.
    static func fourRequests() -> Script {
        var script = Script()
        script.add(.complaintFiled, at: 0)
        script.add(.brandReplied, at: Script.hour, kind: .answer)
        script.caseID = "c2"
        script.add(.complaintFiled, at: Script.hour)
        script.add(.brandReplied, at: 100 * Script.hour, kind: .answer)
        script.caseID = "c3"
        script.add(.complaintFiled, at: 2 * Script.hour)
        script.caseID = "c4"
        script.add(.complaintFiled, at: 190 * Script.hour)
        return script
    }

    @Test("the tally counts each status and leaves pending requests out of the response rate's base")
    func tallyCountsStatuses() {
        var tally = RequestTally()
        for status: RequestStatus in [.answered, .late, .ignored, .pending, .answered] { tally.count(status) }
        #expect(tally.requests == 5)
        #expect(tally.answered == 3)
        #expect(tally.decided == 4)
        #expect(tally.responseRate?.count == 2)
        #expect(tally.responseRate?.base == 4)
        #expect(RequestTally().responseRate == nil)
    }

    @Test("responsiveness and devotion count the same requests the same way")
    func threeFiguresAgree() {
        let script = Self.fourRequests()
        let at = Script.t0 + 200 * Script.hour
        let window = LoyaltyModel.standard.window
        var accumulator = ResponsivenessAccumulator(at: at, window: window)
        for caseID in ["c1", "c2", "c3", "c4"] {
            var one = script
            one.caseID = caseID
            accumulator.add(CaseFigures(one.journey.entries, at: at))
        }
        let devotion = script.score(at: 200 * Script.hour, model: .standard).devotion
        #expect(accumulator.result.tally == devotion.tally)
        #expect(devotion.tally.answeredWithinWindow == 1)
        #expect(devotion.tally.late == 1)
        #expect(devotion.tally.ignored == 1)
        #expect(devotion.tally.pending == 1)
        #expect(devotion.responseRate == accumulator.result.responseRate?.value)
    }

    @Test("the request is the earliest customer message and the first response the earliest reply not automatic")
    func rolesOfEntries() {
        var script = Script()
        script.add(.brandReplied, at: 0, kind: .auto)
        script.add(.customerFollowedUp, at: Script.minute)
        script.add(.customerFollowedUp, at: 2 * Script.minute)
        script.add(.brandReplied, at: 3 * Script.minute, kind: .redirect)
        script.add(.customerFollowedUp, at: 4 * Script.minute)
        var outcome = RequestOutcome()
        let roles = script.journey.entries.map { outcome.apply($0) }
        #expect(roles == [.other, .request, .followUpBeforeResponse, .firstResponse, .other])
        #expect(outcome.firstResponseTime == 2 * Script.minute)
    }
}
