import Glibc

/// Reads `\n`-separated lines from a file descriptor with bounded memory.
///
/// A line is lent to the caller as a span (`withLine`), valid until the next call. A line longer than
/// `maximumLineLength` is never held whole: `next` reports it as `.tooLong`, with its first
/// bytes, and steps over the rest (which `readRestOfLine` hands out, for a rejects file).
public struct LineReader: ~Copyable {
    public static let maximumLineLength = 1 << 20

    /// What `next` found; `withLine` lends the line's bytes.
    public enum Next: Equatable {
        case line(number: Int)
        /// A line longer than `maximumLineLength`: `withLine` lends its first bytes; the rest
        /// is skipped by the next call to `next`, or handed out by `readRestOfLine`.
        case tooLong(number: Int)
        /// No complete line arrived before the deadline (only with a deadline).
        case timedOut
        case end
    }

    public let name: String
    /// Whether `next` returns lines that hold only white space (a CSV record may continue over
    /// an empty line inside a quoted field); NDJSON input skips them.
    public var keepsBlankLines = false
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private var start = 0
    private var end = 0
    /// The bytes of the line `next` returned last.
    private var current = 0..<0
    private var scanned = 0
    private var atEnd = false
    /// The reader stands inside a line too long to hold: the rest of it is still to be read.
    private var insideLongLine = false
    public private(set) var lineNumber = 0
    /// Bytes moved out of the buffer's front so far: with `start`, how far into the input the
    /// reader has handed out lines (for progress displays).
    private var discarded: Int64 = 0

    /// The input bytes consumed by the lines returned so far.
    public var bytesConsumed: Int64 { discarded + Int64(start) }

