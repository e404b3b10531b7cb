import Glibc
import PlaintEvents

/// A fresh directory under /tmp, removed when the test is done with it.
public final class TemporaryDirectory {
    public let path: String

    public init() {
        var template = Array("/tmp/plaint-test-XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    deinit { _ = system("rm -rf '\(path)'") }

    public func child(_ name: String) -> String { path + "/" + name }
}

/// Builds valid events for tests.
public struct EventFactory {
    public var preparer = EventPreparer()

    public init() {}

    public mutating func event(
        id: String, type: String = "complaint.filed", caseID: String? = "case-1", customer: String = "cust-1",
        brand: String = "acme", at time: String = "2024-03-01T09:15:00Z", data: String? = nil,
        expectVersion: Int? = nil
    ) -> PreparedEvent {
        var members = [
            "\"id\":\"\(id)\"", "\"type\":\"\(type)\"", "\"occurred_at\":\"\(time)\"", "\"customer\":\"\(customer)\"",
            "\"brand\":\"\(brand)\"", "\"channel\":\"twitter\"",
        ]
        if let caseID { members.append("\"case\":\"\(caseID)\"") }
        if let data { members.append("\"data\":\(data)") }
        if let expectVersion { members.append("\"expect_version\":\(expectVersion)") }
        return try! preparer.prepare("{" + members.joined(separator: ",") + "}")
    }
}

/// Replaces every occurrence of `marker` in the file at `path` with `replacement` (same length).
@discardableResult
public func patchFile(_ path: String, replacing marker: String, with replacement: String) -> Int {
    let file = fopen(path, "r+b")!
    defer { fclose(file) }
    fseek(file, 0, SEEK_END)
    let size = ftell(file)
    fseek(file, 0, SEEK_SET)
    var bytes = [UInt8](repeating: 0, count: size)
    _ = fread(&bytes, 1, size, file)
    let needle = Array(marker.utf8)
    let patch = Array(replacement.utf8)
    var count = 0
    var index = 0
    while index + needle.count <= bytes.count {
        if bytes[index] == needle[0], Array(bytes[index..<index + needle.count]) == needle {
            bytes.replaceSubrange(index..<index + needle.count, with: patch)
            count += 1
        }
        index += 1
    }
    fseek(file, 0, SEEK_SET)
    _ = fwrite(bytes, 1, size, file)
    return count
}
