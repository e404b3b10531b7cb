import Glibc
import PlaintSystem

/// The spool's bytes, as unlinked files of `segmentSize` bytes each.
///
/// A spool is as large as its input. Were it one file, all of it would stay in the page cache
/// until the append ends, while the store grows beside it. In segments, the read-back closes each
/// one it has passed: the kernel frees its pages at once (they were never written to disk, and
/// never will be), and the store's new pages reuse them.
struct SpoolSegments: Sendable {
    static let defaultSegmentSize: Int64 = 32 << 20

    let directory: String
    let segmentSize: Int64
    /// One descriptor per segment, in order; -1 once closed.
    private var descriptors: [Int32] = []

    /// Creates the first segment at once, so that an unwritable directory fails early.
    init(directory: String, segmentSize: Int64 = defaultSegmentSize) throws(InputError) {
        self.directory = directory
        self.segmentSize = segmentSize
        descriptors.append(try createSegment())
    }

    private init(duplicating segments: SpoolSegments) {
        directory = segments.directory
        segmentSize = segments.segmentSize
    }

    /// Writes `bytes` at `offset`, creating segments as it goes.
    mutating func write(_ bytes: [UInt8], at offset: Int64) throws(InputError) {
        var done = 0
        while done < bytes.count {
            let position = offset + Int64(done)
            let segment = Int(position / segmentSize)
            while descriptors.count <= segment { descriptors.append(try createSegment()) }
            let local = position % segmentSize
            let count = min(bytes.count - done, Int(segmentSize - local))
            let descriptor = descriptors[segment]
            let result = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress! + done, count, off_t(local)) }
            guard result > 0 else {
                if result < 0, errno == EINTR { continue }
                throw .spool(directory: directory, reason: String(cString: strerror(errno)))
            }
            done += result
        }
    }

    /// `count` bytes from `offset`; the segments they span must still be open.
    func read(_ count: Int, at offset: Int64) throws(InputError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let position = offset + Int64(done)
            let segment = Int(position / segmentSize)
            guard segment < descriptors.count, descriptors[segment] >= 0 else {
                throw .spool(directory: directory, reason: "a segment was read after it was closed")
            }
            let local = position % segmentSize
            let wanted = min(count - done, Int(segmentSize - local))
            let descriptor = descriptors[segment]
            let result = bytes.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress! + done, wanted, off_t(local))
            }
            guard result > 0 else {
                if result < 0, errno == EINTR { continue }
                throw .spool(
                    directory: directory,
                    reason: result == 0 ? "a segment is shorter than written" : String(cString: strerror(errno)))
            }
            done += result
        }
        return bytes
    }

    /// Its own descriptors for the same segments, to read on another thread and close apart.
    func duplicated() throws(InputError) -> SpoolSegments {
        var copy = SpoolSegments(duplicating: self)
        for descriptor in descriptors {
            let duplicate = descriptor >= 0 ? dup(descriptor) : -1
            guard descriptor < 0 || duplicate >= 0 else {
                copy.closeAll()
                throw .spool(directory: directory, reason: String(cString: strerror(errno)))
            }
            copy.descriptors.append(duplicate)
        }
        return copy
    }

    /// Closes the segments that end at or before `offset`.
    mutating func close(before offset: Int64) {
        let passed = min(Int(offset / segmentSize), descriptors.count)
        for segment in 0..<passed where descriptors[segment] >= 0 {
            Glibc.close(descriptors[segment])
            descriptors[segment] = -1
        }
    }

    func closeAll() {
        for descriptor in descriptors where descriptor >= 0 { Glibc.close(descriptor) }
    }

    private func createSegment() throws(InputError) -> Int32 {
        var template = Array((directory + "/.append-spool-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw .spool(directory: directory, reason: "cannot create a file: " + String(cString: strerror(errno)))
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return descriptor
    }
}
