import Glibc

/// The `--rejects` file: bad input lines, verbatim, one per line, so they can be fixed and re-fed.
final class RejectsFile {
    let path: String
    private let descriptor: Int32

    init(path: String) throws(InputError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .unwritable(path: path, reason: String(cString: strerror(errno)))
        }
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    func write(_ line: UnsafeBufferPointer<UInt8>) throws(InputError) {
        var bytes = Array(line)
        bytes.append(0x0A)
        var done = 0
        while done < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + done, $0.count - done) }
            guard result > 0 else {
                if result < 0, errno == EINTR { continue }
                throw .unwritable(path: path, reason: String(cString: strerror(errno)))
            }
            done += result
        }
    }

    func write(_ line: [UInt8]) throws(InputError) {
        try line.withUnsafeBufferPointer { (buffer) throws(InputError) in try write(buffer) }
    }
}
