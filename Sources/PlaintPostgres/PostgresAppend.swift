import Crypto
import Glibc
import NIOCore
import PlaintEvents
import PlaintIngest
import PlaintLog
import PlaintSystem
import PostgresNIO

extension PostgresLog {
    /// Events per statement: their ids are looked up, and they are inserted, together.
    static let chunkSize = 2_000

    /// Appends every line of `inputs` (paths; `-` is standard input) in one transaction: all or
    /// nothing, as with an LMDB store. Identical re-appends are duplicates, an id with other
    /// content or an `expect_version` mismatch is a conflict (nothing is written), positions and
    /// hashes are assigned under the head row's lock.
    ///
    /// Should the connection be lost or the leader change, the whole input is appended again on
    /// the server that accepts writes next: whatever the first try committed is then found
    /// stored and counted as duplicates, so nothing is stored twice. Standard input is kept in a
    /// temporary file for that.
    public func append(inputs: [String]) async throws -> AppendSummary {
        let replayable = try ReplayableInputs(inputs)
        defer { replayable.remove() }
        return try await withConnection { connection in
            try await createLogIfMissing(connection)
            try await connection.query("BEGIN", logger: Self.logger)
            do {
                let (head, lastRecordedAt) = try await Self.lockedHead(connection)
                var transaction = AppendTransaction(connection: connection, head: head, lastRecordedAt: lastRecordedAt)
                try await transaction.run(replayable)
                let summary = try await transaction.finish()
                try await connection.query("COMMIT", logger: Self.logger)
                return summary
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: Self.logger)
                throw error
            }
        }
    }
}

/// The inputs as files that can be read again: standard input is copied to a temporary file.
struct ReplayableInputs: Sendable {
    /// (path to read, name for messages)
    var files: [(path: String, name: String)] = []
    private var temporary: String?

    init(_ inputs: [String]) throws {
        for input in inputs.isEmpty ? ["-"] : inputs {
            if input == "-" {
                let path = try temporary ?? Self.copyStandardInput()
                temporary = path
                files.append((path, "<stdin>"))
            } else {
                files.append((input, input))
            }
        }
    }

    func remove() { if let temporary { unlink(temporary) } }

    static func copyStandardInput() throws -> String {
        var template = Array("/tmp/plaint-stdin-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw InputError.unreadable(path: "<stdin>", reason: "cannot make a temporary copy")
        }
        defer { close(descriptor) }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress!, $0.count) }
            if count == 0 { break }
            guard count > 0 else {
                throw InputError.unreadable(path: "<stdin>", reason: String(cString: strerror(errno)))
            }
            var written = 0
            while written < count {
                let result = buffer.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, count - written) }
                guard result > 0 else {
                    throw InputError.unreadable(
                        path: "<stdin>", reason: "cannot keep a copy: \(String(cString: strerror(errno)))")
                }
                written += result
            }
        }
        return path
    }
}

/// One append's transaction: checks each chunk of events against the stored log and the
/// input's earlier lines, numbers and chains them, and inserts them while no line has failed.
struct AppendTransaction {
    let connection: PostgresConnection
    var position: UInt64
    var previousHash: [UInt8]
    let recordedAt: Int64
    /// The input's accepted events by id: the SHA-256 of their canonical form, and where they came from.
    var accepted: [String: (digest: SHA256.Digest, input: String, line: Int)] = [:]
    /// Versions of the cases met, once the accepted events are counted.
    var caseVersions: [String: UInt64] = [:]
    var summary = AppendSummary()
    var invalid = 0
    var conflicts = 0
    var listed: [LineProblem] = []
    var pending: [(event: PreparedEvent, input: String, line: Int)] = []

    /// `recorded_at` never decreases along the log: the transaction's time, or the head's if later.
    init(connection: PostgresConnection, head: LogHead, lastRecordedAt: Int64) {
        self.connection = connection
        position = head.position
        previousHash = head.hash
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        recordedAt = max(Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1000, lastRecordedAt)
    }

    var failed: Bool { invalid + conflicts > 0 }

    mutating func run(_ inputs: ReplayableInputs) async throws {
        var preparer = EventPreparer()
        for (path, name) in inputs.files {
            var reader: LineReader
            if name == "<stdin>" {
                let descriptor = open(path, O_RDONLY)
                guard descriptor >= 0 else { throw InputError.unreadable(path: name, reason: "its copy is gone") }
                reader = LineReader(descriptor: descriptor, name: name, owns: true)
            } else {
                reader = try LineReader(path: path)
            }
            reading: while true {
                switch try reader.next() {
                case .end, .timedOut: break reading
                case .tooLong(let number):
                    problem(LineProblem(input: name, line: number, kind: .invalid(Self.tooLong)), conflict: false)
                    try reader.readRestOfLine { _ in }
                case .line(let number):
                    let event: PreparedEvent
                    do throws(EventValidationError) {
                        event = try reader.withLine { (line) throws(EventValidationError) in try preparer.prepare(line)
                        }
                    } catch {
                        problem(LineProblem(input: name, line: number, kind: .invalid(error)), conflict: false)
                        continue reading
                    }
                    pending.append((event, name, number))
                    if pending.count == PostgresLog.chunkSize { try await flush() }
                }
            }
        }
        try await flush()
    }

    static let tooLong = EventValidationError(
        field: nil,
        message: "line longer than \(LineReader.maximumLineLength) bytes (one event per line, at most 1 MiB)")

    mutating func problem(_ problem: LineProblem, conflict: Bool) {
        if conflict { conflicts += 1 } else { invalid += 1 }
        if listed.count < Appender.listedProblems { listed.append(problem) }
    }

