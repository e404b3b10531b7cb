import ArgumentParser
import Glibc
import PlaintReports
import PlaintSystem

@main
struct Plaint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "An event-sourced complaint journey engine: an auditable log of complaints and how brands handled them.",
        discussion: """
            The store is a directory (--store, else $PLAINT_STORE, else ./plaint-store).
            Exit codes: \(ExitStatus.list).
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
        AllocatorArenas.useOne()
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
            if exitCode(for: error) == .success {
                // Help and the version, written here so that a failed write (a full disk, a closed
                // pipe) ends in an error like any other output's, not in exit 0.
                do {
                    try printRaw(fullMessage(for: error) + "\n")
                } catch {
                    Glibc.exit(report(error))
                }
                Glibc.exit(0)
            }
            exit(withError: error)
        }
    }
}
