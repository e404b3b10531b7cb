import PlaintLog
import PlaintSystem

extension Appender {
    /// Appends as `request` says to the store at `storePath`, creating the store when it is
    /// missing; a store this append created is removed again when the append fails, so a refused
    /// first append leaves nothing behind (docs/decisions/a-refused-first-append-leaves-no-store.md).
    /// The rejects file is checked before anything is read or written: never an input, never
    /// inside the store, never a link or a device.
    /// - Parameter open: opens the store for writing (the caller's options: views, map size).
    public static func run(
        _ request: AppendRequest, storePath: String, open: (String) throws -> EventLog,
        reportRejected: @escaping (LineProblem) -> Void = { _ in }, progress: (Progress) -> Void = { _ in }
    ) throws -> AppendSummary {
        if let rejects = request.rejectsPath {
            try OutputPath.check(rejects, inputs: request.inputs.isEmpty ? ["-"] : request.inputs, stores: [storePath])
        }
        let directoryExisted = FileSystem.kind(of: storePath) != .missing
        let storeExisted = FileSystem.kind(of: storePath + "/data.mdb") != .missing
        do {
            let log = try open(storePath)
            return try Appender(log: log, request: request).run(reportRejected: reportRejected, progress: progress)
        } catch {
            if !storeExisted {
                EventLog.discardUnwrittenStore(at: storePath, removeDirectory: !directoryExisted)
            }
            throw error
        }
    }
}
