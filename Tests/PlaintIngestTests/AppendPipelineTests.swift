import Foundation
import PlaintEvents
import PlaintLog
import PlaintSystem
import Testing

@testable import PlaintIngest

/// The threads of a checked append: lines prepared by several workers come back in input order,
/// and a spool is read back whole, in order, in batches.
@Suite("append pipeline")
struct AppendPipelineTests {
    /// Line `n` is an event with id `e<n>`, except every 97th, which lacks its type; blank lines
    /// are sprinkled in, so line numbers and event counts differ.
    static func input(events: Int) -> (text: String, numbers: [Int], invalid: Set<Int>) {
        var text = ""
        var numbers: [Int] = []
        var invalid: Set<Int> = []
        var line = 0
        for index in 1...events {
            if index % 50 == 0 {
                text += "\n"
                line += 1
            }
            line += 1
            numbers.append(line)
            let type = index % 97 == 0 ? "" : #""type":"case.escalated","#
            if type.isEmpty { invalid.insert(line) }
            text += #"{"id":"e\#(index)",\#(type)"occurred_at":"2024-01-01T00:00:00Z","#
            text += #""customer":"c","brand":"b","case":"k\#(index % 7)","data":{"to":"regulator"}}"# + "\n"
        }
        return (text, numbers, invalid)
    }

