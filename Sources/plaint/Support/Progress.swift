import Glibc

/// A one-line progress display on stderr, used only when stderr is a terminal.
func printProgress(_ label: String, _ done: UInt64, _ total: UInt64) {
    let percent = total == 0 ? 100 : Int(Double(done) / Double(total) * 100)
    writeProgress("\r\(label): \(done)/\(total) (\(percent)%)")
}

/// Progress with the rate so far and the time left at that rate.
func printRateProgress(_ label: String, _ done: UInt64, _ total: UInt64, elapsed: Double) {
    let percent = total == 0 ? 100 : Int(Double(done) / Double(total) * 100)
    let rate = elapsed > 0 ? Double(done) / elapsed : 0
    let left = rate > 0 ? Int(Double(total - min(done, total)) / rate) : 0
    writeProgress(
        "\r\u{1B}[K\(label): \(done)/\(total) (\(percent)%), \(Int(rate)) events/s, ETA \(left / 60)m \(left % 60)s")
}

private func writeProgress(_ text: String) {
    var line = Array(text.utf8)
    _ = line.withUnsafeMutableBytes { write(2, $0.baseAddress!, $0.count) }
}

func clearProgress() {
    writeProgress("\r\u{1B}[K")
}

/// Progress through a file in megabytes, with the rate so far and the time left at that rate.
func printByteProgress(_ label: String, _ done: Int64, _ total: Int64, elapsed: Double) {
    let percent = total <= 0 ? 100 : Int(Double(done) / Double(total) * 100)
    let rate = elapsed > 0 ? Double(done) / elapsed : 0
    let left = rate > 0 ? Int(Double(max(0, total - done)) / rate) : 0
    let megabytes = { (bytes: Int64) in String(bytes / 1_000_000) }
    writeProgress(
        "\r\u{1B}[K\(label): \(megabytes(done))/\(megabytes(total)) MB (\(percent)%), "
            + "\(Int(rate / 1_000_000)) MB/s, ETA \(left / 60)m \(left % 60)s")
}
