import Glibc
import PlaintSystem

/// An exclusive advisory lock (flock) on `writer.lock` in the store directory.
///
/// LMDB already serializes write transactions; this lock additionally lets one `append` check a
/// whole input against the store and then write it in several transactions with no other
/// writer in between, so a conflict is found before anything is written. The kernel releases
/// it when the process dies, so a killed writer never blocks the next.
struct WriterLock {
    let path: String

    func withLock<Result>(_ body: () throws -> Result) throws -> Result {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StoreError.io(path: path, reason: FileSystem.errorText(errno))
        }
        defer { close(descriptor) }  // closing releases the lock
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw StoreError.io(path: path, reason: FileSystem.errorText(errno)) }
        }
        return try body()
    }
}
