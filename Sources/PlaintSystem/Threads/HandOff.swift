import Dispatch
import Synchronization

/// A bounded queue between one producer thread and one consumer: the producer reads and decodes
/// on one core while the consumer works on the other (append's parsing, replay's reading). At
/// most `depth` chunks wait. Either side can cancel: `push` then returns false and `next` nil,
/// and a side waiting on the other wakes up.
package final class HandOff<Chunk: Sendable>: Sendable {
    private let chunks = Mutex<[Chunk]>([])
    private let cancelled = Atomic<Bool>(false)
    private let available = DispatchSemaphore(value: 0)
    private let space = DispatchSemaphore(value: 0)

    package init(depth: Int) {
        // Counted up from 0 rather than created with `depth`: libdispatch traps when a semaphore
        // is released below its initial value, as it is when chunks are left queued.
        for _ in 0..<depth { space.signal() }
    }

    /// The next chunk, waiting for it; nil once cancelled and drained.
    package func next() -> Chunk? {
        available.wait()
        if let chunk = chunks.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
            space.signal()
            return chunk
        }
        // Woken by `cancel`: pass the wake-up on, so that later calls return at once too.
        available.signal()
        return nil
    }

    /// How many chunks wait to be taken: none means the consumer is (or soon will be) idle.
    package var waiting: Int { chunks.withLock { $0.count } }

    /// Stops both sides early; chunks already queued can still be taken.
    package func cancel() {
        guard !cancelled.exchange(true, ordering: .relaxed) else { return }
        space.signal()
        available.signal()
    }

    /// Queues a chunk, waiting for room; false once cancelled.
    package func push(_ chunk: Chunk) -> Bool {
        space.wait()
        guard !cancelled.load(ordering: .relaxed) else {
            space.signal()
            return false
        }
        chunks.withLock { $0.append(chunk) }
        available.signal()
        return true
    }
}
