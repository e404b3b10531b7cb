import CLMDB
import Glibc
import PlaintEvents
import PlaintSystem

/// Counts and sizes of a store, for `plaint stats`.
public struct StoreStatistics: Equatable, Sendable {
    /// The store's format (`EventLog.format`), which may be older than this code's.
    public var formatVersion: Int
    public var createdAt: Timestamp?
    public var events: UInt64
    public var head: LogHead
    public var firstRecordedAt: Timestamp?
    public var lastRecordedAt: Timestamp?
    /// Distinct cases, customers and brands.
    public var cases: Int
    public var customers: Int
    public var brands: Int
    /// Events per type, for the types present.
    public var eventsByType: [String: Int]
    /// Bytes of data.mdb on disk, bytes of it in use, and the current memory map size.
    public var fileBytes: Int
    public var usedBytes: Int
    public var mapBytes: Int
    public var pageSize: Int
}

extension EventLog {
    public func statistics() throws -> StoreStatistics {
        let info = environment.info
        let pageSize = environment.pageSize
        return try read { reader in
            let head = try reader.head()
            var distinct: [LogIndex: Int] = [:]
            var byType: [String: Int] = [:]
            for index in [LogIndex.case, .customer, .brand, .type] {
                var keys = 0
                try reader.forEachKey(in: index) { key, count in
                    keys += 1
                    if index == .type { byType[String(decoding: key, as: UTF8.self)] = count }
                }
                distinct[index] = keys
            }
            let created = try reader.transaction.get(databases.meta, key: Array("created_at".utf8))
                .flatMap { Int64(String(decoding: $0, as: UTF8.self)) }.map(Timestamp.init(microseconds:))
            return StoreStatistics(
                formatVersion: format,
                createdAt: created,
                events: head.position,
                head: head,
                firstRecordedAt: try reader.recordedAt(min(1, head.position)).map(Timestamp.init(microseconds:)),
                lastRecordedAt: try reader.recordedAt(head.position).map(Timestamp.init(microseconds:)),
                cases: distinct[.case] ?? 0,
                customers: distinct[.customer] ?? 0,
                brands: distinct[.brand] ?? 0,
                eventsByType: byType,
                fileBytes: FileSystem.size(of: path + "/" + Self.dataFile),
                usedBytes: (info.me_last_pgno + 1) * pageSize,
                mapBytes: info.me_mapsize,
                pageSize: pageSize)
        }
    }

    /// Writes a consistent, compacted copy of the store into `destination` (a new or empty
    /// directory) while appends go on, and returns the copy's head.
    ///
    /// LMDB copies from one read snapshot, so the copy holds exactly the events committed when
    /// the copy began; its head equals the source's record at that position.
    public func backup(to destination: String) throws -> LogHead {
        switch FileSystem.kind(of: destination) {
        case .missing:
            if let code = FileSystem.makeDirectory(destination) {
                throw StoreError.io(
                    path: destination, reason: "cannot create the directory: \(FileSystem.errorText(code))")
            }
        case .directory:
            guard FileSystem.entries(of: destination)?.isEmpty == true else {
                throw StoreError.notAStore(path: destination, reason: "the backup destination must be new or empty")
            }
        case .file, .other:
            throw StoreError.notAStore(path: destination, reason: "the backup destination is not a directory")
        }
        // The copy is written under a temporary name and renamed only once complete and synced:
        // an interrupted backup never leaves a data.mdb that looks like a store.
        let final = destination + "/" + Self.dataFile
        let temporary = final + ".partial-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StoreError.io(path: destination, reason: "cannot create \(temporary): \(FileSystem.errorText(errno))")
        }
        do {
            defer { close(descriptor) }
            try environment.copy(to: descriptor)
            guard fsync(descriptor) == 0 else { throw LMDBError(code: errno) }
        } catch {
            unlink(temporary)
            if let error = error as? LMDBError, error.code == ENOSPC { throw StoreError.diskFull(path: destination) }
            throw StoreError.io(path: destination, reason: "\(error)")
        }
        // link, not rename: a data.mdb another backup put there meanwhile is never replaced.
        guard link(temporary, final) == 0 else {
            let reason = FileSystem.errorText(errno)
            unlink(temporary)
            throw StoreError.io(path: destination, reason: "cannot put the copy in place: \(reason)")
        }
        unlink(temporary)
        FileSystem.syncDirectory(destination)
        // A damaged source gives a damaged copy: kept, as the most that can be saved, but not
        // reported as a good backup.
        let copy = try EventLog(path: destination, access: .read)
        let check = try copy.read { try $0.verifyChain() }
        if let problem = check.problem {
            throw StoreError.corrupt(
                position: problem.position,
                reason: "\(problem.reason); the copy in \(destination) holds this damage of the source (run "
                    + "`plaint verify` on the source, and restore it from an earlier backup)")
        }
        return check.head
    }
}
