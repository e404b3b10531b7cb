/// A chart as the HTML template draws it: an SVG canvas and its shapes, every coordinate already
/// computed and written as text (so that the same figures give the same bytes).
struct SVGFigure {
    var width: Int
    var height: Int
    /// What the chart shows, for screen readers (`aria-label`).
    var label: String
    var shapes: [SVGShape] = []

    /// One shape; exactly one of the members is set (Mustache has no enums).
    struct SVGShape {
        var rect: Rect?
        var line: Line?
        var polyline: Polyline?
        var circle: Circle?
        var text: Label?
    }

    struct Rect {
        var x, y, width, height: String
        var style: String
        var fill: String?
        var title: String?
    }

    struct Line {
        var x1, y1, x2, y2: String
        var style: String
    }

    struct Polyline {
        var points: String
        var style: String
    }

    struct Circle {
        var cx, cy: String
        var style: String
        var title: String
    }

    struct Label {
        var x, y: String
        var anchor: String
        var style: String
        var text: String
    }

    mutating func rect(
        x: Double, y: Double, width: Double, height: Double, style: String, fill: String? = nil, title: String? = nil
    ) {
        shapes.append(
            SVGShape(
                rect: Rect(
                    x: Self.number(x), y: Self.number(y), width: Self.number(width), height: Self.number(height),
                    style: style, fill: fill, title: title)))
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, style: String) {
        shapes.append(
            SVGShape(
                line: Line(
                    x1: Self.number(x1), y1: Self.number(y1), x2: Self.number(x2), y2: Self.number(y2), style: style)))
    }

    mutating func polyline(_ points: [(x: Double, y: Double)], style: String) {
        guard points.count > 1 else { return }
        let text = points.map { "\(Self.number($0.x)),\(Self.number($0.y))" }.joined(separator: " ")
        shapes.append(SVGShape(polyline: Polyline(points: text, style: style)))
    }

    mutating func circle(x: Double, y: Double, style: String, title: String) {
        shapes.append(SVGShape(circle: Circle(cx: Self.number(x), cy: Self.number(y), style: style, title: title)))
    }

    mutating func text(_ text: String, x: Double, y: Double, anchor: String = "middle", style: String = "axis") {
        shapes.append(
            SVGShape(text: Label(x: Self.number(x), y: Self.number(y), anchor: anchor, style: style, text: text)))
    }

    /// A coordinate with at most one decimal, without a trailing `.0`.
    static func number(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let magnitude = abs(tenths)
        return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }
}
