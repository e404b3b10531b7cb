import Glibc

/// Buffered writes to a file descriptor (standard output by default).
///
/// A reader that goes away (`plaint events | head`) ends the output with `OutputClosed`
/// rather than a crash; the CLI treats that as a normal end.
public final class OutputStream {
    public struct OutputClosed: Error {}
    public struct WriteFailed: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { "cannot write output: \(reason)" }
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private let capacity: Int

    public init(descriptor: Int32 = 1, capacity: Int = 1 << 18) {
        self.descriptor = descriptor
        self.capacity = capacity
        buffer.reserveCapacity(capacity + 4096)
    }

    public func write(_ bytes: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { try flush() }
    }

    /// The same for an array: a concrete entry point, so callers in other modules do not copy
    /// through the generic `Sequence` path a byte at a time.
    public func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { try flush() }
    }

    public func write(_ text: String) throws {
        try write(text.utf8)
    }

    /// Appends without flushing, for code that builds a line in pieces.
    package func append(_ bytes: Span<UInt8>) { bytes.withUnsafeBufferPointer { buffer.append(contentsOf: $0) } }
    package func append(_ text: String) { buffer.append(contentsOf: text.utf8) }
    package func append(_ byte: UInt8) { buffer.append(byte) }

    /// Appends what `build` adds to the buffer, in one access: a line of many small pieces
    /// (`plaint events` prints a million) then costs one exclusivity check, not one per piece.
    package func appendLine(_ build: (inout [UInt8]) -> Void) { build(&buffer) }

    package func flushIfFull() throws { if buffer.count >= capacity { try flush() } }

    /// Whether the reader at the other end has gone (a pipe whose reading end was closed: poll
    /// reports POLLERR): a command waiting for more to print (`events --follow`) then ends,
    /// instead of noticing only at its next write.
    public var readerHasGone: Bool {
        var entry = pollfd(fd: descriptor, events: 0, revents: 0)
        return poll(&entry, 1, 0) == 1 && entry.revents & Int16(POLLERR | POLLHUP) != 0
    }

    public func flush() throws {
        var done = 0
        defer { buffer.removeAll(keepingCapacity: true) }
        while done < buffer.count {
            let result = buffer.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + done, $0.count - done) }
            if result >= 0 {
                done += result
                continue
            }
            switch errno {
            case EINTR: continue
            case EPIPE: throw OutputClosed()
            default: throw WriteFailed(reason: String(cString: strerror(errno)))
            }
        }
    }
}
