import Foundation
import Testing

/// What only a PostgreSQL store has: its errors and their exit codes, rows that cannot be
/// changed, and a local view store that refuses to mirror another log.
@Suite("PostgreSQL stores", .enabled(if: TestCluster.isAvailable, TestCluster.skipReason))
struct ClusterStoreTests {
    let scratch = Scratch()

    func store() throws -> Plaint {
        Plaint(store: try TestCluster.freshStore(), environment: ["PLAINT_VIEWS": scratch.path("views")])
    }

    @Test func clearErrorsWithTheirOwnExitCodes() throws {
        let plaint = try store()
        // A database without a plaint log: reading commands refuse it like a missing store.
        let empty = try plaint.run(["head"])
        #expect(empty.status == 66)
        #expect(empty.stderr.contains("holds no plaint log"), "\(empty.stderr)")
        #expect(try plaint.run(["brands"]).status == 66)

        #expect(try plaint.run(["append"], stdin: Events.complaint("e1") + "\n").status == 0)
        let url = plaint.store
        // A wrong password: refused at once, 77.
        let wrong = url.replacing(/:[^:@\/]+@/, with: ":not-the-password@")
        let refused = try Plaint(store: wrong, environment: plaint.environment).run(["head"])
        #expect(refused.status == 77, "\(refused.stderr)")
        #expect(refused.stderr.contains("authentication failed"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("not-the-password"), "the password is never printed")
        // No server answers: 75 (try again), after the wait.
        let nowhere = try Plaint(store: "postgres://postgres:x@127.0.0.1:1/plaint", environment: plaint.environment)
            .run(["head"], environment: ["PLAINT_LEADER_WAIT": "2"])
        #expect(nowhere.status == 75, "\(nowhere.stderr)")
        #expect(nowhere.stderr.contains("127.0.0.1:1"), "\(nowhere.stderr)")
        // A URL that cannot be read: usage, 64.
        let bad = try Plaint(store: "postgres://127.0.0.1:99999/plaint", environment: plaint.environment).run(["head"])
        #expect(bad.status == 64, "\(bad.stderr)")
        // Commands that write a local store say what to do instead.
        let imported = try plaint.run([
            "import", "twcs",
            Plaint.packageRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/twcs/threads.csv").path,
        ])
        #expect(imported.status == 64 && imported.stderr.contains("--emit"), "\(imported.stderr)")
        #expect(try plaint.run(["append", "--stream"], stdin: Events.complaint("e2") + "\n").status == 64)
    }

    @Test func storedRowsCannotBeChangedOrRemoved() throws {
        let plaint = try store()
        #expect(try plaint.run(["append"], stdin: Events.complaint("e1") + "\n").status == 0)
        let database = String(plaint.store.split(separator: "/").last!)
        for statement in [
            "UPDATE plaint.events SET brand = 'other'", "DELETE FROM plaint.events", "TRUNCATE plaint.events",
        ] {
            let result = TestCluster.psql(database: database, statement)
            #expect(result.status != 0, "\(statement)")
            #expect(result.stderr.contains("immutable"), "\(statement): \(result.stderr)")
        }
        #expect(TestCluster.psql(database: database, "SELECT count(*) FROM plaint.events").stdout.hasPrefix("1"))
        #expect(try plaint.run(["verify"]).status == 0)
    }

    @Test func theLocalViewsRefuseAnotherLog() throws {
        let first = try store()
        let second = try store()
        #expect(try first.run(["append"], stdin: Events.complaint("a1") + "\n").status == 0)
        #expect(try second.run(["append"], stdin: Events.complaint("b1", text: "other") + "\n").status == 0)
        // Both name the same local view directory: the second finds it holds the first's log.
        #expect(try first.run(["brands"]).status == 0)
        let mixed = try second.run(["brands"])
        #expect(mixed.status == 74, "\(mixed.stderr)")
        #expect(mixed.stderr.contains("mirrors another log"), "\(mixed.stderr)")
    }

    @Test func theViewsCatchUpByPosition() throws {
        let plaint = try store()
        let events = (1...300).map { Events.complaint("c\($0)", case: "case-\($0)", customer: "u\($0 % 7)") }
        #expect(try plaint.run(["append"], stdin: events.joined(separator: "\n") + "\n").status == 0)
        let brands = try json(try plaint.run(["brands", "--json"]).stdout)["brands"] as! [[String: Any]]
        #expect(brands.first?["requests"] as? Int == 300)
        #expect(try plaint.run(["append"], stdin: Events.complaint("c301", case: "case-301") + "\n").status == 0)
        let again = try json(try plaint.run(["brands", "--json"]).stdout)["brands"] as! [[String: Any]]
        #expect(again.first?["requests"] as? Int == 301)
        // The local copy is an LMDB store of its own, equal to the cluster's log.
        let local = Plaint(store: scratch.path("views"))
        #expect(
            try json(try local.run(["head", "--json"]).stdout)["hash"] as? String
                == (try json(try plaint.run(["head", "--json"]).stdout)["hash"] as? String))
        let verify = try plaint.run(["verify"])
        #expect(verify.status == 0 && verify.stdout.contains("the projection views equal a replay"), "\(verify.stdout)")
    }
}
