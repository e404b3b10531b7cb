import Glibc
import PlaintEvents
import PlaintLog
import PlaintProjections

/// Counts the stored view rows that differ from a projection's: missing, extra or different.
///
/// It walks each stored table once and looks every row's case up in the projection, encoding
/// the expected row into one reused buffer, rather than building, sorting and holding every
/// expected row: replay compares hundreds of thousands of journeys.
struct ViewComparison: Sendable {
    let projection: JourneyProjection
    let info: ViewInfo
    /// Journey indexes by the key component of case ids too long to be stored whole (hashed).
    private let hashedCases: [[UInt8]: Int]

    init(_ projection: JourneyProjection, position: UInt64) {
        self.projection = projection
        info = ViewInfo(projection, position: position)
        var hashedCases: [[UInt8]: Int] = [:]
        for (index, journey) in projection.journeys.enumerated() where journey.caseID.count > 120 {
            hashedCases[ViewKey.make(journey.caseID)] = index
        }
        self.hashedCases = hashedCases
    }

    func differences(from views: ViewReader, log: EventLog) throws -> Int {
        guard log.hasViewTables else {
            return 2 * projection.caseCount + Replay.Rows.relationshipRows(projection).count + 1
        }
        return try caseKeyDifferences(views) + differencesBesideCaseKeys(views)
    }

    /// The differing rows of every table but `view_case_keys` (the two halves can be counted
    /// on two threads).
    func differencesBesideCaseKeys(_ views: ViewReader) throws -> Int {
        var differing = try compareJourneys(views)
        let relationshipRows = Replay.Rows.relationshipRows(projection)
        differing += try Replay.countDifferences(JourneyViews.relationships, relationshipRows, views)
        if try ViewInfo.read(views) != info { differing += 1 }
        return differing
    }

    /// `view_case_keys`: case → the key of its journey.
    func caseKeyDifferences(_ views: ViewReader) throws -> Int {
        let journeys = projection.journeys
        var seen = [Bool](repeating: false, count: journeys.count)
        var expected: [UInt8] = []
        var differing = 0
        try views.forEach(JourneyViews.caseKeys) { key, value in
            guard let component = ViewKey.component(in: key, at: 0), component.upperBound == key.count,
                let index = journeyIndex(component: UnsafeRawBufferPointer(rebasing: key[component]))
            else {
                differing += 1
                return true
            }
            seen[index] = true
            JourneyViews.key(journeys[index], into: &expected)
            if !Self.equal(expected, value) { differing += 1 }
            return true
        }
        return differing + seen.count { !$0 }
    }

    /// `view_journeys`: (brand, case) → the journey's bytes.
    private func compareJourneys(_ views: ViewReader) throws -> Int {
        let journeys = projection.journeys
        var seen = [Bool](repeating: false, count: journeys.count)
        var expected: [UInt8] = []
        var differing = 0
        try views.forEach(JourneyViews.journeys) { key, value in
            guard let brand = ViewKey.component(in: key, at: 0),
                let caseID = ViewKey.component(in: key, at: brand.upperBound), caseID.upperBound == key.count,
                let index = journeyIndex(component: UnsafeRawBufferPointer(rebasing: key[caseID]))
            else {
                differing += 1
                return true
            }
            JourneyViews.key(journeys[index], into: &expected)
            // A row under another brand is a stale copy: extra, and the journey's row is missing.
            guard Self.equal(expected, key) else {
                differing += 1
                return true
            }
            seen[index] = true
            JourneyCodec.encode(journeys[index], into: &expected)
            if !Self.equal(expected, value) { differing += 1 }
            return true
        }
        return differing + seen.count { !$0 }
    }

    /// The journey whose case has this key component (marker byte included).
    private func journeyIndex(component: UnsafeRawBufferPointer) -> Int? {
        if component[0] == 0xFF { return hashedCases[Array(component)] }
        return projection.journeyIndex(UnsafeRawBufferPointer(rebasing: component.dropFirst()))
    }

    private static func equal(_ bytes: [UInt8], _ stored: UnsafeRawBufferPointer) -> Bool {
        bytes.withUnsafeBytes { compareBytes($0, stored) == 0 }
    }
}
