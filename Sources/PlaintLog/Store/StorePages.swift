import CLMDB
import Glibc

/// Checks of LMDB's own structures, which LMDB trusts without checksums.
enum StorePages {
    /// Where the fields of an LMDB meta page sit on a 64-bit machine (lmdb.h's MDB_meta after
    /// the 16-byte page header): the magic number and the id of the transaction that wrote it.
    static let magicOffset = 16
    static let transactionOffset = 144
    static let magic: UInt32 = 0xBEEF_C0DE

    /// Why the two meta pages of `dataFile` disagree, or nil. LMDB writes the meta page of
    /// transaction t into page t mod 2, so the two hold consecutive ids, the even one in page 0
    /// (both 0 in a store no transaction has written). A byte changed in either breaks that, and
    /// LMDB would otherwise open whichever claims the higher id, an older snapshot included.
    static func metaProblem(dataFile: String, pageSize: Int) -> String? {
        // A commit landing between the two reads can make sound pages look inconsistent: only a
        // disagreement that stays is damage.
        for attempt in 0..<5 {
            guard let problem = readMetaProblem(dataFile: dataFile, pageSize: pageSize) else { return nil }
            if attempt == 4 { return problem }
            usleep(20_000)
        }
        return nil
    }

    private static func readMetaProblem(dataFile: String, pageSize: Int) -> String? {
        let descriptor = open(dataFile, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return "cannot read \(dataFile): \(String(cString: strerror(errno)))" }
        defer { close(descriptor) }
        var ids: [UInt64] = []
        for page in 0..<2 {
            var bytes = [UInt8](repeating: 0, count: transactionOffset + 8)
            let count = bytes.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress, $0.count, off_t(page * pageSize))
            }
            guard count == bytes.count else { return "the meta page \(page) of \(dataFile) cannot be read whole" }
            let found = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: magicOffset, as: UInt32.self) }
            guard found == magic else { return "the meta page \(page) of \(dataFile) has lost LMDB's magic number" }
            ids.append(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: transactionOffset, as: UInt64.self) })
        }
        let (even, odd) = (ids[0], ids[1])
        if even == 0, odd == 0 { return nil }
        guard even % 2 == 0, odd % 2 == 1, max(even, odd) - min(even, odd) == 1 else {
            return
                "the meta pages of \(dataFile) disagree (transactions \(even) and \(odd), which must be consecutive, "
                + "the even one first): one is damaged, and the store may show an older snapshot; restore it from a backup"
        }
        return nil
    }

    /// Why LMDB cannot walk every page of every database, or nil: it copies the store, compacted,
    /// to /dev/null, which visits each page as a backup would. Only LMDB's verdicts on a page
    /// are damage; a map another process grew meanwhile is adopted and the walk repeated.
    static func walkProblem(_ environment: Environment) throws(LMDBError) -> String? {
        let descriptor = open("/dev/null", O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        for _ in 0..<8 {
            do {
                try environment.copy(to: descriptor)
                return nil
            } catch {
                switch error.code {
                case MDB_MAP_RESIZED: try environment.resizeMap(to: 0)
                case MDB_CORRUPTED, MDB_PAGE_NOTFOUND, MDB_INCOMPATIBLE, MDB_BAD_VALSIZE, MDB_INVALID:
                    return "LMDB cannot walk every page of the store (\(error.description)): a page is damaged; "
                        + "restore it from a backup"
                default: throw error
                }
            }
        }
        return nil
    }
}
