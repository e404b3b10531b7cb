import Testing

@testable import PlaintViews

@Suite("name matching")
struct NameMatcherTests {
    @Test func exactBeatsCaseInsensitive() {
        #expect(NameMatcher.match("ACME", among: ["Acme", "ACME"]) == .exact("ACME"))
        #expect(NameMatcher.match("acme", among: ["Acme", "bank"]) == .caseInsensitive("Acme"))
        #expect(NameMatcher.match("acme", among: ["Acme", "ACME"]) == .unknown(suggestions: ["ACME", "Acme"]))
    }

    @Test func suggestionsRankSuffixThenContainmentThenTypos() {
        let names = ["twcs:8", "twcs:18", "twcs:80", "AmazonHelp", "quickfix", "quickly"]
        #expect(NameMatcher.match("8", among: names) == .unknown(suggestions: ["twcs:8"]))
        #expect(NameMatcher.match("amazon", among: names) == .unknown(suggestions: ["AmazonHelp"]))
        #expect(NameMatcher.match("quikfix", among: names) == .unknown(suggestions: ["quickfix"]))
        #expect(NameMatcher.match("zzzzzz", among: names) == .unknown(suggestions: []))
        let many = (0..<10).map { "brand\($0)" }
        if case .unknown(let suggestions) = NameMatcher.match("brandx", among: many) {
            #expect(suggestions == ["brand0", "brand1", "brand2"])
        } else {
            Issue.record("brandx is not a stored brand")
        }
    }

    @Test func editDistanceStopsPastItsLimit() {
        #expect(NameMatcher.editDistance("kitten", "sitting", limit: 5) == 3)
        #expect(NameMatcher.editDistance("kitten", "sitting", limit: 2) == nil)
        #expect(NameMatcher.editDistance("", "abc", limit: 3) == 3)
        #expect(NameMatcher.editDistance("abc", "", limit: 3) == 3)
        #expect(NameMatcher.editDistance("same", "same", limit: 0) == 0)
    }
}
