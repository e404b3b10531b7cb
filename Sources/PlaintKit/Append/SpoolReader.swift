import Dispatch
import Glibc
import PlaintEvents

/// Reads a spool's entries back in write order, 1 MiB at a time, through its own descriptor,
/// which `close()` releases.
struct SpoolReader: Sendable {
    private let descriptor: Int32
    private let length: Int64
    private var offset: Int64 = 0
    /// Bytes of the file from `bufferStart`.
    private var buffer: [UInt8] = []
    private var bufferStart: Int64 = 0

    init(descriptor: Int32, length: Int64) {
        self.descriptor = descriptor
        self.length = length
    }

    func close() { _ = Glibc.close(descriptor) }

    /// The next entry, or nil at the end.
    mutating func next() throws(InputError) -> Spool.Entry? {
        guard offset < length else { return nil }
        try ensureBuffered(4)
        let local = Int(offset - bufferStart)
        let count = Int(
            buffer.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: local, as: UInt32.self)) })
        try ensureBuffered(4 + count)
        let start = Int(offset - bufferStart) + 4
        let entry = Spool.decode(buffer[start..<start + count])
        offset += 4 + Int64(count)
        return entry
    }

    /// Makes `buffer` hold at least `count` bytes from `offset`.
    private mutating func ensureBuffered(_ count: Int) throws(InputError) {
        let available = bufferStart + Int64(buffer.count) - offset
        guard available < count else { return }
        var chunk = [UInt8](repeating: 0, count: Int(min(max(Int64(count), 1 << 20), length - offset)))
        try Spool.readExactly(&chunk, at: offset, from: descriptor)
        buffer = chunk
        bufferStart = offset
    }
}

/// Decodes a spool into batches of events on another thread, so that decoding runs on one core
/// while the caller writes the previous batch on the other.
final class SpoolBatches: Sendable {
    enum Chunk: Sendable {
        case events([PreparedEvent])
        case failed(InputError)
        case end
    }

    private let handOff = HandOff<Chunk>(depth: 2)

    /// Starts reading at once; the reader's descriptor is closed when it is done.
    init(_ reader: SpoolReader, batchSize: Int) {
        DispatchQueue.global().async { [self] in produce(reader, batchSize: batchSize) }
    }

    /// The next batch, waiting for it; `.end` or `.failed` comes last.
    func next() -> Chunk { handOff.next() ?? .end }

    /// Stops the reader early (the caller gave up).
    func cancel() { handOff.cancel() }

    private func produce(_ reader: SpoolReader, batchSize: Int) {
        var reader = reader
        defer { reader.close() }
        do {
            var batch: [PreparedEvent] = []
            batch.reserveCapacity(batchSize)
            while let entry = try reader.next() {
                batch.append(entry.event)
                if batch.count == batchSize {
                    guard handOff.push(.events(batch)) else { return }
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty, !handOff.push(.events(batch)) { return }
            _ = handOff.push(.end)
        } catch {
            _ = handOff.push(.failed(error))
        }
    }
}
