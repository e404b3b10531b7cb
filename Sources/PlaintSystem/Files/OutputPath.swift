import Glibc

/// The checks every path plaint writes (`--rejects`, `--output`, `backup DEST`) passes first, so
/// that no typo can destroy data: it must not be an input of the same command, lie inside a
/// store, be a symbolic link (never followed to overwrite its target) or be anything but a
/// regular file (a device, FIFO, socket or directory).
public enum OutputPath {
    public struct Refused: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// - Parameters:
    ///   - inputs: the files the command reads; `-` is standard input.
    ///   - stores: the store directories the command opens.
    ///   - directory: the path names a directory to be created (a backup), not a file.
    public static func check(_ path: String, inputs: [String] = [], stores: [String], directory: Bool = false)
        throws(Refused)
    {
        // "dest/" would make lstat follow a link named dest: judge the name itself.
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        var status = stat()
        if lstat(path, &status) == 0 {
            let kind = status.st_mode & S_IFMT
            if kind == S_IFLNK {
                throw Refused(path: path, reason: "is a symbolic link; plaint does not write through links")
            }
            if !directory, kind != S_IFREG {
                throw Refused(path: path, reason: "is not a regular file (a directory, device, FIFO or socket)")
            }
            if directory, kind != S_IFDIR {
                throw Refused(path: path, reason: "exists and is not a directory; name a new directory")
            }
            for input in inputs where isSameFile(status, input) {
                throw Refused(path: path, reason: "is also an input of this command; write to another file")
            }
        }
        let resolved = resolvedPath(path)
        for store in stores {
            // A store the command is about to create does not exist yet: compare where it will be.
            guard let storeDirectory = resolvedPath(store), let resolved else { continue }
            if resolved == storeDirectory || resolved.hasPrefix(storeDirectory + "/") {
                throw Refused(path: path, reason: "lies inside the store \(store); write outside it")
            }
        }
    }

    package static func isSameFile(_ status: stat, _ input: String) -> Bool {
        var other = stat()
        let found = input == "-" ? fstat(0, &other) == 0 : stat(input, &other) == 0
        return found && other.st_dev == status.st_dev && other.st_ino == status.st_ino
    }

    /// The canonical form of `path`, of which only some leading directories may exist yet: the
    /// deepest existing one resolved, the rest appended.
    package static func resolvedPath(_ path: String) -> String? {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        if let existing = realPath(path) { return existing }
        let slash = path.lastIndex(of: "/")
        let parent = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        guard parent != path, let resolvedParent = resolvedPath(parent) else { return nil }
        return (resolvedParent == "/" ? "" : resolvedParent) + "/" + lastComponent(of: path)
    }

    package static func lastComponent(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    package static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
