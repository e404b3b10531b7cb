import PlaintEvents
import PlaintLog

/// Reads the log's events on another thread, in chunks, for replay's fold on the caller's.
///
/// The reader decodes (scans) a chunk itself while the folder is busy; when the folder has
/// nothing queued it hands the chunk over as stored, copied, for the folder to decode. So
/// decoding, the bulk of the work, is shared between the two cores as they have time.
final class StoredEventStream: Sendable {
    enum Chunk: Sendable {
        case scanned(ScannedChunk)
        case stored(StoredChunk)
        case failed(StoreError)
        /// The last position read: the snapshot's head, or `upto`.
        case end(position: UInt64)
    }

    /// Who decodes a chunk.
    enum Sharing: Sendable {
        /// The folder when it has nothing queued, else the reader.
        case balanced
        /// Always the reader, or always the folder (for tests of each path).
        case reader, folder
    }

    private let handOff: HandOff<Chunk>
    private let sharing: Sharing

    /// Starts reading positions 1...`upto` (all when nil) of one snapshot of `log` at once.
    init(log: EventLog, upto: UInt64?, chunkSize: Int = 2048, depth: Int = 8, sharing: Sharing = .balanced) {
        handOff = HandOff(depth: depth)
        self.sharing = sharing
        runOnOwnThread("replay-reader") { [self] in
            produce(log: log, upto: upto, chunkSize: chunkSize)
        }
    }

    /// Whether the chunk about to be read goes to the folder undecoded.
    private var handsOver: Bool {
        switch sharing {
        case .balanced: handOff.waiting == 0
        case .reader: false
        case .folder: true
        }
    }

    func next() -> Chunk { handOff.next() ?? .failed(.io(path: "", reason: "the reader was cancelled")) }

    func cancel() { handOff.cancel() }

    private func produce(log: EventLog, upto: UInt64?, chunkSize: Int) {
        do {
            let last: UInt64 = try log.read { reader in
                let last = min(upto ?? .max, try reader.head().position)
                var decoder = FoldDecoder()
                var scanned = ScannedChunk()
                var stored = StoredChunk()
                var count = 0
                var handsOver = false
                var stopped = false
                try reader.forEachRecord { record in
                    guard record.position <= last else { return false }
                    // Each chunk: decode it here while the folder has work queued, else let it.
                    if count == 0 { handsOver = self.handsOver }
                    if handsOver {
                        stored.append(record)
                    } else {
                        try scanned.append(record, decoder: &decoder)
                    }
                    count += 1
                    guard count == chunkSize else { return true }
                    count = 0
                    guard flush(&scanned, &stored) else {
                        stopped = true
                        return false
                    }
                    return true
                }
                if !stopped { _ = flush(&scanned, &stored) }
                return last
            }
            _ = handOff.push(.end(position: last))
        } catch let error as StoreError {
            _ = handOff.push(.failed(error))
        } catch {
            _ = handOff.push(.failed(.io(path: log.path, reason: "\(error)")))
        }
    }

    /// Queues whichever chunk holds events; false once cancelled.
    private func flush(_ scanned: inout ScannedChunk, _ stored: inout StoredChunk) -> Bool {
        if !scanned.isEmpty {
            defer { scanned = ScannedChunk() }
            return handOff.push(.scanned(scanned))
        }
        if !stored.isEmpty {
            defer { stored = StoredChunk() }
            return handOff.push(.stored(stored))
        }
        return true
    }
}
