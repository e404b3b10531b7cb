import CLMDB
import Glibc
import PlaintSystem
import Synchronization

/// plaint's append-only event log: one LMDB environment in a directory, holding the events in
/// position order and the indexes that find them by id, case, customer, brand and type.
///
/// Several processes may open the same store: LMDB serializes writers and gives every reader a
/// consistent snapshot without blocking the writer.
public final class EventLog: Sendable {
    /// The layout this code gives a new store. It reads and appends to stores of every format
    /// from 1 up to this; a store with a higher number is refused.
    /// Format 2 keys the customer index by epoch and customer (`CustomerKeys`).
    public static let formatVersion = 2

    public enum Access: Sendable {
        /// Open an existing store for reading; never creates anything.
        case read
        /// Open for appending, creating the store (and its directory) when missing.
        case write
        /// Open an existing store for writing its views (replay); never creates a store.
        case update
    }

    public struct Options: Sendable {
        /// A new store's memory map size (and its data file's size on disk); the map grows
        /// whenever LMDB reports it full, and a store opened again keeps the size it reached.
        public var initialMapSize: Int
        /// Keeps the projections' views in step with every append (in the same transaction).
        public var views: (any ViewMaintainer)?
        /// The format a new store gets; an older one only to test that this code still reads and
        /// appends to stores written in it.
        var newStoreFormat = EventLog.formatVersion

        public init(initialMapSize: Int = 1 << 20, views: (any ViewMaintainer)? = nil) {
            self.initialMapSize = initialMapSize
            self.views = views
        }
    }

    public let path: String
    /// This store's format (see `formatVersion`).
    public let format: Int
    let environment: Environment
    let databases: Databases
    let writerLock: WriterLock
    let views: (any ViewMaintainer)?
    /// The bytes of fresh pages per event the latest checked transaction took, measured after
    /// its commit: the next one maps in about as many ahead (`fillingFreshPages`).
    let freshBytesPerEvent = Mutex<Int?>(nil)

    /// Every named database, opened once at start-up.
    struct Databases: Sendable {
        let events: Database
        let ids: Database
        let byCase: Database
        let byCustomer: Database
        let byBrand: Database
        let byType: Database
        let meta: Database
        /// How `byCustomer` is keyed in this store's format.
        var customerKeys = CustomerKeys(format: EventLog.formatVersion)
        /// The views' tables; a read-only open of a store without them leaves them out.
        let views: [ViewTable: Database]

        func index(_ index: LogIndex) -> Database {
            switch index {
            case .case: byCase
            case .customer: byCustomer
            case .brand: byBrand
            case .type: byType
            }
        }
    }

    static let dataFile = "data.mdb"

