import PlaintEvents
import PlaintLog
import PlaintTestSupport
import Testing

@testable import PlaintViews

/// A checked append writes a transaction's records first, then its ids, cases and customers in
/// key order, and folds its views on a second thread from the snapshot the transaction began
/// with. What it stores must be what appending the same events one at a time stores.
@Suite("Checked appends in key order")
struct KeyOrderedAppendTests {
    @Test("store the same records, index entries and view rows as one event at a time", arguments: 1...10)
    func sameAsOneAtATime(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        var preparer = EventPreparer()
        // Shuffled, so that a transaction's keys arrive in no order and cases span transactions.
        let events = try randomEvents(seed: seed).shuffled(using: &random).map { try preparer.prepare($0) }
        let directory = TemporaryDirectory()
        let reference = try EventLog(
            path: directory.child("one-by-one"), access: .write, options: .init(views: JourneyViews()))
        for event in events { _ = try reference.append([event]) }

        let log = try EventLog(path: directory.child("checked"), access: .write, options: .init(views: JourneyViews()))
        // Several transactions of several batches each.
        var remaining = events[...]
        while !remaining.isEmpty {
            var batches: [[PreparedEvent]] = []
            for _ in 0..<Int.random(in: 1...3, using: &random) where !remaining.isEmpty {
                let size = Int.random(in: 1...max(1, remaining.count / 2), using: &random)
                batches.append(Array(remaining.prefix(size)))
                remaining = remaining.dropFirst(size)
            }
            let results = try appendChecked(batches, to: log)
            #expect(results.joined().allSatisfy { if case .appended = $0 { true } else { false } })
        }
        #expect(try contents(of: log, ids: events.map(\.id)) == contents(of: reference, ids: events.map(\.id)))
    }

    @Test("number each case's versions on from those stored, and check expect_version against them")
    func versionsCountOnFromTheStore() throws {
        var factory = EventFactory()
        let directory = TemporaryDirectory()
        let log = try EventLog(path: directory.child("store"), access: .write, options: .init(views: JourneyViews()))
        _ = try log.append([factory.event(id: "a"), factory.event(id: "b", type: "customer.followed_up")])
        let results = try appendChecked(
            [
                [factory.event(id: "c", type: "brand.replied", caseID: "case-2", data: #"{"kind":"answer"}"#)],
                [
                    factory.event(id: "d", type: "brand.replied", data: #"{"kind":"answer"}"#, expectVersion: 2),
                    factory.event(id: "e", type: "case.resolved", data: #"{"resolution":"fixed"}"#),
                    factory.event(id: "f", type: "customer.churned", caseID: nil, data: "{}"),
                ],
            ], to: log)
        #expect(
            results == [
                [.appended(position: 3, version: 1)],
                [
                    .appended(position: 4, version: 3), .appended(position: 5, version: 4),
                    .appended(position: 6, version: nil),
                ],
            ])
        #expect(throws: StoreError.versionConflict(index: 0, caseID: "case-1", expected: 2, actual: 4)) {
            try appendChecked([[factory.event(id: "g", type: "customer.followed_up", expectVersion: 2)]], to: log)
        }
        #expect(try log.head().position == 6, "a conflicting transaction writes nothing")
    }

    /// Everything a store holds but each record's `recorded_at`: records, every index's postings
    /// and every view row.
    func contents(of log: EventLog, ids: [[UInt8]]) throws -> [String] {
        try log.read { reader in
            var lines: [String] = []
            try reader.forEachRecord { record in
                let hash = record.withHash { $0.withUnsafeBufferPointer(Array.init) }
                lines.append("record \(record.position) v\(record.version) \(record.canonicalBytes) \(hash)")
                return true
            }
            for id in ids { lines.append("id \(id) \(try reader.position(ofID: id).map(String.init) ?? "-")") }
            for index in LogIndex.allCases {
                try reader.forEachPosting(in: index) { key, position in
                    lines.append("\(index) \(key.withUnsafeBufferPointer(Array.init)) \(position)")
                    return true
                }
            }
            for table in JourneyViews().tables {
                try reader.views.forEach(table) { key, value in
                    lines.append(
                        "\(table.name) \(key.withUnsafeBufferPointer(Array.init)) \(value.withUnsafeBufferPointer(Array.init))"
                    )
                    return true
                }
            }
            return lines
        }
    }
}
