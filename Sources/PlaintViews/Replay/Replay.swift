import Glibc
import PlaintEvents
import PlaintLog
import PlaintProjections
import PlaintSystem

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
            try decoder.decode(record) { projection.apply($0, caseID: $1, customer: $2, brand: $3, source: $4) }
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
        let folded = ExpectedViews(projection, position: snapshotPosition)
        let early = try compareOutsideTheWriteLock(log, folded, summarize)
        let outcome = try log.rewriteViews { reader, views in
            let position = try continueFold(&projection, from: snapshotPosition, in: reader)
            // No append since the snapshot: the stored views are the ones compared.
            let unchanged = position == snapshotPosition
            let expected = unchanged ? folded : ExpectedViews(projection, position: position)
            let differing =
                if unchanged, let counted = early.differing { counted } else {
                    try expected.differences(from: views.reader, log: log)
                }
            if differing > 0 { try expected.write(to: views) }
            return Outcome(
                projection: projection, position: position, differingRows: differing, rewritten: differing > 0)
        }
        let summary = outcome.position == snapshotPosition ? early.summary : summarize(outcome.projection)
        return (outcome, summary)
    }

    public static func rebuild(_ log: EventLog, progress: (UInt64, UInt64) -> Void = { _, _ in }) throws -> Outcome {
        try rebuild(log, progress: progress) { _ in () }.0
    }

    /// Counts the stored rows that differ from `expected` in snapshots that still end at its
    /// position, on two threads (one also summarizes); nil when the log moved on meanwhile, or
    /// the store has no view tables.
    private static func compareOutsideTheWriteLock<Summary: Sendable>(
        _ log: EventLog, _ expected: ExpectedViews,
        _ summarize: @escaping @Sendable (JourneyProjection) -> Summary
    ) throws -> (differing: Int?, summary: Summary) {
        let position = expected.info.position
        let other = Concurrent("replay-compare") { () throws -> (Int?, Summary) in
            let caseKeys: Int? = try log.read { reader in
                guard try reader.head().position == position, log.hasViewTables else { return nil }
                return try expected.caseKeyDifferences(reader.views)
            }
            return (caseKeys, summarize(expected.projection))
        }
        let rest: Int? = try log.read { reader in
            guard try reader.head().position == position, log.hasViewTables else { return nil }
            return try expected.differencesBesideCaseKeys(reader.views)
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
        let expected = ExpectedViews(projection, position: snapshotPosition)
        if let differing = try compareOutsideTheWriteLock(log, expected, { _ in () })
            .differing
        {
            return (snapshotPosition, differing)
        }
        // Appends came in meanwhile: fold them and compare in one snapshot.
        return try log.read { reader in
            let position = try continueFold(&projection, from: snapshotPosition, in: reader)
            return (
                position, try ExpectedViews(projection, position: position).differences(from: reader.views, log: log)
            )
        }
    }
}
