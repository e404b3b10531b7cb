import Foundation
import Testing

/// The README and `docs/` link only to files and headings that exist, and never to a document
/// outside the repository.
@Suite("documentation links")
struct DocumentationLinkTests {
    static let root = Plaint.packageRoot

    static func documents() throws -> [URL] {
        var found = [root.appendingPathComponent("README.md")]
        let docs = root.appendingPathComponent("docs")
        let walker = FileManager.default.enumerator(at: docs, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            if url.pathExtension == "md" { found.append(url) }
        }
        return found
    }

    /// GitHub's heading anchors: lower case, punctuation other than `-` and `_` dropped, spaces as `-`.
    static func anchor(_ heading: String) -> String {
        String(
            heading.lowercased().compactMap { character -> Character? in
                if character == " " { return "-" }
                if character.isLetter || character.isNumber || character == "-" || character == "_" { return character }
                return nil
            })
    }

    static func anchors(of text: String) -> Set<String> {
        var anchors = Set<String>()
        var inCode = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inCode.toggle() }
            guard !inCode, line.hasPrefix("#") else { continue }
            anchors.insert(anchor(String(line.drop { $0 == "#" }.dropFirst())))
        }
        return anchors
    }

    @Test func everyRelativeLinkAndAnchorResolves() throws {
        let link = try Regex(#"\]\(([^)\s]+)\)"#)
        var checked = 0
        for document in try Self.documents() {
            let text = try String(contentsOf: document, encoding: .utf8)
            let name = document.path.replacingOccurrences(of: Self.root.path + "/", with: "")
            for match in text.matches(of: link) {
                let target = String(text[match.range].dropFirst(2).dropLast())
                if target.hasPrefix("http://") || target.hasPrefix("https://") || target.hasPrefix("mailto:") {
                    continue
                }
                checked += 1
                let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
                let path = String(parts[0])
                let file = path.isEmpty ? document : document.deletingLastPathComponent().appendingPathComponent(path)
                #expect(FileManager.default.fileExists(atPath: file.path), "\(name): \(target) does not exist")
                if parts.count == 2, file.pathExtension == "md", FileManager.default.fileExists(atPath: file.path) {
                    let anchors = Self.anchors(of: try String(contentsOf: file, encoding: .utf8))
                    #expect(anchors.contains(String(parts[1])), "\(name): no heading for #\(parts[1]) in \(path)")
                }
            }
        }
        #expect(checked >= 5, "the link pattern found too few links to be checking anything")
    }

    @Test func nothingSendsTheReaderToADocumentOutsideTheRepository() throws {
        for document in try Self.documents() {
            let text = try String(contentsOf: document, encoding: .utf8)
            for outside in ["DESIGN", "STYLE.md", "../shared"] {
                #expect(!text.contains(outside), "\(document.lastPathComponent) mentions \(outside)")
            }
        }
    }
}
