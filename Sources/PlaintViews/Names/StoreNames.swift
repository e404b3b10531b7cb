import PlaintLog
import PlaintSystem

/// The kinds of names a command takes: each is looked up in the log's index of that field.
public enum NameKind: String, Sendable, CaseIterable {
    case brand, customer, `case`

    var index: LogIndex {
        switch self {
        case .brand: .brand
        case .customer: .customer
        case .case: .case
        }
    }
}

/// A name the store does not hold, with the closest ones it does.
public struct UnknownName: Error, Equatable, Sendable, CustomStringConvertible {
    public let kind: NameKind
    public let name: String
    public let suggestions: [String]

    public var description: String {
        let unknown = "unknown \(kind.rawValue) \"\(name)\": no event names it in this store"
        guard !suggestions.isEmpty else { return unknown }
        return unknown + "; did you mean " + suggestions.map { "\"\($0)\"" }.joined(separator: ", ") + "?"
    }
}

/// A typed name and the stored name it stands for.
public struct ResolvedName: Equatable, Sendable {
    public let typed: String
    public let stored: String
    /// True when the stored name differs from the typed one in letter case only.
    public var isCaseInsensitive: Bool { typed != stored }
}

/// Resolves names typed on the command line to the names stored in a log (`NameMatcher`).
public enum StoreNames {
    /// The stored name `name` stands for; throws `UnknownName` when there is none to use.
    public static func resolve(_ name: String, as kind: NameKind, in log: EventLog) throws -> ResolvedName {
        // No stored identifier is empty (and LMDB refuses empty keys): an empty name is unknown.
        guard !name.isEmpty else { throw UnknownName(kind: kind, name: name, suggestions: []) }
        return try log.read { reader in
            if try reader.count(in: kind.index, key: IndexKey.make(Array(name.utf8))) > 0 {
                return ResolvedName(typed: name, stored: name)
            }
            switch NameMatcher.match(name, among: try names(kind, in: reader)) {
            case .exact(let stored), .caseInsensitive(let stored): return ResolvedName(typed: name, stored: stored)
            case .unknown(let suggestions): throw UnknownName(kind: kind, name: name, suggestions: suggestions)
            }
        }
    }

    /// Every stored name of `kind` with its number of events, in byte order. Names longer than
    /// an index key are stored as a prefix and a digest, and are left out.
    public static func names(_ kind: NameKind, in reader: LogReader) throws -> [String] {
        var names: [String] = []
        try reader.forEachKey(in: kind.index) { key, _ in
            guard key.count <= IndexKey.directLimit else { return }
            names.append(String(decoding: key.bytes, as: UTF8.self))
        }
        return names
    }
}
