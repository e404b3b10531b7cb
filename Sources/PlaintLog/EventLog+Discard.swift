import Glibc
import PlaintSystem

extension EventLog {
    /// Removes a store that an append created and then wrote nothing to (its input was refused),
    /// so a failed first append leaves nothing behind. Does nothing, and returns false, unless it
    /// is sure no event can be lost: it holds the writer lock (every append takes it) while it
    /// checks that the log is empty, and an exclusive lock on `lock.mdb`, which no other process
    /// can hold while it has the store open. `removeDirectory` also removes the directory, when
    /// the append made it.
    @discardableResult
    public static func discardUnwrittenStore(at path: String, removeDirectory: Bool) -> Bool {
        let writerLock = open(path + "/writer.lock", O_RDWR | O_CLOEXEC)
        guard writerLock >= 0 else { return false }
        defer { close(writerLock) }
        guard flock(writerLock, LOCK_EX | LOCK_NB) == 0 else { return false }
        // The check opens and closes its own environment before lock.mdb is locked below:
        // closing an environment drops every lock this process holds on lock.mdb.
        let isEmpty: Bool = {
            guard let log = try? EventLog(path: path, access: .read) else { return false }
            return (try? log.read { try $0.head().position }) == 0
        }()
        guard isEmpty else { return false }
        let lockFile = path + "/lock.mdb"
        let lockDescriptor = open(lockFile, O_RDWR | O_CLOEXEC)
        guard lockDescriptor >= 0 else { return false }
        defer { close(lockDescriptor) }
        var whole = flock()
        whole.l_type = Int16(F_WRLCK)
        whole.l_whence = Int16(SEEK_SET)
        guard fcntl(lockDescriptor, F_SETLK, &whole) == 0 else { return false }
        unlink(path + "/" + dataFile)
        unlink(lockFile)
        unlink(path + "/writer.lock")
        if removeDirectory { rmdir(path) }
        return true
    }
}
