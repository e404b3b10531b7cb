import Glibc

/// A one-line progress display on stderr, used only when stderr is a terminal.
func printProgress(_ label: String, _ done: UInt64, _ total: UInt64) {
    let percent = total == 0 ? 100 : Int(Double(done) / Double(total) * 100)
    var line = Array("\r\(label): \(done)/\(total) (\(percent)%)".utf8)
    _ = line.withUnsafeMutableBytes { write(2, $0.baseAddress!, $0.count) }
}

func clearProgress() {
    var line = Array("\r\u{1B}[K".utf8)
    _ = line.withUnsafeMutableBytes { write(2, $0.baseAddress!, $0.count) }
}