    /// Checks the pending events against the store and the input so far; inserts the new ones
    /// unless a line has failed.
    mutating func flush() async throws {
        guard !pending.isEmpty else { return }
        let chunk = pending
        pending.removeAll(keepingCapacity: true)
        Watchdog.beat()
        let ids = chunk.map { String(decoding: $0.event.id, as: UTF8.self) }
        var stored: [String: (position: Int64, canonical: ByteBuffer)] = [:]
        let lookup = try await connection.query(
            "SELECT id, position, canonical FROM plaint.events WHERE id = ANY(\(ids))", logger: PostgresLog.logger)
        for try await (id, position, canonical) in lookup.decode((String, Int64, ByteBuffer).self) {
            stored[id] = (position, canonical)
        }
        let unknownCases = Set(chunk.compactMap { $0.event.caseID.map { String(decoding: $0, as: UTF8.self) } })
            .filter { caseVersions[$0] == nil }
        if !unknownCases.isEmpty {
            let names = Array(unknownCases)
            for name in names { caseVersions[name] = 0 }
            let versions = try await connection.query(
                "SELECT case_id, max(version) FROM plaint.events WHERE case_id = ANY(\(names)) GROUP BY case_id",
                logger: PostgresLog.logger)
            for try await (name, version) in versions.decode((String, Int64).self) {
                caseVersions[name] = UInt64(version)
            }
        }

        var rows = InsertRows()
        for ((event, input, line), id) in zip(chunk, ids) {
            func conflict(_ reason: String) {
                problem(LineProblem(input: input, line: line, kind: .conflict("conflict: " + reason)), conflict: true)
            }
            if let earlier = stored[id] {
                if earlier.canonical.readableBytesView.elementsEqual(event.canonical) {
                    summary.duplicates += 1
                } else {
                    conflict(
                        "an event with id \"\(id)\" is already stored at position \(earlier.position) with other content"
                    )
                }
                continue
            }
            let digest = SHA256.hash(data: event.canonical)
            if let earlier = accepted[id] {
                if earlier.digest == digest {
                    summary.duplicates += 1
                } else {
                    conflict("id \"\(id)\" was already given other content at \(earlier.input):\(earlier.line)")
                }
                continue
            }
            var version: UInt64?
            if let caseID = event.caseID.map({ String(decoding: $0, as: UTF8.self) }) {
                let current = caseVersions[caseID] ?? 0
                if let expected = event.expectVersion, expected != current {
                    conflict("expect_version \(expected) but case \"\(caseID)\" is at version \(current)")
                    continue
                }
                version = current + 1
                caseVersions[caseID] = current + 1
            }
            accepted[id] = (digest, input, line)
            position += 1
            let hash = HashChain.link(previous: previousHash, position: position, canonical: event.canonical)
            previousHash = hash
            summary.appended += 1
            if summary.firstPosition == nil { summary.firstPosition = position }
            summary.lastPosition = position
            rows.add(event, id: id, position: position, version: version, recordedAt: recordedAt, hash: hash)
        }
        if !failed, !rows.positions.isEmpty { try await rows.insert(connection) }
        Watchdog.beat()
    }

    /// Ends the input: fails it when a line failed, else moves the head.
    mutating func finish() async throws -> AppendSummary {
        try await flush()
        if invalid > 0 {
            throw AppendError.invalidInput(problems: listed, total: invalid + conflicts, committed: AppendSummary())
        }
        if conflicts > 0 { throw AppendError.conflict(problems: listed, total: conflicts, committed: AppendSummary()) }
        let hash = ByteBuffer(bytes: previousHash)
        try await connection.query(
            """
            UPDATE plaint.head SET position = \(Int64(position)), hash = \(hash), recorded_at = \(recordedAt)
            """, logger: PostgresLog.logger)
        return summary
    }
}

/// A chunk's new events as columns, inserted by one `unnest` statement.
struct InsertRows {
    var positions: [Int64] = []
    var ids: [String] = []
    /// Empty for an event without a case (case ids are never empty), 0 for no version.
    var cases: [String] = []
    var versions: [Int64] = []
    var types: [String] = []
    var customers: [String] = []
    var brands: [String] = []
    var occurredAt: [Int64] = []
    var recordedAt: [Int64] = []
    var canonicals: [ByteBuffer] = []
    var hashes: [ByteBuffer] = []

    mutating func add(
        _ event: PreparedEvent, id: String, position: UInt64, version: UInt64?, recordedAt time: Int64, hash: [UInt8]
    ) {
        positions.append(Int64(position))
        ids.append(id)
        cases.append(event.caseID.map { String(decoding: $0, as: UTF8.self) } ?? "")
        versions.append(Int64(version ?? 0))
        types.append(event.type.rawValue)
        customers.append(String(decoding: event.customer, as: UTF8.self))
        brands.append(String(decoding: event.brand, as: UTF8.self))
        occurredAt.append(event.occurredAt.microseconds)
        recordedAt.append(time)
        canonicals.append(ByteBuffer(bytes: event.canonical))
        hashes.append(ByteBuffer(bytes: hash))
    }

    func insert(_ connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO plaint.events
                (position, id, case_id, version, type, customer, brand, occurred_at, recorded_at, canonical, hash)
            SELECT p, i, NULLIF(c, ''), NULLIF(v, 0), t, cu, b, o, r, ca, h
            FROM unnest(\(positions)::bigint[], \(ids)::text[], \(cases)::text[], \(versions)::bigint[],
                \(types)::text[], \(customers)::text[], \(brands)::text[], \(occurredAt)::bigint[],
                \(recordedAt)::bigint[], \(canonicals)::bytea[], \(hashes)::bytea[])
                AS rows (p, i, c, v, t, cu, b, o, r, ca, h)
            """, logger: PostgresLog.logger)
    }
}
