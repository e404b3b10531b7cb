import PlaintEvents

/// Decodes a spool into batches of events on another thread, writing each event's canonical
/// form, so that this runs on one core while the caller writes the previous batch on the other.
final class SpoolBatches: Sendable {
    enum Chunk: Sendable {
        case events([PreparedEvent])
        case failed(InputError)
        case end
    }

    private let handOff = HandOff<Chunk>(depth: 2)
    private let finished = RecycleBin<[PreparedEvent]>()

    /// Starts reading at once; the reader's descriptor is closed when it is done.
    init(_ reader: SpoolReader, batchSize: Int) {
        runOnOwnThread("append-spool") { [self] in produce(reader, batchSize: batchSize) }
    }

    /// The next batch, waiting for it; `.end` or `.failed` comes last.
    func next() -> Chunk { handOff.next() ?? .end }

    /// Hands back a batch the caller has written, for the decoding thread to free.
    func recycle(_ batch: consuming [PreparedEvent]) { finished.put(batch) }

    /// Stops the reader early (the caller gave up).
    func cancel() { handOff.cancel() }

    private func produce(_ reader: SpoolReader, batchSize: Int) {
        var reader = reader
        defer { reader.close() }
        var preparer = EventPreparer()
        do {
            var batch: [PreparedEvent] = []
            batch.reserveCapacity(batchSize)
            while let entry = try reader.next(canonicalizingWith: &preparer) {
                batch.append(entry.event)
                if batch.count == batchSize {
                    guard handOff.push(.events(batch)) else { return }
                    batch.removeAll(keepingCapacity: true)
                    finished.empty()
                }
            }
            if !batch.isEmpty, !handOff.push(.events(batch)) { return }
            _ = handOff.push(.end)
        } catch {
            _ = handOff.push(.failed(error))
        }
    }
}
