/// Why a store operation failed, in terms a user can act on. The CLI maps these to exit codes.
public enum StoreError: Error, Equatable, Sendable {
    /// No store at this path (a read command never creates one).
    case missingStore(path: String)
    /// Something is at this path, but not a plaint store.
    case notAStore(path: String, reason: String)
    /// Written by a newer plaint; this one does not know its layout.
    case newerFormat(path: String, found: Int, supported: Int)
    /// The store cannot be opened or read (permissions...).
    case unreadable(path: String, reason: String)
    /// An event with this id is stored with other content. `index` is the event's place in its batch.
    case idConflict(index: Int, id: String, storedAt: UInt64)
    /// `expect_version` did not match the case's version.
    case versionConflict(index: Int, caseID: String, expected: UInt64, actual: UInt64)
    /// A stored record fails its checks.
    case corrupt(position: UInt64, reason: String)
    case diskFull(path: String)
    /// An I/O or LMDB failure with LMDB's message.
    case io(path: String, reason: String)
    /// The projections' views are missing, in another layout than this plaint's, or do not
    /// cover the whole log: `plaint replay` rebuilds them.
    case viewsMissing
    /// Built by a plaint whose views have another layout (`found`; this one reads `current`).
    case viewsOutdated(found: Int, current: Int)
    case viewsBehind(viewPosition: UInt64, head: UInt64)
}

extension StoreError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .missingStore(let path):
            "no plaint store at \(path) (append creates one; set --store or PLAINT_STORE)"
        case .notAStore(let path, let reason):
            "\(path) is not a plaint store: \(reason)"
        case .newerFormat(let path, let found, let supported):
            "\(path) was written in store format \(found); this plaint reads format \(supported) and older: upgrade plaint"
        case .unreadable(let path, let reason):
            "cannot open the store at \(path): \(reason)"
        case .idConflict(_, let id, let position):
            "conflict: an event with id \"\(id)\" is already stored at position \(position) with other content"
        case .versionConflict(_, let caseID, let expected, let actual):
            "conflict: expect_version \(expected) but case \"\(caseID)\" is at version \(actual)"
        case .corrupt(let position, let reason):
            "corrupt record at position \(position): \(reason)"
        case .diskFull(let path):
            "no space left on the device holding \(path); the failed batch was not written"
        case .io(let path, let reason):
            "I/O error on the store at \(path): \(reason)"
        case .viewsMissing:
            "the store has no projection views yet; run `plaint replay` to build them from the log"
        case .viewsOutdated(let found, let current):
            "the store's projection views have layout \(found), from another version of plaint; this one reads "
                + "layout \(current): run `plaint replay` to rebuild them from the log"
        case .viewsBehind(let viewPosition, let head):
            "the projection views cover positions 1-\(viewPosition) but the log ends at \(head); "
                + "run `plaint replay` to rebuild them"
        }
    }
}
