/// A table narrowed to a terminal's width by leaving out its least needed columns, so that a
/// line never wraps; what was left out is named, so nothing is hidden silently.
public struct FittedTable {
    public let text: String
    /// The headings of the columns left out, in the order they were dropped.
    public let dropped: [String]

    /// - Parameters:
    ///   - rows: the heading row first, then the cells.
    ///   - dropOrder: the columns that may go, least needed first; the others always stay.
    ///   - width: the terminal's width in columns, or nil to keep every column (piped output).
    public init(_ rows: [[String]], rightAligned: Set<Int>, dropOrder: [Int], width: Int?) {
        var kept = Array(rows.first?.indices ?? 0..<0)
        var dropped: [String] = []
        if let width {
            let widths = kept.map { column in rows.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0
            }
            func lineWidth() -> Int { kept.reduce(0) { $0 + widths[$1] } + 2 * max(kept.count - 1, 0) }
            for column in dropOrder where lineWidth() > width {
                guard let index = kept.firstIndex(of: column) else { continue }
                kept.remove(at: index)
                dropped.append(rows[0][column].trimmingLeadingSpaces)
            }
        }
        let narrowed = rows.map { row in kept.map { row.indices.contains($0) ? row[$0] : "" } }
        let aligned = Set(kept.indices.filter { rightAligned.contains(kept[$0]) })
        text = Human.table(narrowed, rightAligned: aligned)
        self.dropped = dropped
    }

    /// The line under a narrowed table that names what it left out; empty when nothing was.
    public var footer: String {
        dropped.isEmpty
            ? "" : "columns left out to fit the terminal: \(dropped.joined(separator: ", ")) (--wide shows them)\n"
    }
}

extension String {
    fileprivate var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
}
