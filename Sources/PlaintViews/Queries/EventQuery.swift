import Glibc
import PlaintEvents
import PlaintLog
import PlaintSystem

/// Which stored events `plaint events` prints. Every filter given must match; `brands` matches
/// any of its brands.
public struct EventFilter: Sendable {
    public var caseID: String?
    public var customer: String?
    public var brands: [String]
    public var type: EventType?
    /// Bounds on `occurred_at`, both inclusive, in microseconds.
    public var occurredFrom: Int64?
    public var occurredTo: Int64?
    public var fromPosition: UInt64
    public var limit: Int?

    public init(
        caseID: String? = nil, customer: String? = nil, brands: [String] = [], type: EventType? = nil,
        occurredFrom: Int64? = nil, occurredTo: Int64? = nil, fromPosition: UInt64 = 1, limit: Int? = nil
    ) {
        self.caseID = caseID
        self.customer = customer
        self.brands = brands
        self.type = type
        self.occurredFrom = occurredFrom
        self.occurredTo = occurredTo
        self.fromPosition = max(1, fromPosition)
        self.limit = limit
    }

    /// The indexed criteria: each names an index and the keys of which one must hold the event.
    var indexed: [(index: LogIndex, keys: [[UInt8]])] {
        var result: [(LogIndex, [[UInt8]])] = []
        if let caseID { result.append((.case, [Array(caseID.utf8)])) }
        if let customer { result.append((.customer, [Array(customer.utf8)])) }
        if !brands.isEmpty { result.append((.brand, brands.map { Array($0.utf8) })) }
        if let type { result.append((.type, [Array(type.rawValue.utf8)])) }
        return result
    }

    var boundsTime: Bool { occurredFrom != nil || occurredTo != nil }
}

/// Reads stored events through the secondary indexes, never by scanning the log for a filter
/// (the time bounds, which no index holds, are checked on the events the indexes select).
public struct EventQuery {
    let log: EventLog

    public init(log: EventLog) { self.log = log }

    /// Calls `body` for each matching record, in position order, up to the filter's limit, and
    /// with `following`, keeps doing so for records appended later, polling five times a second,
    /// until `shouldStop` says so (checked between polls).
    /// - Parameters:
    ///   - afterEachPass: runs after every pass over what the log held (to flush output).
    ///   - beforeNextPass: runs before looking again (a PostgreSQL store copies its new events).
    public func forEach(
        _ filter: EventFilter, following: Bool, shouldStop: () -> Bool, afterEachPass: () throws -> Void,
        beforeNextPass: () throws -> Void, _ body: (borrowing RecordView) throws -> Void
    ) throws {
        var remaining = filter.limit ?? Int.max
        var next = filter.fromPosition
        repeat {
            let head = try forEach(filter, from: next, limit: remaining) { record in
                try body(record)
                remaining -= 1
            }
            try afterEachPass()
            next = max(next, head + 1)
            guard following, remaining > 0 else { return }
            for _ in 0..<4 where !shouldStop() { usleep(50_000) }
            if shouldStop() { return }
            try beforeNextPass()
        } while !shouldStop()
    }

    /// Calls `body` for each matching record at or after `from`, in position order, up to `limit`.
    /// - Returns: the last position this snapshot holds (to continue from when following).
    @discardableResult
    public func forEach(
        _ filter: EventFilter, from: UInt64, limit: Int? = nil, _ body: (borrowing RecordView) throws -> Void
    ) throws -> UInt64 {
        try log.read { reader in
            var remaining = limit ?? Int.max
            let headPosition = try reader.head().position
            guard remaining > 0 else { return headPosition }
            var time = OccurredAtBounds(from: filter.occurredFrom, to: filter.occurredTo)
            let criteria = filter.indexed
            guard !criteria.isEmpty else {
                var seen = 0
                try reader.forEachRecord(from: from) { record in
                    seen += 1
                    if seen & 0x3FFF == 0 { log.releaseMemory() }
                    guard try !filter.boundsTime || time.contains(record) else { return true }
                    try body(record)
                    remaining -= 1
                    return remaining > 0
                }
                return headPosition
            }
            // Walk the most selective criterion; check the others by exact (key, position) lookups.
            let counts = try criteria.map { criterion in
                try criterion.keys.reduce(0) { $0 + (try reader.count(in: criterion.index, key: $1)) }
            }
            let driver = counts.indices.min { counts[$0] < counts[$1] }!
            let others = criteria.indices.filter { $0 != driver }.map { criteria[$0] }
            func visit(_ position: UInt64) throws -> Bool {
                for (index, keys) in others {
                    guard try keys.contains(where: { try reader.contains(index, key: $0, position: position) }) else {
                        return true
                    }
                }
                let shown = try reader.withRecord(at: position) { record in
                    guard try !filter.boundsTime || time.contains(record) else { return false }
                    try body(record)
                    return true
                }
                if shown { remaining -= 1 }
                return remaining > 0
            }
            let (index, keys) = criteria[driver]
            if keys.count == 1 {
                try reader.forEachPosition(in: index, key: keys[0], from: from, visit)
            } else {
                // Several keys (brands): their positions merged into log order.
                var positions: [UInt64] = []
                for key in keys {
                    try reader.forEachPosition(in: index, key: key, from: from) {
                        positions.append($0)
                        return true
                    }
                }
                positions.sort()
                for position in positions where try !visit(position) { break }
            }
            return headPosition
        }
    }
}

