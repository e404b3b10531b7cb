import Glibc
import PlaintEvents
import Testing

@testable import PlaintProjections

@Suite("The loyalty model file")
struct LoyaltyModelTests {
    static let shippedFile: String = {
        let tests = #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
        return "/" + tests + "/models/loyalty-default.json"
    }()

    static func shippedBytes() throws -> [UInt8] {
        guard let file = fopen(shippedFile, "r") else { throw FixtureError.missing(shippedFile) }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        while true {
            let byte = fgetc(file)
            if byte == EOF { return bytes }
            bytes.append(UInt8(byte))
        }
    }

    enum FixtureError: Error { case missing(String) }

    @Test("the shipped model file says exactly the defaults the README gives")
    func shippedFileIsTheDefault() throws {
        let model = try LoyaltyModel(json: try Self.shippedBytes())
        #expect(model == .standard)
        #expect(model.json == String(decoding: try Self.shippedBytes(), as: UTF8.self))
    }

    @Test("a model written with --show-model reads back the same")
    func roundTrip() throws {
        var model = LoyaltyModel.standard
        model.customer.ignored = -30
        model.halfLife = 90 * 24 * 3_600_000_000
        #expect(try LoyaltyModel(json: Array(model.json.utf8)) == model)
    }

    struct Broken: Sendable, CustomTestStringConvertible {
        var edit: String
        var replacement: String
        var field: String
        var testDescription: String { "\(field): \(replacement.isEmpty ? "removed" : replacement)" }
    }

    @Test(
        "a malformed or incomplete model names the field",
        arguments: [
            Broken(edit: "    \"ignored\": -20,\n", replacement: "", field: "customer_loyalty.ignored"),
            Broken(edit: "\"ignored\": -20", replacement: "\"ignored\": \"-20\"", field: "customer_loyalty.ignored"),
            Broken(edit: "\"half_life_days\": 180", replacement: "\"half_life_days\": 0", field: "half_life_days"),
            Broken(edit: "\"ignored\": -20", replacement: "\"ignord\": -20", field: "customer_loyalty.ignored"),
            Broken(edit: "\"kept_weight\": 0.3", replacement: "\"kept_weight\": 0.5", field: "brand_devotion"),
            Broken(
                edit: "\"promoter_min_nps\": 9", replacement: "\"promoter_min_nps\": 9.5",
                field: "customer_loyalty.promoter_min_nps"),
            Broken(edit: "\"version\": 1", replacement: "\"version\": 2", field: "version"),
            Broken(edit: "\"baseline\": 50", replacement: "\"baseline\": 150", field: "baseline"),
            Broken(
                edit: "\"detractor_max_nps\": 6", replacement: "\"detractor_max_nps\": 9",
                field: "customer_loyalty.detractor_max_nps"),
            Broken(
                edit: "\"brand_devotion\": {", replacement: "\"brand_devotion\": {\"extra\": 1,",
                field: "brand_devotion.extra"),
            Broken(edit: "{\n  \"model\"", replacement: "[\n  \"model\"", field: ""),
        ])
    func broken(_ example: Broken) throws {
        let text = String(decoding: try Self.shippedBytes(), as: UTF8.self)
        #expect(text.contains(example.edit))
        let edited = text.replacing(example.edit, with: example.replacement, maxReplacements: 1)
        #expect(throws: LoyaltyModelError.self) { try LoyaltyModel(json: Array(edited.utf8)) }
        do {
            _ = try LoyaltyModel(json: Array(edited.utf8))
        } catch {
            #expect(error.field == example.field, "\(error)")
        }
    }

    @Test("a model changes the scores without touching the ledger")
    func modelApplies() {
        var script = Script()
        script.add(.complaintFiled, at: 0)
        var harsh = LoyaltyModel.standard
        harsh.customer.ignored = -40
        let at = 100 * Script.hour
        // 100 h after filing: the complaint -5 * 2^(-100/4320) = -4.92; ignored since 72 h:
        // -20 * 2^(-28/4320) = -19.91, or with -40: -39.82.
        #expect(script.score(at: at, model: .standard).loyalty.scoreCents == 5000 - 492 - 1991)
        #expect(script.score(at: at, model: harsh).loyalty.scoreCents == 5000 - 492 - 3982)
    }
}
