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
        var status = stat()
        if lstat(path, &status) == 0 {
            let kind = status.st_mode & S_IFMT
            if kind == S_IFLNK {
                throw Refused(path: path, reason: "is a symbolic link; plaint does not write through links")
            }
            if !directory, kind != S_IFREG {
                throw Refused(path: path, reason: "is not a regular file (a directory, device, FIFO or socket)")
            }
            for input in inputs where isSameFile(status, input) {
                throw Refused(path: path, reason: "is also an input of this command; write to another file")
            }
        }
        let parent = resolvedParent(of: path)
        let resolved = parent.map { $0 + "/" + lastComponent(of: path) }
        for store in stores {
            guard let storeDirectory = realPath(store), let resolved else { continue }
            if resolved == storeDirectory || resolved.hasPrefix(storeDirectory + "/") {
                throw Refused(path: path, reason: "lies inside the store \(store); write outside it")
            }
        }
    }

    static func isSameFile(_ status: stat, _ input: String) -> Bool {
        var other = stat()
        let found = input == "-" ? fstat(0, &other) == 0 : stat(input, &other) == 0
        return found && other.st_dev == status.st_dev && other.st_ino == status.st_ino
    }

    /// The canonical path of the directory that holds `path`, nil when it does not exist.
    static func resolvedParent(of path: String) -> String? {
        let slash = path.lastIndex(of: "/")
        let parent = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        return realPath(parent).map { $0 == "/" ? "" : $0 }
    }

    static func lastComponent(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
