import Dispatch
import Synchronization

/// A bounded queue between one producer thread and one consumer: the producer reads and decodes
/// on one core while the consumer works on the other (append's parsing, replay's reading). At
/// most `depth` chunks wait; the consumer can cancel, after which `push` returns false.
final class HandOff<Chunk: Sendable>: Sendable {
    private let chunks = Mutex<[Chunk]>([])
    private let cancelled = Atomic<Bool>(false)
    private let available = DispatchSemaphore(value: 0)
    private let space: DispatchSemaphore

    init(depth: Int) { space = DispatchSemaphore(value: depth) }

    /// The next chunk, waiting for it.
    func next() -> Chunk {
        available.wait()
        let chunk = chunks.withLock { $0.removeFirst() }
        space.signal()
        return chunk
    }

    /// Stops the producer early (the consumer gave up).
    func cancel() {
        cancelled.store(true, ordering: .relaxed)
        space.signal()
    }

    /// Queues a chunk, waiting for room; false once the consumer has cancelled.
    func push(_ chunk: Chunk) -> Bool {
        space.wait()
        guard !cancelled.load(ordering: .relaxed) else { return false }
        chunks.withLock { $0.append(chunk) }
        available.signal()
        return true
    }
}
