import PlaintLog
import PlaintViews

/// The stored name a typed brand, customer or case stands for (`StoreNames`); says on stderr
/// when it took a match that differs in letter case, so the substitution is never silent.
func resolveName(_ name: String, as kind: NameKind, in log: EventLog) throws -> String {
    let resolved = try StoreNames.resolve(name, as: kind, in: log)
    if resolved.isCaseInsensitive {
        printError(
            "\(kind.rawValue) \"\(name)\" is not stored; using \"\(resolved.stored)\", which differs only in case")
    }
    return resolved.stored
}

/// `resolveName` for a name that may not have been given.
func resolveNameIfGiven(_ name: String?, as kind: NameKind, in log: EventLog) throws -> String? {
    try name.map { try resolveName($0, as: kind, in: log) }
}
