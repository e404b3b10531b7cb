import Mustache

extension AuditReports {
    /// The audit as one self-contained HTML page: the same document as the Markdown, with the
    /// charts drawn as inline SVG.
    public static func html(_ audit: AuditData) -> String {
        AuditHTML.template.render(AuditHTML.Page(AuditDocument(audit)), library: AuditHTML.library)
    }
}

/// The values the Mustache template reads, one type per template section. Mustache sees
/// properties by name (through `Mirror`), so these are plain stored properties.
enum AuditHTML {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        // The template is a constant of this module; a syntax error in it fails every HTML test.
        library.register(try! MustacheTemplate(string: AuditHTMLTemplate.spans), named: "spans")
        return library
    }()

    static let template = try! MustacheTemplate(string: AuditHTMLTemplate.page)

    struct Page {
        var title: String
        var scope: Text
        var sections: [Section]
        var css = AuditHTMLTemplate.css

        init(_ document: AuditDocument) {
            title = document.title
            scope = Text(document.scope)
            sections = document.sections.map(Section.init)
        }
    }

    struct Section {
        var number: Int
        var title: String
        var blocks: [Block]

        init(_ section: AuditDocument.Section) {
            number = section.number
            title = section.title
            blocks = section.blocks.map(Block.init)
        }
    }

    /// One block; exactly one member is set.
    struct Block {
        var paragraph: Text?
        var heading: String?
        var list: List?
        var table: Table?
        var figures: [SVGFigure]?

        init(_ block: AuditDocument.Block) {
            switch block {
            case .paragraph(let text): paragraph = Text(text)
            case .heading(let title): heading = title
            case .list(let items): list = List(items: items.map(Text.init))
            case .table(let table): self.table = Table(table)
            case .chart(let chart): figures = AuditCharts.figures(chart)
            }
        }
    }

    struct List {
        var items: [Text]
    }

    struct Text {
        var spans: [Span]

        struct Span {
            var text: String
            var plain: Bool
            var strong: Bool
            var code: Bool
        }

        init(_ text: AuditDocument.Text) {
            spans = text.spans.map { span in
                Span(
                    text: span.text, plain: span.style == .plain, strong: span.style == .strong,
                    code: span.style == .code)
            }
        }
    }

    struct Table {
        var header: [Cell]
        var rows: [Row]

        struct Cell {
            var text: String
            var numeric: Bool
        }

        struct Row {
            var cells: [Cell]
        }

        init(_ table: AuditDocument.Table) {
            header = table.header.enumerated().map { Cell(text: $1, numeric: table.numeric.contains($0)) }
            rows = table.rows.map { row in
                Row(cells: row.enumerated().map { Cell(text: $1, numeric: table.numeric.contains($0)) })
            }
        }
    }
}
