import Glibc
import Synchronization

/// Bounds how long work on a server may go without progress. A connection whose server dies
/// mid-failover does not always fail its pending operations; rather than wait for ever, the work
/// is abandoned after `idleLimit` seconds without a `Watchdog.beat()` and `Stalled` is thrown, so
/// that the caller can try the next server. Every write plaint makes is safe to repeat.
enum Watchdog {
    struct Stalled: Error {}

    final class Heartbeat: Sendable {
        let last = Mutex<Double>(PostgresLog.now())
        func beat() { last.withLock { $0 = PostgresLog.now() } }
        var idle: Double { PostgresLog.now() - last.withLock { $0 } }
    }

    @TaskLocal static var current: Heartbeat?

    /// Marks progress of the work being watched (a query answered, a row read).
    static func beat() { current?.beat() }

    /// `work`, abandoned with `Stalled` when it makes no progress for `idleLimit` seconds.
    static func watched<Result: Sendable>(
        idleLimit: Double, _ work: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        let heartbeat = Heartbeat()
        return try await withCheckedThrowingContinuation { continuation in
            let outcome = Outcome(continuation)
            let task = Task {
                await $current.withValue(heartbeat) {
                    do { _ = outcome.finish(.success(try await work())) } catch { _ = outcome.finish(.failure(error)) }
                }
            }
            Task {
                while !outcome.isFinished {
                    try? await Task.sleep(nanoseconds: 500_000_000)
                    if heartbeat.idle > idleLimit, outcome.finish(.failure(Stalled())) {
                        task.cancel()
                        return
                    }
                }
            }
        }
    }

    /// Resumes the caller once, with whichever ends first: the work or the watchdog.
    final class Outcome<Result: Sendable>: Sendable {
        private let continuation: CheckedContinuation<Result, any Error>
        private let finished = Mutex(false)

        init(_ continuation: CheckedContinuation<Result, any Error>) { self.continuation = continuation }

        var isFinished: Bool { finished.withLock { $0 } }

        func finish(_ result: Swift.Result<Result, any Error>) -> Bool {
            let first = finished.withLock { done in
                defer { done = true }
                return !done
            }
            if first { continuation.resume(with: result) }
            return first
        }
    }
}
