import Foundation

/// Changes one byte of every occurrence of `marker` in `file` (a store's `data.mdb`), as a disk
/// fault or a tamperer would, and returns how many occurrences it changed.
func corrupt(_ file: String, marker: String, byteAt offset: Int, to byte: Character) throws -> Int {
    var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
    var patched = 0
    let needle = Data(marker.utf8)
    var searchFrom = bytes.startIndex
    while let range = bytes.range(of: needle, in: searchFrom..<bytes.endIndex) {
        bytes[range.lowerBound + offset] = byte.asciiValue!
        patched += 1
        searchFrom = range.upperBound
    }
    try bytes.write(to: URL(fileURLWithPath: file))
    return patched
}
