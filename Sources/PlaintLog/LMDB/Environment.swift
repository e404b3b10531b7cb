import CLMDB
import Glibc
import Synchronization

/// One open LMDB environment: the memory map, its lock file and its named databases.
///
/// `@unchecked Sendable` because MDB_env is safe to share between threads when opened with
/// MDB_NOTLS (lmdb.h, mdb_env_open); the one thing that is not, resizing the map, is guarded by
/// `openTransactions`.
final class Environment: @unchecked Sendable {
    let handle: OpaquePointer
    let isReadOnly: Bool
    /// Transactions this process has open; the map may only be resized when there are none.
    private let openTransactions = Mutex(0)

    /// Opens (and with `create`, makes) the environment in `directory`.
    ///
    /// A writer maps the file writable (MDB_WRITEMAP): a write transaction changes its pages in
    /// the map, which is page cache, instead of copying every page it changes into memory it
    /// allocates and writing the copies out at commit. Inputs whose events touch index and view
    /// pages all over the store (a live feed, a shuffled export) change many pages per
    /// transaction, so this is what keeps their transactions large and their memory bounded.
    /// Because a page written through the map with no disk space behind it would end the
    /// process with SIGBUS, the map's whole file space is reserved first (`reserveFileSpace`),
    /// and a full disk is an ENOSPC before anything is written. Readers map the file read-only.
    init(directory: String, mapSize: Int, maxDatabases: UInt32, readOnly: Bool) throws(LMDBError) {
        var pointer: OpaquePointer?
        try check(mdb_env_create(&pointer))
        guard let pointer else { throw LMDBError(code: ENOMEM) }
        do throws(LMDBError) {
            try check(mdb_env_set_maxdbs(pointer, maxDatabases))
            try check(mdb_env_set_mapsize(pointer, mapSize))
            // MDB_NOTLS: read transactions are not tied to an OS thread (lmdb.h, mdb_env_open).
            var flags = UInt32(MDB_NOTLS)
            // MDB_NORDAHEAD: a writer's pages are found by key, all over the file; reading
            // ahead of each one would fill the page cache with neighbours it does not need.
            flags |= readOnly ? UInt32(MDB_RDONLY) : UInt32(MDB_WRITEMAP | MDB_NORDAHEAD)
            try check(mdb_env_open(pointer, directory, flags, 0o644))
            if !readOnly { try Self.reserveFileSpace(pointer, size: Self.mapSize(pointer)) }
        } catch {
            // lmdb.h: "If this function fails, mdb_env_close() must be called to discard the handle."
            mdb_env_close(pointer)
            throw error
        }
        self.handle = pointer
        self.isReadOnly = readOnly
    }

    deinit { mdb_env_close(handle) }

    var mapSize: Int { Self.mapSize(handle) }

    private static func mapSize(_ handle: OpaquePointer) -> Int {
        var info = MDB_envinfo()
        mdb_env_info(handle, &info)
        return info.me_mapsize
    }

    /// Allocates disk space for the first `size` bytes of the data file, so that writing any
    /// page of a map that size through MDB_WRITEMAP never meets a full disk.
    private static func reserveFileSpace(_ handle: OpaquePointer, size: Int) throws(LMDBError) {
        var descriptor: mdb_filehandle_t = -1
        try check(mdb_env_get_fd(handle, &descriptor))
        // Already allocated (every open after the first): nothing to ask the file system.
        var status = stat()
        if fstat(descriptor, &status) == 0, Int(status.st_size) >= size, Int(status.st_blocks) * 512 >= size {
            return
        }
        let code = posix_fallocate(descriptor, 0, off_t(size))
        if code != 0 { throw LMDBError(code: code) }
    }

    /// The bytes of the data file that pages are written to: those up to the last page in use.
    var usedBytes: Int {
        let info = self.info
        return (info.me_last_pgno + 1) * pageSize
    }

    /// Maps in, writable, up to `bytes` of the file past the pages in use: about the pages a write
    /// transaction takes next. The first touch of a page the file never held makes the kernel
    /// find, zero and map a page, in a fault for each page, a large share of a large append's
    /// writing. Done here in one call, on a thread of its own while the writer works, the
    /// writer's touches find the pages mapped. Populating changes no byte, and no snapshot uses
    /// pages past LMDB's last one; those the transaction does not take are written out as they
    /// are at its commit, and again when a later one fills them. Call it inside a transaction,
    /// so that the map is not resized meanwhile. Best effort: a kernel without
    /// MADV_POPULATE_WRITE (Linux 5.14) leaves the faults where they were.
    func prefaultFreshPages(bytes: Int, in transaction: Transaction) {
        let info = self.info
        let start = (info.me_last_pgno + 1) * pageSize
        let end = min(info.me_mapsize, start + bytes)
        guard end > start, let map = mapAddress(in: transaction) else { return }
        _ = madvise(map + start, end - start, MADV_POPULATE_WRITE)
    }

