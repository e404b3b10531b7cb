import Foundation
import Testing

/// Reads plaint's CSV back with Python's `csv` module, an independent RFC 4180 reader, so a test
/// can compare each field with the JSON value it stands for.
enum CSVReadBack {
    /// The rows as dictionaries keyed by the header row.
    static func rows(_ csv: String) throws -> [[String: String]] {
        let parsed = try python(
            "import csv, io, json, sys; print(json.dumps(list(csv.DictReader(io.StringIO(sys.stdin.read(), newline='')))))",
            stdin: csv)
        return try JSONSerialization.jsonObject(with: Data(parsed.utf8)) as! [[String: String]]
    }

    /// A JSON value as the CSV writes it: null empty, lists joined by `;`.
    static func text(_ value: Any) -> String {
        switch value {
        case is NSNull: ""
        case let list as [Any]: list.map(text).joined(separator: ";")
        case let string as String: string
        case let number as NSNumber where String(cString: number.objCType) == "c": number.boolValue ? "true" : "false"
        default: "\(value)"
        }
    }

    /// Every row equals its JSON object, field by field, and no field is extra or missing.
    static func expectEqual(_ rows: [[String: String]], _ objects: [[String: Any]], _ what: String) {
        #expect(rows.count == objects.count, "\(what): rows")
        for (row, object) in zip(rows, objects) {
            #expect(Set(row.keys) == Set(object.keys), "\(what)")
            for (name, value) in object { #expect(row[name] == text(value), "\(what).\(name)") }
        }
    }

    static func python(_ script: String, stdin: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }
}
