import Synchronization

/// Values a consumer is done with, handed back for the producer thread that made them to free.
///
/// A chunk of prepared events holds many small arrays allocated on the producer's thread. Freed
/// there, they go back to that thread's malloc arena without contention, and the consumer, the
/// busiest thread of an append, does not spend its time freeing.
package final class RecycleBin<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])

    package init() {}

    package func put(_ value: consuming Value) {
        let value = value
        values.withLock { $0.append(value) }
    }

    /// Frees what was put here, on the calling thread (outside the lock).
    package func empty() {
        var taken: [Value] = []
        values.withLock { swap(&taken, &$0) }
    }
}