/// Checks a stored event's `occurred_at` against inclusive bounds, reading the time with the
/// scanner and falling back to the full parser.
struct OccurredAtBounds {
    let from: Int64?
    let to: Int64?
    private let scanner = CanonicalEventScanner()
    private var reader = StoredEventReader()

    init(from: Int64?, to: Int64?) {
        self.from = from
        self.to = to
    }

    mutating func contains(_ record: borrowing RecordView) throws -> Bool {
        let position = record.position
        let occurredAt = try record.withCanonical { bytes in
            if let scanned = scanner.scan(bytes) { return scanned.occurredAt.microseconds }
            do { return try reader.read(position: position, canonical: bytes).occurredAt.microseconds } catch {
                throw StoreError.corrupt(position: position, reason: "the stored event does not parse")
            }
        }
        return occurredAt >= (from ?? .min) && occurredAt <= (to ?? .max)
    }
}

/// Prints stored events as NDJSON: the event as appended plus `position`, `version`,
/// `recorded_at` and `hash`.
public struct EventPrinter {
    let output: OutputStream
    private var lastRecordedAt: Int64 = .min
    private var lastRecordedText: [UInt8] = []

    public init(output: OutputStream) { self.output = output }

    public mutating func print(_ record: borrowing RecordView) throws {
        guard record.recordedAtIsPlausible else {
            throw StoreError.corrupt(position: record.position, reason: "recorded_at is outside 1970-2999")
        }
        if record.recordedAtMicroseconds != lastRecordedAt {
            lastRecordedAt = record.recordedAtMicroseconds
            lastRecordedText.removeAll(keepingCapacity: true)
            Timestamp(microseconds: lastRecordedAt).append(to: &lastRecordedText, fractionDigits: 6)
        }
        output.appendLine { line in
            record.withCanonical { body in line.append(contentsOf: body.extracting(..<(body.count - 1))) }
            line.append(#","position":"#)
            line.appendDecimal(record.position)
            line.append(#","version":"#)
            if record.version == 0 { line.append("null") } else { line.appendDecimal(record.version) }
            line.append(#","recorded_at":""#)
            line.append(contentsOf: lastRecordedText)
            line.append(#"","hash":""#)
            record.withHash { line.appendHex($0) }
            line.append("\"}\n")
        }
        try output.flushIfFull()
    }
}

extension [UInt8] {
    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }

    /// The number in decimal, without building a String.
    mutating func appendDecimal(_ value: UInt64) {
        var room: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: UInt64 has at most 20 digits
        Swift.withUnsafeMutableBytes(of: &room) { room in
            var start = room.count
            var rest = value
            repeat {
                start -= 1
                room[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            append(contentsOf: UnsafeRawBufferPointer(rebasing: room[start...]))
        }
    }

    /// The bytes in lowercase hexadecimal, made on the stack and appended in one copy.
    mutating func appendHex(_ bytes: Span<UInt8>) {
        bytes.withUnsafeBufferPointer { bytes in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * bytes.count) { out in
                for index in bytes.indices {
                    out[2 * index] = Self.hexDigit(bytes[index] >> 4)
                    out[2 * index + 1] = Self.hexDigit(bytes[index] & 0xF)
                }
                append(contentsOf: out)
            }
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
