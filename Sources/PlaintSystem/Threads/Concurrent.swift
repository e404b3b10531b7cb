import Dispatch

/// A value computed on a thread of its own while the caller does other work.
package final class Concurrent<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    // Written once by the worker before `done` is signalled; read only after waiting for it.
    private var result: Result<Value, any Error>?

    package init(_ label: String, _ body: @escaping @Sendable () throws -> Value) {
        runOnOwnThread(label) { [self] in
            result = Result { try body() }
            done.signal()
        }
    }

    /// Waits for the value (or rethrows the worker's error). Call it once.
    package func value() throws -> Value {
        done.wait()
        return try result!.get()
    }
}
