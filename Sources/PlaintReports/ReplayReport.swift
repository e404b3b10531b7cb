import PlaintEvents
import PlaintProjections

/// What `plaint replay` prints: what it folded, whether the stored views agreed, and the
/// responsiveness ranking of the rebuilt world as of `at`.
public struct ReplayReport: Sendable {
    public var projection: JourneyProjection
    public var position: UInt64
    /// nil for a read-only partial replay.
    public var differingRows: Int?
    public var query: ResponsivenessQuery
    public var brands: [BrandResponsiveness]
    public var unknownCases = 0
    /// How long the replay took, reading, folding, comparing and storing.
    public var seconds: Double = 0

    /// The ranking of `projection` as of `at` (default: its latest event); the caller sets how
    /// the views compared and how long it took.
    public init(projection: JourneyProjection, position: UInt64, at: Int64?, window: Int64) {
        self.projection = projection
        self.position = position
        query = ResponsivenessQuery(at: at ?? projection.latestOccurredAt ?? 0, window: window)
        var report = ResponsivenessReport(query: query)
        var brand: (bytes: [UInt8], name: String) = ([], "")
        for journey in projection.journeys {
            let figures = CaseFigures(journey.entries, at: query.at)
            if figures.events > 0, !figures.hasComplaint { unknownCases += 1 }
            // Journeys share their brand's bytes; its name is made once per run of them.
            if journey.brand != brand.bytes { brand = (journey.brand, journey.brandName) }
            report.add(figures, brand: brand.name, source: journey.source)
        }
        brands = report.ranked
    }

    public func json() -> JSONValue {
        .object([
            ("position", .integer(Int64(position))),
            ("events", .integer(Int64(projection.events))),
            ("cases", .integer(Int64(projection.caseCount))),
            ("unknown_cases", .integer(Int64(unknownCases))),
            ("views", differingRows.map { .string($0 == 0 ? "identical" : "rewritten") } ?? .string("not compared")),
            ("differing_rows", .optional(differingRows)),
            ("seconds", .number((seconds * 1000).rounded() / 1000)),
            ("responsiveness", ResponsivenessReports.json(query, brands)),
        ])
    }

    public func text() -> String {
        let rate = seconds > 0 ? Int(Double(projection.events) / seconds) : 0
        var text = "replayed positions 1-\(position): \(projection.events) events, \(projection.caseCount) cases, "
        text += "\(brands.count) brands with requests, in \(Human.seconds(seconds)) (\(rate) events/s)\n"
        if unknownCases > 0 { text += "anomalies: \(unknownCases) cases have events but no complaint.filed\n" }
        switch differingRows {
        case nil: text += "stored views: not compared or changed (partial replay)\n"
        case 0?: text += "stored views: identical to the rebuild\n"
        case let count?: text += "stored views: \(count) rows differed from the rebuild and were rewritten\n"
        }
        text += "\n"
        var rows: [[String]] = [["#", "brand", "requests", "answered", "ignored", "pending", "rate@H", "FRT p50"]]
        for brand in brands {
            let figures = brand.figures
            rows.append([
                brand.rank.map { "\($0)" } ?? "-", brand.brand, "\(figures.requests)", "\(figures.answered)",
                "\(figures.ignored)", "\(figures.pending)", Human.rate(figures.responseRate),
                Human.duration(figures.frtP50?.value),
            ])
        }
        text += "as of \(Human.time(query.at)), window \(Human.window(query.window)):\n"
        text += Human.table(rows, rightAligned: [0, 2, 3, 4, 5, 6, 7])
        return text
    }
}

extension Human {
    public static func seconds(_ value: Double) -> String {
        let milliseconds = Int((value * 1000).rounded())
        return
            "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - String(milliseconds % 1000).count))\(milliseconds % 1000) s"
    }
}