    /// Reads standard input when `path` is `-`.
    public init(path: String) throws(InputError) {
        if path == "-" {
            self.init(descriptor: 0, name: "<stdin>", owns: false)
        } else {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                let code = errno
                throw code == ENOENT
                    ? .missing(path: path) : .unreadable(path: path, reason: String(cString: strerror(code)))
            }
            var info = stat()
            if fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                close(descriptor)
                throw .unreadable(path: path, reason: "it is a directory")
            }
            self.init(descriptor: descriptor, name: path, owns: true)
        }
    }

    public init(descriptor: Int32, name: String, owns: Bool) {
        self.descriptor = descriptor
        self.name = name
        self.ownsDescriptor = owns
        self.buffer = .allocate(capacity: Self.maximumLineLength + 65_536)
    }

    deinit {
        buffer.deallocate()
        if ownsDescriptor { close(descriptor) }
    }

    /// The next line, skipping lines that hold only white space.
    /// - Parameter deadline: a CLOCK_MONOTONIC time in nanoseconds after which `.timedOut` is
    ///   returned if no complete line is buffered; nil waits as long as it takes.
    public mutating func next(deadline: UInt64? = nil) throws(InputError) -> Next {
        if insideLongLine { try readRestOfLine { _ in } }
        current = 0..<0
        while true {
            if let newline = findNewline() {
                let line = start..<newline
                start = newline + 1
                scanned = start
                lineNumber += 1
                if let found = found(line) { return found }
                continue
            }
            if atEnd {
                guard start < end else { return .end }
                let line = start..<end
                start = end
                lineNumber += 1
                return found(line) ?? .end
            }
            if start == 0, end == buffer.count {
                // The buffer holds no line end: a line too long to hold.
                current = 0..<end
                start = end
                scanned = end
                lineNumber += 1
                insideLongLine = true
                return .tooLong(number: lineNumber)
            }
            if let deadline, try !waitForInput(until: deadline) { return .timedOut }
            try fill()
        }
    }

    /// A complete line at `range` of the buffer, unless it is blank and blank lines are skipped.
    private mutating func found(_ range: Range<Int>) -> Next? {
        var range = range
        // A UTF-8 byte order mark that some editors put at the start of a file is not part of the first line.
        if lineNumber == 1, range.count >= 3, buffer[range.lowerBound] == 0xEF, buffer[range.lowerBound + 1] == 0xBB,
            buffer[range.lowerBound + 2] == 0xBF
        {
            range = range.lowerBound + 3..<range.upperBound
        }
        current = range
        if range.count > Self.maximumLineLength { return .tooLong(number: lineNumber) }
        if !keepsBlankLines, isBlank(UnsafeBufferPointer(rebasing: buffer[range])) { return nil }
        return .line(number: lineNumber)
    }

    /// Lends the bytes of the line `next` returned last (without its line end) to `body`: the
    /// line, or the first bytes of a line too long.
    public func withLine<Result, Failure: Error>(_ body: (Span<UInt8>) throws(Failure) -> Result) throws(Failure)
        -> Result
    {
        try body(UnsafeBufferPointer(rebasing: buffer[current]).span)
    }

    /// After `.tooLong`: hands the rest of that line to `body` in pieces, up to (not including)
    /// its line end, and leaves the reader at the next line.
    public mutating func readRestOfLine(_ body: (Span<UInt8>) throws(InputError) -> Void) throws(InputError) {
        guard insideLongLine else { return }
        current = 0..<0
        while true {
            if let newline = findNewline() {
                try body(UnsafeBufferPointer(rebasing: buffer[start..<newline]).span)
                start = newline + 1
                scanned = start
                insideLongLine = false
                return
            }
            try body(UnsafeBufferPointer(rebasing: buffer[start..<end]).span)
            start = end
            scanned = end
            if atEnd {
                insideLongLine = false
                return
            }
            try fill()
        }
    }

    private mutating func findNewline() -> Int? {
        guard scanned < end else { return nil }
        let found = memchr(buffer.baseAddress! + scanned, 0x0A, end - scanned)
        guard let found else {
            scanned = end
            return nil
        }
        return buffer.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    private func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    private mutating func fill() throws(InputError) {
        if start > 0 {
            // Move the partial line to the front so the buffer's free space is contiguous.
            let pending = end - start
            if pending > 0 { memmove(buffer.baseAddress!, buffer.baseAddress! + start, pending) }
            discarded += Int64(start)
            scanned -= start
            end = pending
            start = 0
        }
        guard end < buffer.count else { return }
        while true {
            let count = read(descriptor, buffer.baseAddress! + end, buffer.count - end)
            if count > 0 {
                end += count
                return
            }
            if count == 0 {
                atEnd = true
                return
            }
            if errno == EINTR { continue }
            if errno == EAGAIN { return }
            throw .unreadable(path: name, reason: String(cString: strerror(errno)))
        }
    }

    /// Waits until the descriptor is readable or the deadline passes; false on timeout.
    private func waitForInput(until deadline: UInt64) throws(InputError) -> Bool {
        while true {
            let now = monotonicNanoseconds()
            if now >= deadline { return false }
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(min((deadline - now) / 1_000_000 + 1, 1000))
            let ready = poll(&request, 1, milliseconds)
            if ready > 0 { return true }
            if ready < 0, errno != EINTR {
                throw .unreadable(path: name, reason: String(cString: strerror(errno)))
            }
        }
    }
}

/// Nanoseconds on CLOCK_MONOTONIC, for deadlines that wall-clock changes cannot move.
public func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// Problems with the files an append reads and writes besides the store: an input file, before
/// any of its content is judged; the rejects file; the spool.
public enum InputError: Error, Equatable, Sendable, CustomStringConvertible {
    case missing(path: String)
    case unreadable(path: String, reason: String)
    case lineTooLong(path: String, line: Int, limit: Int)
    /// Writing a file failed (a full disk, say).
    case unwritable(path: String, reason: String)
    /// The spool, the unlinked files beside the store where a checked input waits to be
    /// written, failed: a full disk, or an input past what one append may hold.
    case spool(directory: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let path): "\(path): no such file"
        case .unreadable(let path, let reason): "\(path): cannot read: \(reason)"
        case .lineTooLong(let path, let line, let limit): "\(path):\(line): line longer than \(limit) bytes"
        case .unwritable(let path, let reason): "\(path): cannot write: \(reason)"
        case .spool(let directory, let reason):
            "\(directory): the append's spool (temporary files beside the store) failed: \(reason)"
        }
    }
}
