import ArgumentParser
import Glibc
import PlaintReports

@main
struct Plaint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "An event-sourced complaint journey engine: an auditable log of complaints and how brands handled them.",
        discussion: """
            The store is a directory (--store, else $PLAINT_STORE, else ./plaint-store).
            Exit codes: 0 success, 64 usage error, 65 invalid input (nothing written), 66 missing file or \
            store, 67 unknown brand, customer or case, 69 conflict (nothing written), 70 internal error, 74 I/O \
            error or failed integrity check.
            """,
        version: PlaintVersion.current,
        subcommands: [
            Append.self, Events.self, Head.self, Verify.self, Stats.self, Backup.self, Replay.self, Brands.self,
            Cases.self, Journey.self, Responsiveness.self, Loyalty.self, Audit.self, Import.self,
        ]
    )

    static func main() {
        // A closed pipe must end output with an error we handle, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        exitOnStoreDamage()
        do {
            if try FastPath.run(CommandLine.arguments) { return }
        } catch {
            Glibc.exit(report(error))
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
