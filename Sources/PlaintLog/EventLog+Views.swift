extension EventLog {
    /// Runs `body` in one write transaction with the log (as it stands) and the views' tables:
    /// for rebuilding views. Appends wait until it commits, so the views it writes match the
    /// log's head exactly.
    public func rewriteViews<Result>(_ body: (LogReader, ViewWriter) throws -> Result) throws -> Result {
        do {
            return try environment.write { transaction in
                let reader = LogReader(transaction: transaction, databases: databases)
                return try body(reader, ViewWriter(reader: reader.views))
            }
        } catch let error as LMDBError {
            throw mapped(error)
        }
    }

    /// Whether this store has the views' tables (a store written by an older plaint may not).
    public var hasViewTables: Bool {
        guard let views else { return false }
        return views.tables.allSatisfy { databases.views[$0] != nil }
    }
}
