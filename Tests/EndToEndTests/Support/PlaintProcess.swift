import Foundation

/// Runs the built `plaint` binary, as a user or a script would.
struct Plaint {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String

        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// The `plaint` built next to this test bundle.
    static let executable: URL = {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let beside = bundleDirectory.appendingPathComponent("plaint")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/plaint")
    }()

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    let store: String
    /// Variables every run gets (a PostgreSQL store's local view directory, say).
    var environment: [String: String] = [:]

    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Output {
        let (process, input, output, errors) = try start(arguments, environment: environment)
        // Read both pipes while the process runs, so a large output cannot block it.
        let group = DispatchGroup()
        nonisolated(unsafe) var stdoutData = Data()
        nonisolated(unsafe) var stderrData = Data()
        group.enter()
        DispatchQueue.global().async {
            stdoutData = output.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            stderrData = errors.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: stderrData, as: UTF8.self))
    }

    /// Starts `plaint` without waiting, for commands that keep running.
    func start(_ arguments: [String], environment: [String: String] = [:]) throws -> (Process, Pipe, Pipe, Pipe) {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments + ["--store", store]
        var variables = ProcessInfo.processInfo.environment
        variables.removeValue(forKey: "PLAINT_STORE")
        variables.removeValue(forKey: "PLAINT_VIEWS")
        for (key, value) in self.environment.merging(environment, uniquingKeysWith: { $1 }) { variables[key] = value }
        process.environment = variables
        let output = Pipe()
        let errors = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        return (process, input, output, errors)
    }
}

/// A temporary directory per test.
final class Scratch {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("plaint-e2e-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = path(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// Small events for tests, one NDJSON line each.
enum Events {
    static func complaint(
        _ id: String, case caseID: String = "case-1", customer: String = "cust-1", brand: String = "acme",
        at time: String = "2024-03-01T09:15:00Z", text: String = "slow line"
    ) -> String {
        #"{"id":"\#(id)","type":"complaint.filed","occurred_at":"\#(time)","case":"\#(caseID)","customer":"\#(customer)","brand":"\#(brand)","channel":"twitter","data":{"text":"\#(text)"}}"#
    }

    static func reply(
        _ id: String, case caseID: String = "case-1", customer: String = "cust-1", brand: String = "acme",
        kind: String = "answer"
    ) -> String {
        #"{"id":"\#(id)","type":"brand.replied","occurred_at":"2024-03-01T10:00:00Z","case":"\#(caseID)","customer":"\#(customer)","brand":"\#(brand)","channel":"twitter","data":{"kind":"\#(kind)"}}"#
    }

    static func lines(_ events: String...) -> String { events.joined(separator: "\n") + "\n" }
}

func json(_ text: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
}
