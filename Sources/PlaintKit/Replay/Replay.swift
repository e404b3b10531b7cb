import Glibc
import PlaintEvents
import PlaintLog
import PlaintProjections

/// Rebuilds the projections from the log alone, the way `plaint replay` does.
public enum Replay {
    /// What a replay found and did.
    public struct Outcome: Sendable {
        public var projection: JourneyProjection
        /// The last position folded.
        public var position: UInt64
        /// Stored rows that differed from the rebuild (missing, extra or different); nil when the
        /// replay did not compare (a partial replay never touches the stored views).
        public var differingRows: Int?
        public var rewritten: Bool
    }

    /// Folds the log's events up to `upto` (default: all) into a fresh projection, in the
    /// snapshot of `reader` (one thread).
    public static func fold(
        _ reader: LogReader, upto: UInt64? = nil, progress: (UInt64, UInt64) -> Void = { _, _ in }
    ) throws -> (JourneyProjection, UInt64) {
        var projection = JourneyProjection()
        let position = try continueFold(&projection, from: 0, upto: upto, in: reader, progress: progress)
        return (projection, position)
    }

    /// Folds positions after `position` up to `upto` (default: the head) into `projection`;
    /// returns the last position folded.
    static func continueFold(
        _ projection: inout JourneyProjection, from position: UInt64, upto: UInt64? = nil, in reader: LogReader,
        progress: (UInt64, UInt64) -> Void = { _, _ in }
    ) throws -> UInt64 {
        let last = min(upto ?? .max, try reader.head().position)
        var decoder = FoldDecoder()
        var folded = position
        try reader.forEachRecord(from: position + 1) { record in
            guard record.position <= last else { return false }
            try decoder.decode(record) { projection.apply($0, caseID: $1, customer: $2, brand: $3) }
            folded = record.position
            if folded % 65_536 == 0 { progress(folded, last) }
            return true
        }
        progress(folded, last)
        return folded
    }

    /// Folds the log up to `upto` on two threads (`ParallelFold`).
    public static func fold(
        _ log: EventLog, upto: UInt64? = nil, progress: (UInt64, UInt64) -> Void = { _, _ in }
    ) throws -> (JourneyProjection, UInt64) {
        try ParallelFold.fold(log, upto: upto, progress: progress)
    }

    /// Rebuilds every view from the whole log, compares the rebuild with the stored views, and
    /// replaces them. The bulk of the log is folded from a snapshot while appends go on; the
    /// events appended meanwhile are folded inside the write transaction that stores the views,
    /// so the stored views match the log's head exactly.
    ///
    /// `summarize` runs on another thread while the stored views are compared, and again on the
    /// final projection if appends arrived meanwhile.
    public static func rebuild<Summary: Sendable>(
        _ log: EventLog, progress: (UInt64, UInt64) -> Void = { _, _ in },
        summarize: @escaping @Sendable (JourneyProjection) -> Summary
    ) throws -> (Outcome, Summary) {
        var (projection, snapshotPosition) = try fold(log, progress: progress)
        let early = try compareOutsideTheWriteLock(log, projection, position: snapshotPosition, summarize)
        let outcome = try log.rewriteViews { reader, views in
            let position = try continueFold(&projection, from: snapshotPosition, in: reader)
            let differing: Int
            if position == snapshotPosition, let counted = early.differing {
                // No append since the snapshot: the stored views are the ones compared.
                differing = counted
            } else {
                differing = try ViewComparison(projection, position: position).differences(
                    from: views.reader, log: log)
            }
            if differing > 0 {
                let rebuilt = Rows(projection, position: position)
                for (table, rows) in rebuilt.tables {
                    try views.clear(table)
                    for (key, value) in rows { try views.putLast(table, key: key, value: value) }
                }
                try rebuilt.info.write(views)
            }
            return Outcome(
                projection: projection, position: position, differingRows: differing, rewritten: differing > 0)
        }
        let summary = outcome.position == snapshotPosition ? early.summary : summarize(outcome.projection)
        return (outcome, summary)
    }

    public static func rebuild(_ log: EventLog, progress: (UInt64, UInt64) -> Void = { _, _ in }) throws -> Outcome {
        try rebuild(log, progress: progress) { _ in () }.0
    }

