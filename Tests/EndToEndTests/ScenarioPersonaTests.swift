import Foundation
import Testing

/// `tools/generate_scenario.py` defines five brand personas by how they staff and answer; the
/// figures `plaint` computes from the generated events must come out in the order those
/// definitions imply, for any seed.
@Suite("scenario personas")
struct ScenarioPersonaTests {
    let scratch = Scratch()
    var plaint: Plaint { Plaint(store: scratch.path("store")) }

    /// Generates `cases` complaints with `seed` and appends them.
    func load(seed: Int, cases: Int) throws {
        let generator = Process()
        generator.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        generator.arguments = [
            "python3", Plaint.packageRoot.appendingPathComponent("tools/generate_scenario.py").path,
            "--cases", String(cases), "--seed", String(seed),
        ]
        let file = scratch.path("scenario-\(seed).ndjson")
        _ = FileManager.default.createFile(atPath: file, contents: nil)
        generator.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        try generator.run()
        generator.waitUntilExit()
        #expect(generator.terminationStatus == 0)
        let appended = try plaint.run(["append", file])
        #expect(appended.status == 0, "\(appended.stderr)")
    }

    func document(_ arguments: [String]) throws -> [String: Any] {
        let result = try plaint.run(arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try json(result.stdout)
    }

    @Test(arguments: [11, 12])
    func responsivenessRanksThePersonasAsDefined(seed: Int) throws {
        try load(seed: seed, cases: 2000)
        let brands = try document(["responsiveness", "--json"])["brands"] as! [[String: Any]]
        let names = brands.map { $0["brand"] as! String }
        #expect(Set(names) == ["quickfix", "dmonly", "slowbutsure", "cutrate", "ghostline"])
        #expect(names.first == "quickfix")
        #expect(names.last == "ghostline")
        func figure(_ name: String) -> [String: Double] {
            let row = brands.first { $0["brand"] as? String == name }!
            return row.compactMapValues { $0 as? Double ?? ($0 as? Int).map(Double.init) }
        }
        func leader(_ key: String, lowest: Bool = false) -> String {
            let ranked = names.filter { figure($0)[key] != nil }.sorted { figure($0)[key]! > figure($1)[key]! }
            return lowest ? ranked.last! : ranked.first!
        }
        #expect(leader("frt_p50", lowest: true) == "quickfix")
        for brand in ["quickfix", "dmonly", "cutrate"] {
            #expect(figure("slowbutsure")["frt_p50"]! > figure(brand)["frt_p50"]!, "\(brand)")
        }
        #expect(leader("redirect_share") == "dmonly")
        #expect(leader("resolution_rate") == "slowbutsure")
        // The slow resolver answers nearly everything, but much of it after the 72-hour window.
        #expect(figure("slowbutsure")["late"]! > figure("quickfix")["late"]!)
        #expect(figure("ghostline")["response_rate"]! < 0.125)
    }

    @Test(arguments: [11, 12])
    func theDowngradersCustomersLoseLoyalty(seed: Int) throws {
        try load(seed: seed, cases: 2000)
        var mean: [String: Double] = [:]
        var adverse: [String: Int] = [:]
        for brand in ["quickfix", "dmonly", "slowbutsure", "cutrate", "ghostline"] {
            let summary = try document(["loyalty", "--brand", brand, "--json"])
            mean[brand] = (summary["loyalty"] as! [String: Any])["mean"] as? Double
            adverse[brand] = summary["unconsented_adverse_changes"] as? Int
        }
        #expect(mean.max { $0.value < $1.value }?.key == "quickfix")
        // cutrate answers more complaints within 72 h than slowbutsure, yet keeps fewer loyal customers.
        for brand in ["quickfix", "dmonly", "slowbutsure"] { #expect(mean["cutrate"]! < mean[brand]!, "\(brand)") }
        #expect(adverse.filter { $0.value > 0 }.keys.sorted() == ["cutrate"])

        // Within cutrate, the customers it downgraded are less loyal than the others.
        let downgrades = try plaint.run(["events", "--brand", "cutrate", "--type", "vendor.changed_service"])
        let downgraded = Set(try downgrades.lines.map { try json($0)["customer"] as! String })
        let complaints = try plaint.run(["events", "--brand", "cutrate", "--type", "complaint.filed"])
        let others = Set(try complaints.lines.map { try json($0)["customer"] as! String }).subtracting(downgraded)
        func medianLoyalty(_ customers: Set<String>) throws -> Double {
            let scores = try customers.sorted().prefix(15).map { customer in
                let relationship = try document(["loyalty", "--customer", customer, "--brand", "cutrate", "--json"])
                let row = (relationship["relationships"] as! [[String: Any]]).first!
                return (row["loyalty"] as! [String: Any])["score"] as! Double
            }
            return scores.sorted()[scores.count / 2]
        }
        #expect(downgraded.count >= 15 && others.count >= 15)
        #expect(try medianLoyalty(downgraded) < medianLoyalty(others))
    }

    @Test func auditJSONListsEveryItemItCounts() throws {
        try load(seed: 11, cases: 600)
        let audit = try document(["audit", "cutrate", "--format", "json"])
        let actions = audit["unconsented_actions"] as! [String: Any]
        let count = actions["count"] as! Int
        // More than the Markdown report lists, so the JSON's completeness is what is tested.
        #expect(count > 20)
        #expect((actions["listed"] as! [Any]).count == count)
        #expect(
            try plaint.run(["audit", "cutrate"]).stdout.contains(
                "(the first 20 listed; the JSON report lists them all)"))
        for brand in ["cutrate", "ghostline"] {
            let report = try document(["audit", brand, "--format", "json"])
            let headline = report["headline"] as! [String: Any]
            let ignored = report["ignored_requests"] as! [[String: Any]]
            #expect(ignored.count == headline["ignored"] as? Int, "\(brand)")
            let waits = ignored.map { $0["waited_seconds"] as! Int }
            #expect(waits == waits.sorted(by: >), "\(brand): longest wait first")
            let anomalies = report["anomalies"] as! [String: Any]
            #expect((anomalies["clock_skew_case_ids"] as! [Any]).count == anomalies["clock_skew_cases"] as? Int)
            #expect((anomalies["unknown_case_ids"] as! [Any]).count == anomalies["unknown_cases"] as? Int)
        }
    }
}
