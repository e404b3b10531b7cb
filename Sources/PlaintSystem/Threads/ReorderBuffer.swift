import Dispatch
import Synchronization

/// Results that several threads finish in any order, handed to one consumer in sequence order.
///
/// It holds only what producers put in; they bound how far they run ahead (`PreparedLines`
/// takes a permit per chunk in flight). `cancel` wakes the consumer, which then gets nil.
package final class ReorderBuffer<Item: Sendable>: Sendable {
    private let items = Mutex<[Int: Item]>([:])
    private let cancelled = Atomic<Bool>(false)
    /// Signalled once per item put in: the consumer looks again after each.
    private let arrived = DispatchSemaphore(value: 0)

    package init() {}

    package func put(_ item: consuming Item, at sequence: Int) {
        let item = item
        items.withLock { $0[sequence] = item }
        arrived.signal()
    }

    /// Item `sequence`, waiting for it; nil once cancelled.
    package func take(_ sequence: Int) -> Item? {
        while true {
            if let item = items.withLock({ $0.removeValue(forKey: sequence) }) { return item }
            if cancelled.load(ordering: .relaxed) { return nil }
            arrived.wait()
        }
    }

    package func cancel() {
        guard !cancelled.exchange(true, ordering: .relaxed) else { return }
        arrived.signal()
    }
}
