import Foundation
import PlaintLog
import PlaintTestSupport
import Testing

/// The map grown by another process while this one holds read transactions on two threads:
/// the next transaction adopts the new size once those end (LMDB allows a resize only with no
/// transaction open in the process), and nothing crashes.
@Suite("map grown by another process")
struct MapGrowthTests {
    /// The `plaint` built beside this test bundle.
    static let plaint = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("plaint")

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: plaint.path), "needs the plaint binary"))
    func readersOnTwoThreadsSurviveAMapGrownElsewhere() throws {
        let directory = TemporaryDirectory()
        let store = directory.child("store")
        var factory = EventFactory()
        let log = try EventLog(path: store, access: .write, options: .init(initialMapSize: 256 * 1024))
        _ = try log.exclusively { try log.append([factory.event(id: "first")]) }

        // Two readers hold snapshots until told to let go.
        let letGo = DispatchSemaphore(value: 0)
        let holding = DispatchSemaphore(value: 0)
        let readersDone = DispatchGroup()
        for _ in 0..<2 {
            readersDone.enter()
            Thread.detachNewThread {
                let seen = try? log.read { reader in
                    holding.signal()
                    letGo.wait()
                    return try reader.head().position
                }
                #expect(seen == 1, "a snapshot taken before the growth keeps seeing it")
                readersDone.leave()
            }
        }
        holding.wait()
        holding.wait()

        // Another process appends enough to double a 256 KiB map several times.
        var lines = ""
        for index in 0..<3_000 {
            lines +=
                #"{"id":"grow-\#(index)","type":"complaint.filed","occurred_at":"2024-03-01T09:15:00Z","case":"g\#(index)","customer":"c\#(index)","brand":"acme","channel":"twitter","data":{"text":"\#(String(repeating: "y", count: 300))"}}"#
                + "\n"
        }
        let input = directory.child("grow.ndjson")
        try lines.write(toFile: input, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = Self.plaint
        process.arguments = ["append", "--store", store, input]
        process.environment = ["PLAINT_INITIAL_MAP_SIZE": "262144"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        // A third thread begins a transaction while the two still hold theirs: it must wait for
        // them (adopting the new size) rather than crash, then see every event.
        let third = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var thirdSaw: UInt64?
        Thread.detachNewThread {
            thirdSaw = try? log.read { try $0.head().position }
            third.signal()
        }
        #expect(third.wait(timeout: .now() + 0.3) == .timedOut, "it waits while the readers hold the old map")
        letGo.signal()
        letGo.signal()
        readersDone.wait()
        #expect(third.wait(timeout: .now() + 10) == .success)
        #expect(thirdSaw == 3_001)
        #expect(try log.verify().isIntact)
    }
}