    /// Counts the stored rows that differ from `projection` in snapshots that still end at
    /// `position`, on two threads (one also summarizes); nil when the log moved on meanwhile, or
    /// the store has no view tables.
    private static func compareOutsideTheWriteLock<Summary: Sendable>(
        _ log: EventLog, _ projection: JourneyProjection, position: UInt64,
        _ summarize: @escaping @Sendable (JourneyProjection) -> Summary
    ) throws -> (differing: Int?, summary: Summary) {
        let comparison = ViewComparison(projection, position: position)
        let other = Concurrent("replay-compare") { () throws -> (Int?, Summary) in
            let caseKeys: Int? = try log.read { reader in
                guard try reader.head().position == position, log.hasViewTables else { return nil }
                return try comparison.caseKeyDifferences(reader.views)
            }
            return (caseKeys, summarize(projection))
        }
        let rest: Int? = try log.read { reader in
            guard try reader.head().position == position, log.hasViewTables else { return nil }
            return try comparison.differencesBesideCaseKeys(reader.views)
        }
        let (caseKeys, summary) = try other.value()
        guard let caseKeys, let rest else { return (nil, summary) }
        return (caseKeys + rest, summary)
    }

    /// Rebuilds the views in memory and counts the stored rows that differ, changing nothing:
    /// the views' part of `plaint verify`.
    public static func check(_ log: EventLog, progress: (UInt64, UInt64) -> Void = { _, _ in }) throws -> (
        position: UInt64, differingRows: Int
    ) {
        var (projection, snapshotPosition) = try fold(log, progress: progress)
        if let differing = try compareOutsideTheWriteLock(log, projection, position: snapshotPosition, { _ in () })
            .differing
        {
            return (snapshotPosition, differing)
        }
        // Appends came in meanwhile: fold them and compare in one snapshot.
        return try log.read { reader in
            let position = try continueFold(&projection, from: snapshotPosition, in: reader)
            let comparison = ViewComparison(projection, position: position)
            return (position, try comparison.differences(from: reader.views, log: log))
        }
    }

    /// The rows the views' tables should hold for a projection, in key order: what a replay
    /// that found differences writes.
    struct Rows {
        /// Each table's rows in key order (`view_info` apart).
        var tables: [(ViewTable, [([UInt8], [UInt8])])]
        var info: ViewInfo

        init(_ projection: JourneyProjection, position: UInt64) {
            func sorted(_ rows: [([UInt8], [UInt8])]) -> [([UInt8], [UInt8])] {
                rows.sorted { bytesPrecede($0.0, $1.0) }
            }
            tables = [
                (
                    JourneyViews.journeys,
                    sorted(projection.journeys.map { (JourneyViews.key($0), JourneyCodec.encode($0)) })
                ),
                (
                    JourneyViews.caseKeys,
                    sorted(projection.journeys.map { (ViewKey.make($0.caseID), JourneyViews.key($0)) })
                ),
                (JourneyViews.relationships, Self.relationshipRows(projection)),
            ]
            info = ViewInfo(projection, position: position)
        }

        /// The `view_relationships` rows, in key order.
        static func relationshipRows(_ projection: JourneyProjection) -> [([UInt8], [UInt8])] {
            projection.relationshipRows.map { (ViewKey.make($0.brand, $0.customer), LoyaltyLedgerCodec.encode($0)) }
                .sorted { bytesPrecede($0.0, $1.0) }
        }
    }

    /// Rows that are missing, extra or different between the stored table and `rows` (key order).
    static func countDifferences(_ table: ViewTable, _ rows: [([UInt8], [UInt8])], _ views: ViewReader) throws -> Int {
        var differing = 0
        var index = 0
        try views.forEach(table) { key, value in
            while index < rows.count, rows[index].0.withUnsafeBytes({ compareBytes($0, key) < 0 }) {
                differing += 1
                index += 1
            }
            if index < rows.count, rows[index].0.withUnsafeBytes({ compareBytes($0, key) == 0 }) {
                if rows[index].1.withUnsafeBytes({ compareBytes($0, value) != 0 }) { differing += 1 }
                index += 1
            } else {
                differing += 1
            }
            return true
        }
        return differing + rows.count - index
    }
}

/// Byte order, as LMDB sorts keys: memcmp on the common prefix, then the shorter first.
func compareBytes(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Int {
    let common = min(lhs.count, rhs.count)
    if common > 0 {
        let order = memcmp(lhs.baseAddress!, rhs.baseAddress!, common)
        if order != 0 { return Int(order) }
    }
    return lhs.count - rhs.count
}

func bytesPrecede(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    lhs.withUnsafeBytes { left in rhs.withUnsafeBytes { right in compareBytes(left, right) < 0 } }
}
