import ArgumentParser
import PlaintEvents
import PlaintLog
import PlaintSystem

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent, compacted copy of the store while it is in use.",
        discussion: """
            DEST must be a new or empty directory. The copy holds exactly the events committed when \
            it began; its head (printed) equals the source's record at that position. The copy's \
            hash chain is then checked: a copy that fails (a damaged source) is kept, and the \
            command exits 74.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The directory to write the copy into.")
    var destination: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        try mapErrors {
            try OutputPath.check(destination, stores: try storeOptions.protectedDirectories(), directory: true)
            let head = try storeOptions.open(.read).backup(to: destination)
            if output.json {
                try printLine(
                    reportJSON(
                        .object([
                            ("destination", .string(destination)), ("position", .integer(Int64(head.position))),
                            ("hash", .string(head.hashHex)),
                        ])))
            } else {
                try printLine("backed up positions 1-\(head.position) to \(destination); head hash \(head.hashHex)")
            }
        }
    }
}
