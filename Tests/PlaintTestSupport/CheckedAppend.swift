import PlaintEvents
import PlaintLog

/// Appends `batches` as a checked append does: all in one transaction, each batch's chain links
/// computed ahead from the head the one before it ends at.
public func appendChecked(_ batches: [[PreparedEvent]], to log: EventLog) throws -> [[AppendResult]] {
    var head = try log.head()
    let linked = batches.map { events in
        var links = ChainLinks(after: head)
        for event in events { links.link(canonical: event.canonical) }
        head = links.last
        return (events: events, links: links)
    }
    return try log.appendChecked(linked)
}