    /// Where the data file is mapped. LMDB tells only for a map at a fixed address
    /// (`me_mapaddr`), so the kernel's list of this process's mappings is searched for the one
    /// holding a key the transaction reads from the map; the map begins that entry's file offset
    /// before the entry. Nil when there is none to read.
    func mapAddress(in transaction: Transaction) -> UnsafeMutableRawPointer? {
        guard var cursor = try? transaction.openCursor(Database.main) else { return nil }
        defer { cursor.close() }
        guard let entry = try? cursor.get(MDB_FIRST), let key = entry.key.baseAddress else { return nil }
        let address = UInt(bitPattern: key)
        guard let map = Self.mappings().first(where: { $0.start <= address && address < $0.end }),
            map.offset <= map.start
        else { return nil }
        return UnsafeMutableRawPointer(bitPattern: map.start - map.offset)
    }

    /// This process's mappings, as the kernel lists them (/proc/self/maps): their address ranges,
    /// where in its file each begins, and the files they map (empty for anonymous memory).
    private static func mappings() -> [(start: UInt, end: UInt, offset: UInt, file: Substring)] {
        guard let file = fopen("/proc/self/maps", "r") else { return [] }
        defer { fclose(file) }
        var found: [(start: UInt, end: UInt, offset: UInt, file: Substring)] = []
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            // "start-end perms offset device inode   path"
            let text = String(cString: line).dropLast()
            let fields = text.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            let range = fields.first?.split(separator: "-") ?? []
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16),
                fields.count >= 3, let offset = UInt(fields[2], radix: 16)
            else { continue }
            // The path is what follows the inode and the spaces that align it.
            found.append((start, end, offset, fields.count == 6 ? fields[5].drop { $0 == " " } : ""))
        }
        return found
    }

    /// The map size to grow to from `size` so that `needed` bytes fit: doubling up to 1 GiB
    /// steps, so a large store's file is never more than 1 GiB beyond what it needs.
    static func grownMapSize(from size: Int, toFit needed: Int) -> Int {
        var grown = size
        repeat { grown += min(max(grown, 1 << 20), 1 << 30) } while grown < needed
        return grown
    }

    /// Grows the map (reserving its file space) so that `bytes` more than the pages in use fit.
    func makeRoom(forBytes bytes: Int) throws(LMDBError) {
        let needed = usedBytes + bytes
        guard needed > mapSize else { return }
        try resizeMap(to: Self.grownMapSize(from: mapSize, toFit: needed))
    }

    var info: MDB_envinfo {
        var info = MDB_envinfo()
        mdb_env_info(handle, &info)
        return info
    }

    var pageSize: Int {
        var stat = MDB_stat()
        mdb_env_stat(handle, &stat)
        return Int(stat.ms_psize)
    }

    /// Turns the sync of each commit's meta page off (bulk loads) or back on.
    ///
    /// A commit's pages are still synced before the meta page that makes them current is
    /// written (MDB_NOMETASYNC), so a power loss can undo the last commits but never leave a
    /// meta page that points at pages not on disk: with a writable map, skipping every sync
    /// (MDB_NOSYNC) would let the kernel write the meta page first.
    func setSyncOnCommit(_ enabled: Bool) throws(LMDBError) {
        try check(mdb_env_set_flags(handle, UInt32(MDB_NOMETASYNC), enabled ? 0 : 1))
    }

    /// This process's resident set now, from /proc/self/statm (nil where there is none).
    static func residentBytes() -> Int? { statm()?.resident }

    /// This process's anonymous resident memory now (the resident set less its file-backed and
    /// shared pages, the store's mapped pages among them), from /proc/self/statm.
    static func anonymousBytes() -> Int? { statm().map { $0.resident - $0.shared } }

    private static func statm() -> (resident: Int, shared: Int)? {
        let descriptor = open("/proc/self/statm", O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var text = [UInt8](repeating: 0, count: 128)
        let count = text.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress!, $0.count) }
        guard count > 0 else { return nil }
        // "size resident shared text lib data dt", in pages.
        let fields = text[..<count].split(separator: UInt8(ascii: " "))
        guard fields.count > 2, let resident = Int(String(decoding: fields[1], as: UTF8.self)),
            let shared = Int(String(decoding: fields[2], as: UTF8.self))
        else { return nil }
        let page = sysconf(Int32(_SC_PAGESIZE))
        return (resident * page, shared * page)
    }

    /// Drops this process's resident pages of the memory map. The pages stay in the page cache
    /// (changed ones included: the map is shared with the file) and are read again if touched;
    /// this only keeps a long scan's resident set from growing to the size of the store.
    func releaseMappedPages(dataFile: String) {
        // mdb_env_info reports the map's address only with MDB_FIXEDMAP, so ask the kernel.
        for map in Self.mappings() where map.file == dataFile {
            guard let address = UnsafeMutableRawPointer(bitPattern: map.start) else { continue }
            madvise(address, Int(map.end - map.start), MADV_DONTNEED)
        }
    }

    /// Flushes buffers to disk now, whatever the sync setting.
    func sync() throws(LMDBError) {
        try check(mdb_env_sync(handle, 1))
    }

    /// Grows the map to at least `size` bytes, or adopts a size another process set (`size` 0).
    /// lmdb.h, mdb_env_set_mapsize: only when this process has no transaction open, so it
    /// waits for the transactions of other threads to end (their snapshots stay valid meanwhile).
    func resizeMap(to size: Int) throws(LMDBError) {
        while true {
            let resized = try openTransactions.withLock { (count: inout Int) throws(LMDBError) -> Bool in
                guard count == 0 else { return false }
                // The space first: on a full disk the map keeps its size and nothing is written.
                if !isReadOnly, size > 0 { try Self.reserveFileSpace(handle, size: size) }
                try check(mdb_env_set_mapsize(handle, size))
                if !isReadOnly, size == 0 { try Self.reserveFileSpace(handle, size: mapSize) }
                return true
            }
            if resized { return }
            usleep(1_000)
        }
    }

    /// Copies the environment, compacted, into the open file `descriptor` using a read
    /// transaction of its own (lmdb.h, mdb_env_copyfd2).
    func copy(to descriptor: Int32) throws(LMDBError) {
        try check(mdb_env_copyfd2(handle, descriptor, UInt32(MDB_CP_COMPACT)))
    }

    func openDatabase(_ name: String, flags: UInt32, in transaction: Transaction) throws(LMDBError) -> Database {
        var dbi: MDB_dbi = 0
        try check(mdb_dbi_open(transaction.handle, name, flags, &dbi))
        return Database(handle: dbi)
    }

    // MARK: Transactions

    /// Runs `body` in a read-only snapshot; the snapshot sees every commit made before it began.
    func read<Result>(_ body: (Transaction) throws -> Result) throws -> Result {
        try run(flags: UInt32(MDB_RDONLY), commit: false, body)
    }

    /// A read transaction that commits, so that database handles it opened stay open
    /// (lmdb.h, mdb_dbi_open: handles opened in a transaction that aborts are closed).
    func readCommitting<Result>(_ body: (Transaction) throws -> Result) throws -> Result {
        try run(flags: UInt32(MDB_RDONLY), commit: true, body)
    }

    /// Runs `body` in the single write transaction: commit when it returns, abort when it throws.
    /// A full map is grown and `body` run again, so `body` must be safe to repeat.
    func write<Result>(_ body: (Transaction) throws -> Result) throws -> Result {
        while true {
            do {
                return try writeOnce(body)
            } catch let error as LMDBError where error == .mapFull {
                try resizeMap(to: Self.grownMapSize(from: mapSize, toFit: mapSize + 1))
            }
        }
    }

    private func writeOnce<Result>(_ body: (Transaction) throws -> Result) throws -> Result {
        try run(flags: 0, commit: true, body)
    }

    /// The one place a transaction begins and ends: `body` runs in it, then it commits (when
    /// `commit`) or aborts; a throw aborts it. Nothing is aborted after a commit, failed or not.
    private func run<Result>(flags: UInt32, commit: Bool, _ body: (Transaction) throws -> Result) throws -> Result {
        let transaction = try begin(flags: flags)
        var finished = false
        defer {
            if !finished { mdb_txn_abort(transaction.handle) }
            ended()
        }
        let result = try body(transaction)
        finished = true
        if commit {
            // lmdb.h, mdb_txn_commit: the handle is freed even when commit fails; never abort it after.
            try check(mdb_txn_commit(transaction.handle))
        } else {
            mdb_txn_abort(transaction.handle)
        }
        return result
    }

    /// Counts the transaction open before it begins, so that a resize on another thread never
    /// remaps while this one is inside `mdb_txn_begin` reading the map.
    private func begin(flags: UInt32) throws(LMDBError) -> Transaction {
        while true {
            openTransactions.withLock { $0 += 1 }
            var pointer: OpaquePointer?
            let code = mdb_txn_begin(handle, nil, flags, &pointer)
            if code == MDB_SUCCESS {
                return Transaction(handle: pointer!, isReadOnly: flags & UInt32(MDB_RDONLY) != 0)
            }
            ended()
            if code == MDB_MAP_RESIZED {
                // Another process grew the map; adopt its size (lmdb.h, MDB_MAP_RESIZED).
                try resizeMap(to: 0)
                continue
            }
            try check(code)
        }
    }

    private func ended() {
        openTransactions.withLock { $0 -= 1 }
    }
}
