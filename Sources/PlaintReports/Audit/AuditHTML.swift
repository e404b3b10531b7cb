import Mustache
import PlaintViews

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

// The template's innermost sections run once per chart shape or table cell: their members are
// named here rather than found by reflection (`Mirror`), which is most of a page's rendering time.

extension SVGFigure.SVGShape: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "rect": rect
        case "line": line
        case "polyline": polyline
        case "circle": circle
        case "text": text
        default: nil
        }
    }
}

extension SVGFigure.Rect: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "x": x
        case "y": y
        case "width": width
        case "height": height
        case "style": style
        case "fill": fill
        case "title": title
        default: nil
        }
    }
}

extension SVGFigure.Line: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "x1": x1
        case "y1": y1
        case "x2": x2
        case "y2": y2
        case "style": style
        default: nil
        }
    }
}

extension SVGFigure.Polyline: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "points": points
        case "style": style
        default: nil
        }
    }
}

extension SVGFigure.Circle: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "cx": cx
        case "cy": cy
        case "style": style
        case "title": title
        default: nil
        }
    }
}

extension SVGFigure.Label: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "x": x
        case "y": y
        case "anchor": anchor
        case "style": style
        case "text": text
        default: nil
        }
    }
}

extension AuditHTML.Table.Cell: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "text": text
        case "numeric": numeric
        default: nil
        }
    }
}

extension AuditHTML.Text.Span: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "text": text
        case "plain": plain
        case "strong": strong
        case "code": code
        default: nil
        }
    }
}
