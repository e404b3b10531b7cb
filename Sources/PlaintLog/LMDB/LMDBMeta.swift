import Glibc

/// What a data file's meta pages say, read with `pread` before LMDB opens the file.
///
/// LMDB keeps two meta pages at the start of the file and uses the one with the larger
/// transaction id. Each is a page header (16 bytes) then `MDB_meta` (mdb.c): magic (u32),
/// version (u32), address (8), map size (8), two `MDB_db` of 48 bytes (the first's leading u32,
/// `md_pad`, holds the page size), the last page number in use (u64) and the transaction id
/// (u64), native-endian. Only sizes are read here; LMDB itself checks everything else at open.
struct LMDBMeta {
    static let magic: UInt32 = 0xBEEF_C0DE
    static let header = 16

    var pageSize: Int
    var lastPage: Int
    var transaction: UInt64

    var usedBytes: Int { (lastPage + 1) * pageSize }

    /// The newer of the two meta pages; nil when the file is too short or not an LMDB file.
    static func read(_ path: String) -> LMDBMeta? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        guard let first = meta(descriptor, at: 0) else { return nil }
        guard let second = meta(descriptor, at: first.pageSize) else { return first }
        return second.transaction > first.transaction ? second : first
    }

    private static func meta(_ descriptor: Int32, at offset: Int) -> LMDBMeta? {
        var bytes = [UInt8](repeating: 0, count: header + 152)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(offset)) }
        guard count == bytes.count else { return nil }
        func integer<Value: FixedWidthInteger>(_ at: Int, _: Value.Type) -> Value {
            bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: header + at, as: Value.self) }
        }
        guard integer(0, UInt32.self) == magic else { return nil }
        let pageSize = Int(integer(24, UInt32.self))
        guard pageSize >= 512, pageSize <= 65_536, pageSize & (pageSize - 1) == 0 else { return nil }
        return LMDBMeta(
            pageSize: pageSize, lastPage: Int(integer(120, UInt64.self)), transaction: integer(128, UInt64.self))
    }
}