    /// data.mdb's absolute path, as /proc/self/maps names it.
    var dataFilePath: String {
        let full = path + "/" + Self.dataFile
        guard let resolved = realpath(full, nil) else { return full }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    public init(path: String, access: Access, options: Options = Options()) throws(StoreError) {
        self.path = path
        self.writerLock = WriterLock(path: path + "/writer.lock")
        self.views = options.views
        _ = try Self.prepareDirectory(path, access: access)
        try Self.checkNotEmpty(path + "/" + Self.dataFile)
        // Before LMDB opens it: a writer's open sets the file's length to the map's.
        try Self.checkComplete(path + "/" + Self.dataFile)
        // LMDB makes lock.mdb as it opens; an open that finds no store there (a reader's, or any
        // open of a data file that is not plaint's) leaves none behind.
        let lockFile = path + "/lock.mdb"
        let lockExisted = FileSystem.kind(of: lockFile) != .missing
        let dataFileExisted = FileSystem.kind(of: path + "/" + Self.dataFile) != .missing
        var isOpen = false
        defer { if !isOpen, !lockExisted, access == .read || dataFileExisted { unlink(lockFile) } }
        do {
            // A writer's data file is as long as its map: asking for less would shrink both, under
            // another writer that may be creating the store at this moment.
            let mapSize = max(options.initialMapSize, FileSystem.size(of: path + "/" + Self.dataFile))
            environment = try Environment(
                directory: path, mapSize: mapSize, maxDatabases: 32, readOnly: access == .read)
        } catch {
            throw Self.openFailure(error, path: path)
        }
        if access != .read, dataFileExisted, try Self.holdsAnotherProgramsData(environment) {
            throw .notAStore(
                path: path, reason: "data.mdb is an LMDB database with no plaint databases (another program's?)")
        }
        var opened: Databases
        do {
            opened = try Self.openDatabases(
                in: environment, create: access == .write, createViews: access != .read,
                viewTables: options.views?.tables ?? [])
        } catch let error as LMDBError {
            if error == .notFound { throw .notAStore(path: path, reason: "data.mdb has no plaint databases") }
            throw Self.openFailure(error, path: path)
        } catch {
            throw .io(path: path, reason: "\(error)")
        }
        format = try Self.checkFormat(
            in: environment, meta: opened.meta, path: path, newStoreFormat: options.newStoreFormat)
        opened.customerKeys = CustomerKeys(format: format)
        databases = opened
        isOpen = true
    }

    /// Makes sure `path` is a directory that holds a store (or, for writing, may get one).
    /// Returns true when the store is about to be created.
    private static func prepareDirectory(_ path: String, access: Access) throws(StoreError) -> Bool {
        switch FileSystem.kind(of: path) {
        case .missing:
            guard access == .write else { throw .missingStore(path: path) }
            if let code = FileSystem.makeDirectory(path) {
                // Another process creating the same store at the same moment got there first.
                if code == EEXIST, FileSystem.kind(of: path) == .directory {
                    return try prepareDirectory(path, access: access)
                }
                throw .unreadable(path: path, reason: "cannot create the directory: \(FileSystem.errorText(code))")
            }
            return true
        case .file, .other:
            throw .notAStore(path: path, reason: "it is not a directory")
        case .directory:
            if FileSystem.kind(of: path + "/" + dataFile) == .file { return false }
            guard let entries = FileSystem.entries(of: path) else {
                throw .unreadable(path: path, reason: FileSystem.errorText(errno))
            }
            guard access == .write else {
                throw entries.isEmpty
                    ? .missingStore(path: path) : .notAStore(path: path, reason: "it holds no data.mdb")
            }
            // data.mdb may appear meanwhile: another process is creating this store right now.
            let leftovers = entries.filter { $0 != "lock.mdb" && $0 != "writer.lock" && $0 != dataFile }
            guard leftovers.isEmpty else {
                throw .notAStore(
                    path: path, reason: "the directory is not empty and holds no data.mdb; use a new or empty directory"
                )
            }
            return true
        }
    }

    /// An empty data file is a store whose data is gone (an interrupted copy, a truncation), never
    /// one to start afresh: LMDB would take it for a new environment and a new chain would
    /// begin at position 1. A writer creating the store meanwhile fills it within
    /// milliseconds, so an empty file is waited for (up to a second) before it is called damaged.
    private static func checkNotEmpty(_ dataFile: String) throws(StoreError) {
        var waited = 0
        while FileSystem.kind(of: dataFile) == .file, FileSystem.size(of: dataFile) == 0 {
            guard waited < 1_000 else {
                throw .io(
                    path: dataFile,
                    reason: "the file is empty (0 bytes): the store's data is gone; restore it from a backup, or "
                        + "remove the directory to start a new store")
            }
            usleep(10_000)
            waited += 10
        }
    }

    /// LMDB writes whole pages, and a writer's data file is as long as its map, which holds
    /// every page in use: a data file that is not a whole number of pages, shorter than its two
    /// meta pages, or shorter than the pages its own metadata says are in use, was truncated or
    /// only partly copied. It is refused at open, before a read past its end could stop the
    /// process and before a writer's open could lengthen it with zeros and hide the loss.
    /// Checked from its meta pages (`LMDBMeta`), before LMDB opens the file.
    private static func checkComplete(_ dataFile: String) throws(StoreError) {
        guard FileSystem.kind(of: dataFile) == .file, let meta = LMDBMeta.read(dataFile) else { return }
        let size = FileSystem.size(of: dataFile)
        let problem: String
        if size % meta.pageSize != 0 || size < 2 * meta.pageSize {
            problem = "not a whole number of \(meta.pageSize)-byte pages"
        } else if size < meta.usedBytes {
            problem = "shorter than the pages in use"
        } else {
            return
        }
        throw .io(
            path: dataFile,
            reason: "the file is \(size) bytes, \(problem) (its own metadata says \(meta.usedBytes) bytes are in "
                + "use): it was truncated or only partly copied; restore it from a backup")
    }

    private static func openFailure(_ error: LMDBError, path: String) -> StoreError {
        switch error.code {
        case EACCES, EPERM, EROFS:
            .unreadable(
                path: path,
                reason: "\(error.description): even to read, LMDB records its readers in lock.mdb, so a reader "
                    + "needs write access to lock.mdb (or, to create it, to the directory); ask the store's owner, "
                    + "or read a copy made with `plaint backup`")
        case MDB_INVALID: .notAStore(path: path, reason: "data.mdb is not an LMDB database")
        case MDB_VERSION_MISMATCH: .notAStore(path: path, reason: "data.mdb was written by an incompatible LMDB")
        case ENOSPC: .diskFull(path: path)
        default: .io(path: path, reason: error.description)
        }
    }

    /// Whether the environment has named databases but not plaint's: a writer must not add its
    /// own beside them. An environment with none is a store whose creation stopped before its
    /// first commit, which a writer completes.
    private static func holdsAnotherProgramsData(_ environment: Environment) throws(StoreError) -> Bool {
        // Counted in the same snapshot that looks for "meta": a store's databases are created in
        // one transaction, so a snapshot holds all of them or none. (mdb_env_stat reads the newest
        // meta page, which a creating writer publishes a moment before new snapshots see it.)
        do {
            return try environment.read { transaction in
                let main = try transaction.statistics(Database.main)
                guard main.ms_entries > 0 else { return false }
                return try environment.openDatabaseIfPresent("meta", flags: 0, in: transaction) == nil
            }
        } catch {
            return false
        }
    }

    /// - Parameters: `create` creates the log's databases (a new store), `createViews` the views'.
    private static func openDatabases(
        in environment: Environment, create: Bool, createViews: Bool, viewTables: [ViewTable]
    ) throws -> Databases {
        func open(_ transaction: Transaction) throws -> Databases {
            let plain = create ? UInt32(MDB_CREATE) : 0
            let postings = plain | UInt32(MDB_DUPSORT | MDB_DUPFIXED)
            var views: [ViewTable: Database] = [:]
            for table in viewTables {
                views[table] = try environment.openDatabaseIfPresent(
                    table.name, flags: createViews ? UInt32(MDB_CREATE) : 0, in: transaction)
            }
            return Databases(
                events: try environment.openDatabase("events", flags: plain, in: transaction),
                ids: try environment.openDatabase("ids", flags: plain, in: transaction),
                byCase: try environment.openDatabase("by_case", flags: postings, in: transaction),
                byCustomer: try environment.openDatabase("by_customer", flags: postings, in: transaction),
                byBrand: try environment.openDatabase("by_brand", flags: postings, in: transaction),
                byType: try environment.openDatabase("by_type", flags: postings, in: transaction),
                meta: try environment.openDatabase("meta", flags: plain, in: transaction),
                views: views)
        }
        // Handles opened in a transaction become usable by all once it commits (lmdb.h, mdb_dbi_open).
        return createViews ? try environment.write(open) : try environment.readCommitting(open)
    }

    /// The store's format, written first (as `newStoreFormat`) when the store is new.
    private static func checkFormat(in environment: Environment, meta: Database, path: String, newStoreFormat: Int)
        throws(StoreError) -> Int
    {
        let formatKey = Array("format".utf8)
        func stored(_ transaction: Transaction) throws -> Int? {
            try transaction.get(meta, key: formatKey).map { Int(String(decoding: $0, as: UTF8.self)) ?? -1 }
        }
        do {
            switch try environment.read(stored) {
            case nil where environment.isReadOnly:
                throw StoreError.notAStore(path: path, reason: "it has no plaint format marker")
            case nil:
                return try environment.write { transaction in
                    // Another process may have created it between our read and this write.
                    if let found = try stored(transaction) { return found }
                    try transaction.put(meta, key: formatKey, value: Array("\(newStoreFormat)".utf8))
                    try transaction.put(meta, key: Array("created_at".utf8), value: Array(String(Self.now()).utf8))
                    return newStoreFormat
                }
            case let found? where found > Self.formatVersion:
                throw StoreError.newerFormat(path: path, found: found, supported: Self.formatVersion)
            case let found? where found < 1:
                throw StoreError.notAStore(path: path, reason: "its format marker is unreadable")
            case let found?:
                return found
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw mapped(error, path: path)
        }
    }

    /// Microseconds since 1970 by the store's clock.
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1000
    }

    /// Turns any failure inside a transaction into the `StoreError` a caller should see.
    func mapped(_ error: any Error) -> StoreError { Self.mapped(error, path: path) }

    static func mapped(_ error: any Error, path: String) -> StoreError {
        switch error {
        case let error as StoreError: return error
        case let error as LMDBError:
            switch error.code {
            case ENOSPC: return .diskFull(path: path)
            // LMDB reports a short write as EIO; a write cut short by a full disk is one.
            case EIO where FileSystem.isNearlyFull(path): return .diskFull(path: path)
            case MDB_CORRUPTED, MDB_PAGE_NOTFOUND: return .corrupt(position: 0, reason: error.description)
            default: return .io(path: path, reason: error.description)
            }
        default: return .io(path: path, reason: "\(error)")
        }
    }
}

/// The secondary indexes: each maps a value to the positions of the events that carry it.
public enum LogIndex: String, CaseIterable, Sendable {
    case `case`, customer, brand, type
}

extension Environment {
    /// Opens a named database; nil when it does not exist and `flags` lacks MDB_CREATE.
    func openDatabaseIfPresent(_ name: String, flags: UInt32, in transaction: Transaction) throws -> Database? {
        var handle: MDB_dbi = 0
        let code = mdb_dbi_open(transaction.handle, name, flags, &handle)
        if code == MDB_NOTFOUND { return nil }
        try check(code)
        return Database(handle: handle)
    }
}
