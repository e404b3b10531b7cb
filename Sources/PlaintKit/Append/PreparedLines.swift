import Dispatch
import PlaintEvents

/// Reads and prepares (parses, validates, canonicalizes) an input's lines on another thread,
/// handing them over in chunks, so that parsing runs on one core while the caller checks and
/// stores on the other.
final class PreparedLines: Sendable {
    struct Line: Sendable {
        let number: Int
        let result: Result<PreparedEvent, EventValidationError>
        /// The line as read, kept only when a rejects file may need it.
        let raw: [UInt8]
    }

    enum Chunk: Sendable {
        case lines([Line])
        case failed(InputError)
        case end
    }

    private let handOff: HandOff<Chunk>

    /// Starts reading `path` (`-` for standard input) at once.
    init(path: String, keepRaw: Bool, chunkSize: Int = 512, depth: Int = 8) {
        handOff = HandOff(depth: depth)
        DispatchQueue.global().async { [self] in
            produce(path: path, keepRaw: keepRaw, chunkSize: chunkSize)
        }
    }

    /// The next chunk, waiting for it; `.end` or `.failed` comes last.
    func next() -> Chunk { handOff.next() }

    /// Stops the reader thread early (the consumer gave up).
    func cancel() { handOff.cancel() }

    private func produce(path: String, keepRaw: Bool, chunkSize: Int) {
        do {
            var reader = try LineReader(path: path)
            var preparer = EventPreparer()
            var lines: [Line] = []
            lines.reserveCapacity(chunkSize)
            while case .line(let number, let bytes) = try reader.next() {
                let result: Result<PreparedEvent, EventValidationError>
                do { result = .success(try preparer.prepare(bytes)) } catch { result = .failure(error) }
                lines.append(Line(number: number, result: result, raw: keepRaw ? Array(bytes) : []))
                if lines.count == chunkSize {
                    guard push(.lines(lines)) else { return }
                    lines.removeAll(keepingCapacity: true)
                }
            }
            if !lines.isEmpty, !push(.lines(lines)) { return }
            _ = push(.end)
        } catch {
            _ = push(.failed(error))
        }
    }

    private func push(_ chunk: Chunk) -> Bool { handOff.push(chunk) }
}
