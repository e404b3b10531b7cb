import Glibc
import PlaintSystem

/// The `--rejects` file: bad input lines, verbatim, one per line, so they can be fixed and re-fed.
///
/// For a checked input the lines go to a temporary file beside it (`.NAME.partial-PID`), which
/// `finish()` syncs and renames over the path once the inputs have been read: a rejects file is
/// never half-written, and an existing file of that name is replaced only then. An endless
/// stream (`--stream`) has no such moment, and usually ends by a signal: its rejected lines are
/// appended to the file itself, and synced at each commit (`sync()`), so none is lost.
final class RejectsFile {
    let path: String
    let temporaryPath: String
    private let descriptor: Int32
    private var finished = false
    /// A write failed: the file is incomplete and is never put in place.
    private var failed = false

    init(path: String, appending: Bool = false) throws(InputError) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        temporaryPath = appending ? path : directory + "." + name + ".partial-\(getpid())"
        finished = appending
        let flags = appending ? O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW : O_WRONLY | O_CREAT | O_EXCL
        let descriptor = open(temporaryPath, flags | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .unwritable(path: path, reason: String(cString: strerror(errno)))
        }
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
        if !finished { unlink(temporaryPath) }
    }

    /// Makes the lines written so far durable (a stream's, at each commit).
    func sync() throws(InputError) {
        guard fsync(descriptor) == 0 else { throw .unwritable(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Syncs the lines written and puts the file in place, unless a write to it failed.
    func finish() throws(InputError) {
        if finished, temporaryPath == path { return try sync() }
        guard !finished, !failed else { return }
        guard fsync(descriptor) == 0, rename(temporaryPath, path) == 0 else {
            throw .unwritable(path: path, reason: String(cString: strerror(errno)))
        }
        finished = true
    }
    func write(_ line: UnsafeBufferPointer<UInt8>) throws(InputError) {
        var bytes = Array(line)
        bytes.append(0x0A)
        var done = 0
        while done < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + done, $0.count - done) }
            guard result > 0 else {
                if result < 0, errno == EINTR { continue }
                failed = true
                throw .unwritable(path: path, reason: String(cString: strerror(errno)))
            }
            done += result
        }
    }

    func write(_ line: [UInt8]) throws(InputError) {
        try line.withUnsafeBufferPointer { (buffer) throws(InputError) in try write(buffer) }
    }
}