    func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lines-\(UUID().uuidString)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: [1, 2, 3])
    func preparedLinesKeepInputOrderWhateverTheWorkers(workers: Int) throws {
        let (text, numbers, invalid) = Self.input(events: 5_000)
        let path = try file(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lines = PreparedLines(path: path, input: 3, keepRaw: true, chunkSize: 64, workers: workers)
        let source = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.utf8) }
        var seen: [Int] = []
        var rejected: Set<Int> = []
        var preparer = EventPreparer()
        reading: while true {
            switch lines.next() {
            case .lines(let chunk):
                for line in chunk.lines {
                    seen.append(line.number)
                    switch line.outcome {
                    case .record(let start):
                        // The record holds the event as preparing the line alone gives it.
                        let size = chunk.records.withUnsafeBytes { SpoolRecord.size(at: start, in: $0) }
                        let entry = SpoolRecord.decode(chunk.records[start + 4..<start + size])
                        #expect(entry.event == (try preparer.prepare(source[line.number - 1])))
                        #expect(entry.event.id == Array("e\(seen.count)".utf8))
                        #expect(entry.input == 3 && entry.line == line.number)
                        // With a rejects file possible (keepRaw), the record keeps the line as
                        // read, so no copy of it is kept apart.
                        let raw = chunk.records.withUnsafeBytes {
                            SpoolRecord.View(UnsafeRawBufferPointer(rebasing: $0[start..<start + size])).raw.map(
                                Array.init)
                        }
                        #expect(raw == source[line.number - 1])
                        #expect(line.raw.isEmpty)
                    case .invalid(let error):
                        #expect(error.field == "type")
                        #expect(line.raw == source[line.number - 1], "an invalid line is kept for the rejects file")
                        rejected.insert(line.number)
                    }
                }
                // As the append does: the workers free what the caller is done with.
                lines.recycle(chunk)
            case .failed(let error): Issue.record("unexpected \(error)")
            case .end: break reading
            }
        }
        #expect(seen == numbers)
        #expect(rejected == invalid)
    }

    @Test(.timeLimit(.minutes(1)))
    func aMissingInputFailsInOrderAndCancellingStopsEveryThread() throws {
        let missing = PreparedLines(path: "/nonexistent/plaint-input", keepRaw: false)
        guard case .failed(.missing) = missing.next() else {
            Issue.record("expected the missing file to be reported")
            return
        }
        missing.cancel()
        let path = try file(Self.input(events: 20_000).text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lines = PreparedLines(path: path, keepRaw: false, chunkSize: 16, depth: 1)
        guard case .lines = lines.next() else {
            Issue.record("expected a first chunk")
            return
        }
        // The reader and workers are blocked on full queues; cancelling wakes them all, and the
        // caller's next call returns instead of waiting.
        lines.cancel()
        var queued = 0
        while case .lines = lines.next() { queued += 1 }
        #expect(queued <= 1, "at most one chunk is in flight (depth 1)")
    }

    /// A writer that gives up after its first batch cancels the read-back: both of its threads,
    /// blocked on full queues, wake and stop, and the writer's next call returns at once.
    @Test(.timeLimit(.minutes(1)))
    func cancellingTheReadBackStopsBothThreads() throws {
        var spool = try Spool(directory: FileManager.default.temporaryDirectory.path)
        var preparer = EventPreparer()
        let (text, _, _) = Self.input(events: 20_000)
        for (index, line) in text.split(separator: "\n").enumerated() {
            let bytes = Array(line.utf8)
            guard (try? preparer.prepare(bytes)) != nil else { continue }
            var record: [UInt8] = []
            try bytes.withUnsafeBufferPointer {
                SpoolRecord.append(try preparer.prepareParts($0.span), raw: nil, input: 0, line: index, to: &record)
            }
            try record.withUnsafeBytes { _ = try spool.write(record: $0) }
        }
        let batches = SpoolBatches(
            try spool.readBack(), batchSize: 100, after: LogHead(position: 0, hash: HashChain.genesis))
        guard case .events = batches.next() else {
            Issue.record("expected a first batch")
            return
        }
        batches.cancel()
        var queued = 0
        while case .events = batches.next() { queued += 1 }
        #expect(queued <= 3, "at most the batches already queued are taken after cancelling")
    }

    /// Segments of 4,096 bytes: records straddle them, and the read-back closes dozens as it goes.
    @Test(arguments: [SpoolSegments.defaultSegmentSize, 4_096])
    func aSpoolIsReadBackWholeInOrderInBatches(segmentSize: Int64) throws {
        var spool = try Spool(directory: FileManager.default.temporaryDirectory.path, segmentSize: segmentSize)
        var preparer = EventPreparer()
        let (text, _, invalid) = Self.input(events: 3_000)
        var written: [(canonical: [UInt8], text: [UInt8], line: Int)] = []
        var offsets: [Int64] = []
        for (index, line) in text.split(separator: "\n").enumerated() {
            let bytes = Array(line.utf8)
            guard let event = try? preparer.prepare(bytes) else { continue }
            // As the preparers and the checker do: a record from the parts, read in place.
            var record: [UInt8] = []
            try bytes.withUnsafeBufferPointer {
                SpoolRecord.append(try preparer.prepareParts($0.span), raw: $0, input: 1, line: index, to: &record)
            }
            try record.withUnsafeBytes { record in
                let view = SpoolRecord.View(record)
                #expect(Array(view.id) == event.id)
                #expect(view.caseID.map { Array($0) } == event.caseID)
                #expect(Array(view.canonical) == event.canonical)
                #expect(view.raw.map(Array.init) == bytes)
                #expect(view.expectVersion == nil)
                #expect(view.input == 1 && view.line == index)
                offsets.append(try spool.write(record: record))
            }
            written.append((event.canonical, bytes, index))
        }
        #expect(written.count == 3_000 - invalid.count)
        let head = LogHead(position: 41, hash: HashChain.link(previous: HashChain.genesis, position: 41, canonical: []))
        let batches = SpoolBatches(try spool.readBack(), batchSize: 1_000, after: head)
        var previous = head.hash
        var position = head.position
        var read: [[UInt8]] = []
        var sizes: [Int] = []
        reading: while true {
            switch batches.next() {
            case .events(let batch):
                sizes.append(batch.events.count)
                read += batch.events.map(\.canonical)
                // The events are linked in one chain from the given head, across batches.
                #expect(batch.links.firstPosition == position + 1 && batch.links.previous == previous)
                for (index, event) in batch.events.enumerated() {
                    position += 1
                    previous = HashChain.link(previous: previous, position: position, canonical: event.canonical)
                    let linked: [UInt8] = Array(batch.links.hashes[(index * 32)..<(index * 32 + 32)])
                    #expect(linked == previous)
                }
                batches.recycle(batch)
            case .failed(let error): Issue.record("unexpected \(error)")
            case .end: break reading
            }
        }
        #expect(read == written.map(\.canonical))
        #expect(sizes == [1_000, 1_000, written.count - 2_000])
        // The spool stays usable for the checker's random reads after the read-back.
        for index in [0, 1, written.count / 2, written.count - 1] {
            try spool.record(at: offsets[index]).withUnsafeBytes {
                let view = SpoolRecord.View($0)
                #expect(view.raw.map(Array.init) == written[index].text)
                #expect(view.input == 1 && view.line == written[index].line)
            }
        }
    }

    /// The read-back's own descriptors close the segments it has passed (so the kernel frees
    /// them at once), while the spool's descriptors, apart, still read every segment.
    @Test func closingPassedSegmentsLeavesTheRestAndTheSpoolReadable() throws {
        var segments = try SpoolSegments(directory: FileManager.default.temporaryDirectory.path, segmentSize: 4_096)
        defer { segments.closeAll() }
        let bytes = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        try segments.write(Array(bytes[..<7_000]), at: 0)
        try segments.write(Array(bytes[7_000...]), at: 7_000)
        var reader = try segments.duplicated()
        defer { reader.closeAll() }
        #expect(try reader.read(20_000, at: 0) == bytes)
        reader.close(before: 8_192 + 100)
        #expect(throws: InputError.self) { try reader.read(10, at: 4_000) }
        #expect(throws: InputError.self) { try reader.read(10, at: 8_190) }
        #expect(try reader.read(11_708, at: 8_292) == Array(bytes[8_292...]))
        #expect(try segments.read(9_000, at: 0) == Array(bytes[..<9_000]))
    }

    @Test func aRecordCarriesExpectVersion() throws {
        var preparer = EventPreparer()
        let line = Array(
            (#"{"id":"x","type":"case.escalated","occurred_at":"2024-01-01T00:00:00Z","customer":"c","#
                + #""brand":"b","case":"k","expect_version":7,"data":{"to":"regulator"}}"#).utf8)
        var record: [UInt8] = []
        try line.withUnsafeBufferPointer {
            SpoolRecord.append(try preparer.prepareParts($0.span), raw: nil, input: 0, line: 1, to: &record)
        }
        #expect(record.withUnsafeBytes { SpoolRecord.View($0).expectVersion } == 7)
        #expect(record.withUnsafeBytes { SpoolRecord.View($0).raw } == nil, "no rejects file: the line is not kept")
        #expect(SpoolRecord.decode(record[4...]).event == (try preparer.prepare(line)))
    }
}
