import Dispatch

/// Runs `body`, which blocks for a long time (a producer waiting on a `HandOff`), on a thread of
/// its own.
///
/// Not on `DispatchQueue.global()`: libdispatch sizes that pool to the cores and adds a thread
/// for blocked work only after a delay, so a third blocking producer on two cores could wait
/// about a second before starting. A queue created here is overcommitting: it always gets a
/// thread.
package func runOnOwnThread(_ label: String, _ body: @escaping @Sendable () -> Void) {
    DispatchQueue(label: "plaint." + label).async(execute: body)
}
