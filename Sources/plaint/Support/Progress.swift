import Glibc
import PlaintIngest
import PlaintReports
import PlaintSystem

/// A one-line progress display on stderr, shown only when stderr is a terminal: the phase, how
/// far it is, the rate so far and the time left at that rate. Each phase has its own clock, the
/// time left appears once the phase has run for a second (an earlier rate is noise), and it
/// never reads 0 while work remains. The line is redrawn at most ten times a second.
final class ProgressLine {
    enum Unit {
        case events, lines, megabytes
    }

    let enabled: Bool
    private var phase = ""
    var phaseName: String { phase }
    private var started = monotonicSeconds()
    private var lastDrawn = 0.0
    /// The first report of the phase: the rate counts from it, since work done before it (a
    /// first chunk already in hand) took no time the line could see.
    private var first: (done: Int64, at: Double)?

    init(enabled: Bool = isTerminal(2)) { self.enabled = enabled }

    /// Starts a phase; its rate and time left count from now.
    func begin(_ phase: String) {
        self.phase = phase
        started = monotonicSeconds()
        lastDrawn = 0
        first = nil
    }

    /// Shows `done` of `total` (total nil: unknown, no time left) in the current phase.
    func show(_ done: Int64, of total: Int64?, _ unit: Unit) {
        guard enabled else { return }
        let now = monotonicSeconds()
        if first == nil { first = (done, now) }
        guard now - lastDrawn >= 0.1 else { return }
        lastDrawn = now
        let elapsed = now - started
        let measured = now - first!.at
        let rate = measured > 0.2 ? Double(done - first!.done) / measured : 0
        func amount(_ value: Int64) -> String {
            unit == .megabytes ? Self.tenths(Double(value) / 1e6) : String(value)
        }
        let name = unit == .megabytes ? "MB" : unit == .lines ? "lines" : "events"
        var text = "\(phase): \(amount(done))"
        if let total {
            let percent = total <= 0 ? 100 : Int(Double(min(done, total)) / Double(total) * 100)
            text += "/\(amount(total)) \(name) (\(percent)%)"
        } else {
            text += " \(name)"
        }
        if rate > 0 {
            text += unit == .megabytes ? ", \(Self.tenths(rate / 1e6)) MB/s" : ", \(Int(rate)) \(name)/s"
        }
        if let total, elapsed >= 1, rate > 0 {
            text += ", about \(Human.timeLeft(seconds: Double(max(0, total - done)) / rate)) left"
        }
        writeToStandardError("\r\u{1B}[K" + text)
    }

    /// Shows an append's progress: checking the lines (through the input's bytes when its size
    /// is known), then writing the events.
    func show(_ step: Appender.Progress) {
        switch step {
        case .checked(let lines, let bytes, let totalBytes):
            if phase != "checking" { begin("checking") }
            if let totalBytes { show(bytes, of: totalBytes, .megabytes) } else { show(Int64(lines), of: nil, .lines) }
        case .writing(let total):
            begin("writing")
            writingTotal = Int64(total)
        case .written(let events):
            show(Int64(events), of: writingTotal, .events)
        }
    }
    private var writingTotal: Int64?

    /// Removes the line, before a result or an error is printed.
    func clear() { if enabled { writeToStandardError("\r\u{1B}[K") } }

    /// One decimal: `12.3`.
    static func tenths(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    private func writeToStandardError(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress!, $0.count) }
    }
}

/// Seconds on the monotonic clock, for elapsed times.
func monotonicSeconds() -> Double { Double(monotonicNanoseconds()) / 1e9 }
