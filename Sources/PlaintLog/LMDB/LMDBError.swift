import CLMDB

/// A return code from LMDB (or the errno it passed through), with LMDB's own text for it.
public struct LMDBError: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: Int32

    public init(code: Int32) { self.code = code }

    public var description: String { String(cString: mdb_strerror(code)) }

    public static let notFound = LMDBError(code: MDB_NOTFOUND)
    public static let keyExists = LMDBError(code: MDB_KEYEXIST)
    public static let mapFull = LMDBError(code: MDB_MAP_FULL)
    public static let mapResized = LMDBError(code: MDB_MAP_RESIZED)
    public static let invalid = LMDBError(code: MDB_INVALID)
    public static let versionMismatch = LMDBError(code: MDB_VERSION_MISMATCH)
    public static let corrupted = LMDBError(code: MDB_CORRUPTED)
    public static let pageNotFound = LMDBError(code: MDB_PAGE_NOTFOUND)
}

/// Throws unless `code` is MDB_SUCCESS.
@inline(__always)
func check(_ code: Int32) throws(LMDBError) {
    if code != MDB_SUCCESS { throw LMDBError(code: code) }
}
