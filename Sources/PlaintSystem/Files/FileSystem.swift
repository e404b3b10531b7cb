import Glibc

/// The few file-system facts the store needs, straight from POSIX.
package enum FileSystem {
    package enum Kind { case missing, directory, file, other }

    package static func kind(of path: String) -> Kind {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .file
        default: return .other
        }
    }

    package static func size(of path: String) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0 }
        return Int(info.st_size)
    }

    /// Names in a directory, without `.` and `..`; nil if it cannot be read.
    package static func entries(of path: String) -> [String]? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Whether the file system holding `path` has less than 16 MiB (or 1%) left for this user:
    /// what a write cut short by a full disk leaves.
    package static func isNearlyFull(_ path: String) -> Bool {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return false }
        let free = UInt64(info.f_bavail) * UInt64(info.f_frsize)
        let total = UInt64(info.f_blocks) * UInt64(info.f_frsize)
        return free < min(16 << 20, total / 100)
    }

    package static func makeDirectory(_ path: String) -> Int32? {
        mkdir(path, 0o755) == 0 ? nil : errno
    }

    /// Makes every missing directory above `path` (as `mkdir -p` on its parent); best effort:
    /// whatever cannot be made is reported by the open that needs it.
    package static func makeParentDirectories(of path: String) {
        var parent = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/").dropLast() {
            parent += component
            _ = mkdir(parent, 0o755)
            parent += "/"
        }
    }

    package static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// Makes a rename in `directory` durable (fsync of the directory); best effort.
    package static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}
