import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The audit's Markdown and HTML on a fixed fixture store, compared byte for byte with reviewed
/// golden files, and the HTML checked by an XML parser.
///
/// The fixture (`Fixtures/audit-fixture.ndjson`): a year of two generated brands (silentco
/// ignores, swiftnet answers fast) plus hand-written events: a complaint whose text is full of
/// markup, an unconsented downgrade, a reply before its complaint, a reply for an unknown case,
/// and newco, whose two complaints are still pending at `--at`. The head hash is replaced by
/// `HEAD_HASH` before comparing, so that a change to the fixture shows as one pinned hash
/// (`theFixturesHeadHashIsPinned`) rather than in every golden file.
///
/// After an intended change of the reports: `PLAINT_UPDATE_GOLDEN=1 swift test --filter AuditReportTests`,
/// then review the diff of `Tests/EndToEndTests/Fixtures/golden`.
@Suite("plaint audit: golden Markdown and HTML")
struct AuditReportTests {
    let scratch = Scratch()
    var plaint: Plaint { Plaint(store: scratch.path("store")) }
    static let at = "2024-12-29T00:00:00Z"
    static let golden = Plaint.packageRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/golden")

    func load() throws -> String {
        let fixture = Plaint.packageRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/audit-fixture.ndjson")
        let appended = try plaint.run(["append", fixture.path])
        #expect(appended.status == 0, "\(appended.stderr)")
        return try json(try plaint.run(["head", "--json"]).stdout)["hash"] as! String
    }

    func report(_ brand: String, _ format: String) throws -> String {
        let result = try plaint.run(["audit", brand, "--format", format, "--at", Self.at])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    /// The chain hash depends only on the events' positions and canonical bytes, never on when
    /// they were recorded: the same input gives the same head hash in any store, so a different
    /// hash here means the canonical form or the chain's definition changed.
    @Test func theFixturesHeadHashIsPinned() throws {
        #expect(try load() == "4079076a541c2afdb469c80e864e41deffff4b50aad1c5754fc0439ce2ecd81e")
    }

    @Test(arguments: [("silentco", "md"), ("silentco", "html"), ("newco", "md"), ("newco", "html")])
    func matchesTheGoldenFile(_ brand: String, _ fileExtension: String) throws {
        let headHash = try load()
        let output = try report(brand, fileExtension == "md" ? "markdown" : "html")
        #expect(output.contains(headHash))
        let normalized = output.replacingOccurrences(of: headHash, with: "HEAD_HASH")
        let file = Self.golden.appendingPathComponent("audit-\(brand).\(fileExtension)")
        if ProcessInfo.processInfo.environment["PLAINT_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.golden, withIntermediateDirectories: true)
            try normalized.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(normalized == expected, "\(file.lastPathComponent) differs; see the doc comment to update it")
    }

    @Test func theHTMLIsWellFormedSelfContainedAndEscaped() throws {
        _ = try load()
        for brand in ["silentco", "swiftnet", "newco"] {
            let html = try report(brand, "html")
            let parser = XMLParser(data: Data(html.utf8))
            let elements = ElementCounter()
            parser.delegate = elements
            #expect(parser.parse(), "\(brand): \(parser.parserError.map { "\($0)" } ?? "")")
            #expect(elements.names["html"] == 1)
            #expect(elements.names["section"] == 11)
            #expect(elements.names["script"] == nil)
            // Nothing fetched from elsewhere: the only URL is the SVG namespace.
            let urls = html.components(separatedBy: "http").count - 1
            #expect(urls == html.components(separatedBy: "xmlns=\"http://www.w3.org/2000/svg\"").count - 1)
            for outside in ["src=", "url(", "@import", "<link"] { #expect(!html.contains(outside), "\(outside)") }
            if brand != "newco" {
                #expect((elements.names["svg"] ?? 0) >= 4, "trend, histogram and two hour grids")
            }
        }
        // The complaint's text reaches the page as text, never as markup.
        let silentco = try report("silentco", "html")
        #expect(silentco.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; R&amp;D;"))
        #expect(!silentco.contains("<script"))
        let markdown = try report("silentco", "markdown")
        #expect(markdown.contains(#"\| piped"#))
    }

    @Test func aBrandWithOnlyPendingCasesSaysSoInsteadOfDrawingEmptyCharts() throws {
        _ = try load()
        let html = try report("newco", "html")
        #expect(html.contains("No request has been decided or answered yet"))
        #expect(html.contains("No request has a first response yet."))
        #expect(html.contains("No request has been decided yet: no response rate to show."))
        // The grid of requests filed, and the histogram, whose one bar is the unanswered requests.
        #expect(html.components(separatedBy: "<svg").count - 1 == 2)
        #expect(html.contains("no first response (ignored or pending): 2 requests"))
        #expect(!html.contains("NaN") && !html.contains("inf"))
    }
}

/// Counts the elements an XML parse meets, by name.
final class ElementCounter: NSObject, XMLParserDelegate {
    var names: [String: Int] = [:]

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        names[elementName, default: 0] += 1
    }
}
