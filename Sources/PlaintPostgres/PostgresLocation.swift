import Glibc

/// Where a PostgreSQL store is: `postgres://[user[:password]@]host[:port][,host[:port]…]/database`
/// (or `postgresql://`), with `?target_session_attrs=any` to accept a server that does not take
/// writes (reading from a replica). Without a password in the URL, `PGPASSWORD` and then the
/// password file (`PGPASSFILE`, else `~/.pgpass`) are consulted, as libpq does.
public struct PostgresLocation: Sendable, Equatable {
    public struct Host: Sendable, Equatable {
        public var name: String
        public var port: Int
    }

    public var hosts: [Host]
    public var database: String
    public var user: String
    public var password: String?
    /// Only a server that accepts writes will do (`target_session_attrs=read-write`, the default).
    public var requiresWritable: Bool

    /// Whether `text` names a PostgreSQL store rather than a directory.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(url: String, environment: [String: String]) throws(PostgresStoreError) {
        guard let schemeEnd = url.firstRange(of: "://") else {
            throw .badURL(url, "it does not start with postgres://")
        }
        var rest = Substring(url[schemeEnd.upperBound...])
        var query = Substring("")
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/") else { throw .badURL(url, "it names no database (…/DB)") }
        database = Self.decoded(rest[rest.index(after: slash)...])
        guard !database.isEmpty else { throw .badURL(url, "it names no database (…/DB)") }
        var authority = rest[..<slash]
        var user: String?
        password = nil
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = Self.decoded(credentials[..<colon])
                password = Self.decoded(credentials[credentials.index(after: colon)...])
            } else {
                user = Self.decoded(credentials)
            }
        }
        hosts = try authority.split(separator: ",", omittingEmptySubsequences: false).map {
            (part) throws(PostgresStoreError) -> Host in
            var name = Substring(part)
            var port = 5432
            if let colon = part.lastIndex(of: ":"), !part.hasSuffix("]") {
                guard let number = Int(part[part.index(after: colon)...]), (1...65535).contains(number) else {
                    throw .badURL(url, "\"\(part)\" has no valid port")
                }
                port = number
                name = part[..<colon]
            }
            if name.hasPrefix("["), name.hasSuffix("]") { name = name.dropFirst().dropLast() }
            guard !name.isEmpty else { throw .badURL(url, "a host is empty") }
            return Host(name: String(name), port: port)
        }
        requiresWritable = true
        for parameter in query.split(separator: "&") {
            let pair = parameter.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { throw .badURL(url, "\"\(parameter)\" is not name=value") }
            switch (pair[0], pair[1]) {
            case ("target_session_attrs", "read-write"): requiresWritable = true
            case ("target_session_attrs", "any"): requiresWritable = false
            default:
                throw .badURL(url, "unknown parameter \"\(parameter)\" (known: target_session_attrs=read-write|any)")
            }
        }
        self.user = user ?? environment["PGUSER"] ?? Self.loginName() ?? "postgres"
        if password == nil {
            password =
                environment["PGPASSWORD"]
                ?? Self.passwordFromFile(environment: environment, hosts: hosts, database: database, user: self.user)
        }
    }

    /// The URL without its password, for messages and for naming the local view store.
    public var displayName: String {
        "postgres://\(user)@" + hosts.map { "\($0.name):\($0.port)" }.joined(separator: ",") + "/\(database)"
    }

    /// `%XX` escapes of a URL part decoded.
    static func decoded(_ part: Substring) -> String {
        var bytes: [UInt8] = []
        var index = part.utf8.startIndex
        let utf8 = part.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), let high = utf8.index(index, offsetBy: 1, limitedBy: utf8.endIndex),
                let low = utf8.index(index, offsetBy: 2, limitedBy: utf8.endIndex), low < utf8.endIndex,
                let value = UInt8(String(decoding: [utf8[high], utf8[low]], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index = utf8.index(after: low)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func loginName() -> String? {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }

    /// The password file's first line matching `host:port:database:user` (`*` matches anything,
    /// `\:` and `\\` are escapes), as libpq reads it. Skipped when the file is readable by others.
    static func passwordFromFile(environment: [String: String], hosts: [Host], database: String, user: String)
        -> String?
    {
        let path =
            environment["PGPASSFILE"]
            ?? (environment["HOME"] ?? (getpwuid(geteuid())?.pointee.pw_dir.map { String(cString: $0) })).map {
                $0 + "/.pgpass"
            }
        guard let path, let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var info = stat()
        if fstat(fileno(file), &info) == 0, info.st_mode & 0o077 != 0 { return nil }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line).trimmingLineEnd
            if text.hasPrefix("#") { continue }
            let fields = splitEscaped(text)
            guard fields.count == 5 else { continue }
            let matches =
                hosts.contains { host in
                    (fields[0] == "*" || fields[0] == host.name) && (fields[1] == "*" || fields[1] == String(host.port))
                } && (fields[2] == "*" || fields[2] == database) && (fields[3] == "*" || fields[3] == user)
            if matches { return fields[4] }
        }
        return nil
    }

    static func splitEscaped(_ line: String) -> [String] {
        var fields = [""]
        var escaped = false
        for character in line {
            if escaped {
                fields[fields.count - 1].append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" {
                fields.append("")
            } else {
                fields[fields.count - 1].append(character)
            }
        }
        return fields
    }
}

extension String {
    fileprivate var trimmingLineEnd: String {
        var text = self
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        return text
    }
}
