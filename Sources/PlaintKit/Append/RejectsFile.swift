import Glibc

/// The `--rejects` file: bad input lines, verbatim, one per line, so they can be fixed and re-fed.
///
/// The lines go to a temporary file beside it (`.NAME.partial-PID`), which `finish()` syncs and
/// renames over the path once the inputs have been read: a rejects file is never half-written,
/// and an existing file of that name is replaced only then.
final class RejectsFile {
    let path: String
    let temporaryPath: String
    private let descriptor: Int32
    private var finished = false
    /// A write failed: the file is incomplete and is never put in place.
    private var failed = false

    init(path: String) throws(InputError) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        temporaryPath = directory + "." + name + ".partial-\(getpid())"
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
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

    /// Syncs the lines written and puts the file in place, unless a write to it failed.
    func finish() throws(InputError) {
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
