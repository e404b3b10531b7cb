import PlaintEvents
import PlaintLog
import PlaintProjections
import PlaintSystem
import Synchronization

/// Replay's fold of a whole log on two threads, in two steps that each split the work in half:
///
/// 1. decode the events of positions 1...n/2 and n/2+1...n (`DecodedEvents`);
/// 2. walk the case index in two key ranges and assemble each case's journey (`CaseAssembly`).
///
/// The result equals folding the events one by one (`JourneyProjection.apply`), which the
/// property tests check. Each thread reads its own snapshot; positions up to the first
/// snapshot's head are the same in every later one, since the log only grows.
enum ParallelFold {
    /// Below this many events a log is folded on one thread: a second costs more than it saves.
    static let minimumForTwoThreads: UInt64 = 20_000

    static func fold(
        _ log: EventLog, upto: UInt64?, minimumForTwoThreads: UInt64 = minimumForTwoThreads,
        progress: (UInt64, UInt64) -> Void = { _, _ in }
    ) throws -> (JourneyProjection, UInt64) {
        let last = min(upto ?? .max, try log.head().position)
        guard last > 0 else { return (JourneyProjection(), 0) }
        let halves =
            last >= minimumForTwoThreads && last >= 2 ? [1...last / 2, last / 2 + 1...last] : [1...last]
        // Progress in events, the first four fifths for decoding (about its share of the time).
        let decodingShare = last / 5 * 4
        let decoded = try decode(log, halves, total: last) { done in
            progress(done / 5 * 4, last)
        }
        let casedEvents = decoded.reduce(0) { $0 + $1.casedEvents }
        var assemblies = try assemble(log, decoded, upto: last) { postings in
            // This thread assembles about half of the postings.
            let share = min(1, Double(postings * decoded.count) / Double(max(1, casedEvents)))
            progress(decodingShare + UInt64(share * Double(last - decodingShare)), last)
        }
        let postings = assemblies.reduce(0) { $0 + $1.postings }
        guard postings == casedEvents else {
            throw StoreError.corrupt(
                position: last,
                reason: "the case index lists \(postings) events up to here, the log holds \(casedEvents) with a case")
        }
        var relationshipEvents: [(entry: JourneyEntry, customer: [UInt8], brand: [UInt8])] = []
        for part in decoded {
            for index in part.relationshipIndexes {
                let position = part.first + UInt64(index)
                let event = part[position]
                part.withParties(event) { customer, brand, _ in
                    relationshipEvents.append(
                        (DecodedEvents.entry(event, position: position), Array(customer), Array(brand)))
                }
            }
        }
        // The first part's journeys are moved, not copied: copying every journey retains each of
        // its arrays, a cost that grows with what a journey holds.
        var journeys: [CaseJourney] = []
        swap(&journeys, &assemblies[0].journeys)
        for index in assemblies.indices.dropFirst() { journeys.append(contentsOf: assemblies[index].journeys) }
        let projection = JourneyProjection(
            journeys: journeys, relationshipEvents: relationshipEvents, events: Int(last),
            latestOccurredAt: decoded.compactMap(\.latestOccurredAt).max())
        progress(last, last)
        return (projection, last)
    }

    /// Step 1: each range on its own thread, the first on this one (which reports progress).
    private static func decode(
        _ log: EventLog, _ ranges: [ClosedRange<UInt64>], total: UInt64, progress: (UInt64) -> Void
    ) throws -> [DecodedEvents] {
        let othersDone = Counter()
        let others = ranges.dropFirst().map { range in
            Concurrent("replay-decode") {
                try log.read { reader in
                    try DecodedEvents.decode(reader, positions: range) { othersDone.set(range, $0) }
                }
            }
        }
        let first = Result {
            try log.read { reader in
                try DecodedEvents.decode(reader, positions: ranges[0]) { progress($0 + othersDone.total) }
            }
        }
        let rest = others.map { worker in Result { try worker.value() } }
        return try [first.get()] + rest.map { try $0.get() }
    }

    /// Step 2: the case index split at the median of the sampled case ids, one half per thread.
    private static func assemble(
        _ log: EventLog, _ decoded: [DecodedEvents], upto last: UInt64, progress: (Int) -> Void
    ) throws -> [CaseAssembly] {
        let samples = decoded.flatMap(\.sampledCases).map(IndexKey.make).sorted(by: bytesPrecede)
        guard decoded.count > 1, let split = samples.isEmpty ? nil : samples[samples.count / 2] else {
            return [
                try log.read {
                    try CaseAssembly.assemble($0, from: nil, to: nil, upto: last, decoded: decoded, progress: progress)
                }
            ]
        }
        let upper = Concurrent("replay-assemble") {
            try log.read { try CaseAssembly.assemble($0, from: split, to: nil, upto: last, decoded: decoded) }
        }
        let lower = Result {
            try log.read {
                try CaseAssembly.assemble($0, from: nil, to: split, upto: last, decoded: decoded, progress: progress)
            }
        }
        let higher = Result { try upper.value() }
        return [try lower.get(), try higher.get()]
    }

    /// Events decoded so far by the other threads, for the progress line.
    private final class Counter: Sendable {
        private let done = Mutex<[UInt64: UInt64]>([:])

        func set(_ range: ClosedRange<UInt64>, _ count: UInt64) { done.withLock { $0[range.lowerBound] = count } }
        var total: UInt64 { done.withLock { $0.values.reduce(0, +) } }
    }
}
