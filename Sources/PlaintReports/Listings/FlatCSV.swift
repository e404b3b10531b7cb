import PlaintEvents

/// CSV of a report's rows, made from the JSON objects the report already prints, so the CSV
/// carries exactly the JSON's names and units.
///
/// Each object is a row. A scalar member is a column under its own name; an interval
/// (`<name>_ci`, `[low, high]`) becomes two columns, `<name>_ci_low` and `<name>_ci_high`, so a
/// spreadsheet can use each end; a list of scalars is one field, its items joined by `;`. Nested
/// objects and lists of objects (breakdowns by source or period) are left to the JSON.
public enum FlatCSV {
    public static func listing(_ objects: [JSONValue]) -> Listing {
        var names: [String] = []
        var rows: [[String: JSONValue]] = []
        for object in objects {
            guard case .object(let members) = object else { continue }
            var row: [String: JSONValue] = [:]
            for (name, value) in members {
                for (column, cell) in flatten(name, value) {
                    if !names.contains(column) { names.append(column) }
                    row[column] = cell
                }
            }
            rows.append(row)
        }
        var listing = Listing(names.map { Listing.Column($0, heading: $0) })
        for row in rows { listing.append(names.map { row[$0] ?? .null }) }
        return listing
    }

    static func flatten(_ name: String, _ value: JSONValue) -> [(String, JSONValue)] {
        if name.hasSuffix("_ci") {
            // null when the base is empty: both ends empty.
            guard case .array(let ends) = value, ends.count == 2 else {
                return [(name + "_low", .null), (name + "_high", .null)]
            }
            return [(name + "_low", ends[0]), (name + "_high", ends[1])]
        }
        switch value {
        case .object: return []
        case .array(let items):
            if items.contains(where: { if case .object = $0 { true } else { false } }) { return [] }
            return [(name, value)]
        default: return [(name, value)]
        }
    }
}
