import Foundation
import Testing

/// The PostgreSQL cluster that tests of PostgreSQL stores use: the one `$PLAINT_TEST_POSTGRES`
/// names (a store URL), else a 3-node cluster this test run starts with `tools/pg-cluster.sh`
/// when PostgreSQL 15, Patroni and etcd are installed, and stops when the run ends. Without
/// either, those tests are skipped, and the skip says why.
enum TestCluster {
    enum State {
        case running(url: String, directory: String?)
        case unavailable(String)
    }

    static let state: State = {
        if let url = ProcessInfo.processInfo.environment["PLAINT_TEST_POSTGRES"], !url.isEmpty {
            return .running(url: url, directory: nil)
        }
        let needed = ["/usr/lib/postgresql/15/bin/postgres", "/usr/bin/patroni", "/usr/bin/etcd"]
        if let missing = needed.first(where: { !FileManager.default.isExecutableFile(atPath: $0) }) {
            return .unavailable(
                "PostgreSQL tests skipped: \(missing) is not installed (tools/pg-cluster.sh install installs "
                    + "postgresql, patroni and etcd-server)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "plaint-test-cluster-\(getpid())"
        ).path
        // A port range of its own, so that a cluster left by another run cannot answer.
        let base = 40_000 + Int(getpid() % 200) * 40
        let result = script(["start", directory], environment: ["PG_CLUSTER_PORT_BASE": String(base)])
        guard result.status == 0, let url = result.stdout.split(separator: "\n").last.map(String.init),
            url.hasPrefix("postgres://")
        else {
            _ = script(["stop", directory])
            return .unavailable(
                "PostgreSQL tests skipped: the test cluster did not start: \(result.stderr.suffix(800))")
        }
        startedDirectory = directory
        atexit {
            guard let directory = startedDirectory else { return }
            _ = TestCluster.script(["stop", directory])
            try? FileManager.default.removeItem(atPath: directory)
        }
        return .running(url: url, directory: directory)
    }()

    nonisolated(unsafe) static var startedDirectory: String?

    static var url: String? {
        if case .running(let url, _) = state { return url }
        return nil
    }

    static var isAvailable: Bool { url != nil }

    static var skipReason: Comment {
        if case .unavailable(let reason) = state { return Comment(rawValue: reason) }
        return "PostgreSQL is available"
    }

    /// The cluster's directory, when this run started it (`leader` needs it).
    static var directory: String? {
        if case .running(_, let directory) = state { return directory }
        return nil
    }

    /// A new empty database on the cluster, as a store URL: each test gets its own log.
    static func freshStore() throws -> String {
        let url = try #require(url, "no cluster")
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        let result = psql(database: "postgres", "CREATE DATABASE \(name)")
        #expect(result.status == 0, "CREATE DATABASE: \(result.stderr)")
        return url.replacingDatabase(with: String(name))
    }

    /// Runs SQL with psql against the server that accepts writes.
    static func psql(database: String, _ sql: String, store: String? = nil) -> (
        status: Int32, stdout: String, stderr: String
    ) {
        let target = (store ?? url ?? "").replacingDatabase(with: database) + "?target_session_attrs=read-write"
        return run("/usr/bin/psql", [target, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql])
    }

    /// Runs `tools/pg-cluster.sh` with posix_spawn and waitpid, its output in temporary files:
    /// it may run while the test runner is still discovering tests, where Foundation's `Process`
    /// does not always see its child end.
    static func script(_ arguments: [String], environment: [String: String] = [:]) -> (
        status: Int32, stdout: String, stderr: String
    ) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("pg-cluster-\(UUID().uuidString)").path
        let (outPath, errPath) = (base + ".out", base + ".err")
        defer {
            unlink(outPath)
            unlink(errPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ["/bin/bash", Plaint.packageRoot.appendingPathComponent("tools/pg-cluster.sh").path] + arguments
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0)=\($1)" }
        var cArguments = argv.map { strdup($0) } + [nil]
        var cEnvironment = variables.map { strdup($0) } + [nil]
        defer {
            for argument in cArguments { free(argument) }
            for variable in cEnvironment { free(variable) }
        }
        var pid = pid_t()
        guard posix_spawn(&pid, "/bin/bash", &actions, nil, &cArguments, &cEnvironment) == 0 else {
            return (-1, "", "cannot start tools/pg-cluster.sh")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        let exited = status & 0x7F == 0
        return (exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F), read(outPath), read(errPath))
    }

    static func run(_ executable: String, _ arguments: [String], _ environment: [String: String] = [:]) -> (
        status: Int32, stdout: String, stderr: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return (-1, "", "\(error)") }
        nonisolated(unsafe) var errorData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorData = errors.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        group.wait()
        return (
            process.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: errorData, as: UTF8.self)
        )
    }
}

extension String {
    /// A store URL with another database.
    func replacingDatabase(with database: String) -> String {
        guard let slash = range(of: "/", options: .backwards) else { return self }
        return String(self[..<slash.upperBound]) + database
    }
}
