import PlaintEvents
import PlaintLog
import PlaintProjections

/// One line of a case's timeline: the journey entry plus what a reader needs from the event.
public struct TimelineLine: Sendable {
    public var entry: JourneyEntry
    public var id: String
    /// Who acted: `customer`, `brand`, or for an escalation, resolution or reopening the event's
    /// `data.by` (`case` when it does not say).
    public var role: String
    /// The brand's agent (`data.agent` of a reply), when given.
    public var agent: String?
    public var text: String?
    /// The case's state after this event (`--steps`).
    public var state: JourneyState?

    /// The actor as a person reads it: `brand (agent18)`.
    public var actor: String { agent.map { "\(role) (\($0))" } ?? role }
}

/// Something in a case's events that a reader should weigh before trusting its figures.
public enum JourneyAnomaly: Sendable, Equatable {
    /// The case has events but no `complaint.filed`.
    case noComplaint
    /// A reply (at `replyPosition`) occurred before the request it answers.
    case clockSkew(replyPosition: UInt64, replyAt: Int64, filedAt: Int64)
    /// The first response came more than `staleAfter` after the request.
    case staleResponse(responseTime: Int64, staleAfter: Int64)
}

/// A case's journey as `plaint journey CASE` shows it.
public struct JourneyDetail: Sendable {
    public var journey: CaseJourney
    public var timeline: [TimelineLine]
    /// Figures from the events that occurred by `at`.
    public var figures: CaseFigures
    public var status: RequestStatus?
    public var anomalies: [JourneyAnomaly]
    /// Whether the first response came more than `staleAfter` after the request.
    public var staleResponse: Bool
    public var at: Int64
    public var window: Int64

    /// Reads the case's stored journey and its events (from the case's own index).
    public static func load(
        _ caseID: String, log: EventLog, at: Int64?, window: Int64,
        staleAfter: Int64 = ResponsivenessQuery.defaultStaleAfter
    ) throws -> JourneyDetail {
        try log.read { reader in
            let info = try JourneyViews.currentInfo(reader, log: log)
            guard let journey = try JourneyViews.journey(Array(caseID.utf8), in: reader.views) else {
                throw QueryError.unknownCase(caseID)
            }
            return try read(
                journey, in: reader, at: at ?? info.latestOccurredAt ?? 0, window: window, staleAfter: staleAfter)
        }
    }

    /// The detail of a stored journey, its events read from the log inside `reader`'s transaction.
    static func read(_ journey: CaseJourney, in reader: LogReader, at: Int64, window: Int64, staleAfter: Int64) throws
        -> JourneyDetail
    {
        var lines: [UInt64: (id: String, role: String, agent: String?, text: String?)] = [:]
        var parser = JSONParser()
        try reader.forEachPosition(in: .case, key: journey.caseID) { position in
            let parsed = try reader.withRecord(at: position) { record in
                record.withCanonical { body in (try? parser.parse(body)) != nil }
            }
            lines[position] = parsed ? describe(parser.tape) : ("", "", nil, nil)
            return true
        }
        let states = CaseFigures.steps(journey.entries)
        let timeline = zip(journey.entries, states).map { entry, state in
            let line = lines[entry.position]
            return TimelineLine(
                entry: entry, id: line?.id ?? "", role: line?.role ?? "", agent: line?.agent, text: line?.text,
                state: state)
        }
        let figures = CaseFigures(journey.entries, at: at)
        return JourneyDetail(
            journey: journey, timeline: timeline, figures: figures,
            status: RequestStatus.of(figures, at: at, window: window),
            anomalies: anomalies(of: journey, figures: figures, staleAfter: staleAfter),
            staleResponse: ResponsivenessAccumulator.isStale(figures, after: staleAfter), at: at, window: window)
    }

    static func anomalies(of journey: CaseJourney, figures: CaseFigures, staleAfter: Int64) -> [JourneyAnomaly] {
        var found: [JourneyAnomaly] = []
        if !figures.hasComplaint { found.append(.noComplaint) }
        if let filedAt = figures.filedAt {
            for entry in journey.entries where entry.type == .brandReplied && entry.occurredAt < filedAt {
                found.append(.clockSkew(replyPosition: entry.position, replyAt: entry.occurredAt, filedAt: filedAt))
            }
        }
        if ResponsivenessAccumulator.isStale(figures, after: staleAfter), let responseTime = figures.firstResponseTime {
            found.append(.staleResponse(responseTime: responseTime, staleAfter: staleAfter))
        }
        return found
    }

    private static let names = (
        id: Array("id".utf8), type: Array("type".utf8), data: Array("data".utf8), text: Array("text".utf8),
        agent: Array("agent".utf8), by: Array("by".utf8), to: Array("to".utf8), reason: Array("reason".utf8),
        description: Array("description".utf8)
    )

    /// The id, actor (role and agent) and text excerpt of a parsed stored event.
    static func describe(_ tape: JSONTape) -> (id: String, role: String, agent: String?, text: String?) {
        let names = Self.names
        let id = tape.member(names.id, of: 0).map(tape.string) ?? ""
        let type = tape.member(names.type, of: 0).map(tape.string) ?? ""
        let data = tape.member(names.data, of: 0).flatMap { tape[$0].kind == .object ? $0 : nil }
        func dataString(_ name: [UInt8]) -> String? {
            guard let data, let node = tape.member(name, of: data), tape[node].kind == .string else { return nil }
            return tape.string(node)
        }
        let role: String
        var agent: String?
        switch type {
        case "brand.replied":
            role = "brand"
            agent = dataString(names.agent)
        case "vendor.changed_service": role = "brand"
        case "case.escalated", "case.resolved", "case.reopened": role = dataString(names.by) ?? "case"
        default: role = "customer"
        }
        var text = dataString(names.text) ?? dataString(names.description) ?? dataString(names.reason)
        if type == "case.escalated", let target = dataString(names.to) {
            text = "to \(target)" + (text.map { ": " + $0 } ?? "")
        }
        return (id, role, agent, text)
    }
}
