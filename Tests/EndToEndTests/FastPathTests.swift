import Foundation
import Testing

/// `append`, `head` and `journey` in their common forms skip the argument parser; any other form
/// goes through it. Both must behave the same: `--store=PATH` (which the fast forms do not
/// take) sends the same command through the full parser.
@Suite("the fast forms of append, head and journey behave as the full parser does")
struct FastPathTests {
    let scratch = Scratch()

    func viaParser(_ plaint: Plaint, _ arguments: [String], stdin: String? = nil) throws -> Plaint.Output {
        try plaint.run(arguments + ["--store=\(plaint.store)"], stdin: stdin)
    }

    @Test("append, head and journey print the same and exit the same both ways")
    func sameOutput() throws {
        let fast = Plaint(store: scratch.path("fast"))
        let full = Plaint(store: scratch.path("full"))
        let lines = Events.lines(
            Events.complaint("e1", case: "c1", text: "slow line"), Events.complaint("e2", case: "c2", text: "cut"))
        for arguments in [["append"], ["append", "--json"], ["append", "--no-sync", "-"]] {
            let viaFast = try fast.run(arguments, stdin: lines)
            let viaFull = try viaParser(full, arguments, stdin: lines)
            #expect(viaFast.status == viaFull.status)
            #expect(viaFast.stdout == viaFull.stdout)
        }
        for arguments in [["head"], ["head", "--json"], ["journey", "c1"], ["journey", "c1", "--json", "--steps"]] {
            let viaFast = try fast.run(arguments)
            let viaFull = try viaParser(full, arguments)
            #expect(viaFast.status == 0)
            #expect(viaFast.stdout == viaFull.stdout, "\(arguments)")
        }
        let bad = "{\"id\":\"x\"}\n"
        let badFast = try fast.run(["append"], stdin: bad)
        let badFull = try viaParser(full, ["append"], stdin: bad)
        #expect(badFast.status == 65)
        #expect(badFast.status == badFull.status)
        #expect(badFast.stderr == badFull.stderr)
        let unknownFast = try fast.run(["journey", "nosuchcase"])
        let unknownFull = try viaParser(full, ["journey", "nosuchcase"])
        #expect(unknownFast.status == unknownFull.status)
        #expect(unknownFast.stderr == unknownFull.stderr)
    }

    @Test("a form the fast path does not take still gets the parser's usage error")
    func otherFormsGoToTheParser() throws {
        let plaint = Plaint(store: scratch.path("store"))
        let result = try plaint.run(["head", "--no-such-option"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("no-such-option"))
    }
}
