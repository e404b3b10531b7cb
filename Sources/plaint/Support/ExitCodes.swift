import ArgumentParser
import PlaintEvents
import PlaintImport
import PlaintIngest
import PlaintLog
import PlaintPostgres
import PlaintProjections
import PlaintReports
import PlaintSystem
import PlaintViews

/// The documented exit codes (README, "From a script"), after sysexits.h.
enum ExitStatus: Int32, CaseIterable {
    case success = 0
    case usage = 64
    case invalidInput = 65
    case missing = 66
    /// A brand, customer or case no stored event names (sysexits' EX_NOUSER).
    case unknownName = 67
    case conflict = 69
    case internalError = 70
    case io = 74
    /// No server of a PostgreSQL store accepts writes (yet): try again (EX_TEMPFAIL).
    case unavailable = 75
    /// A PostgreSQL store refused the user or the password (EX_NOPERM).
    case permission = 77
}

extension ExitStatus {
    /// What the status means, as `plaint --help` lists it.
    var meaning: String {
        switch self {
        case .success: "success"
        case .usage: "usage error"
        case .invalidInput: "invalid input (nothing written)"
        case .missing: "missing file or store"
        case .unknownName: "unknown brand, customer or case"
        case .conflict: "conflict (nothing written)"
        case .internalError: "internal error"
        case .io: "I/O error or failed integrity check"
        case .unavailable: "PostgreSQL store unavailable (try again)"
        case .permission: "PostgreSQL store refused the credentials"
        }
    }

    /// "0 success, 64 usage error, …": every status, for the help text.
    static var list: String { allCases.map { "\($0.rawValue) \($0.meaning)" }.joined(separator: ", ") }
}

/// An error plaint reports: what it prints on stderr and the exit status a script tests.
///
/// Every error type the library throws conforms below, each with an exhaustive switch over its
/// own cases, so a new case cannot be added without choosing its exit status. Anything else
/// that reaches the CLI is an internal error (70).
protocol ReportedFailure: Error {
    var exitStatus: ExitStatus { get }
    /// The lines printed on stderr, each prefixed with `plaint: `.
    var messages: [String] { get }
}

extension ReportedFailure where Self: CustomStringConvertible {
    var messages: [String] { [description] }
}

extension StoreError: ReportedFailure {
    var exitStatus: ExitStatus {
        switch self {
        case .missingStore, .notAStore, .newerFormat, .unreadable: .missing
        case .idConflict, .versionConflict: .conflict
        case .corrupt, .diskFull, .io, .viewsMissing, .viewsOutdated, .viewsBehind: .io
        }
    }
}

extension InputError: ReportedFailure {
    var exitStatus: ExitStatus {
        switch self {
        case .missing, .unreadable: .missing
        case .lineTooLong: .invalidInput
        case .unwritable, .spool: .io
        }
    }
}

extension AppendError: ReportedFailure {
    var exitStatus: ExitStatus {
        switch self {
        case .invalidInput: .invalidInput
        case .conflict: .conflict
        case .input(let error, _): error.exitStatus
        case .store(let error, _): error.exitStatus
        }
    }

    var messages: [String] {
        let committed = self.committed
        let written =
            committed.appended > 0
            ? "lines before it were committed: " + Reports.text(committed)
            : "nothing was appended"
        switch self {
        case .invalidInput(let problems, let total, _)
        where problems.contains(where: { $0.kind == .invalid(.prettyPrinted) }):
            // Every line of pretty-printed JSON fails; the one that says why is enough.
            let first = problems.first { $0.kind == .invalid(.prettyPrinted) }!
            return [first.description, "\(total) bad line\(total == 1 ? "" : "s"); \(written)"]
        case .invalidInput(let problems, let total, _), .conflict(let problems, let total, _):
            let noun = if case .conflict = self { "conflicting" } else { "bad" }
            return problems.map(\.description)
                + (total > problems.count ? ["... and \(total - problems.count) more"] : [])
                + ["\(total) \(noun) line\(total == 1 ? "" : "s"); \(written)"]
        case .input(let error, _): return ["\(error); \(written)"]
        case .store(let error, _): return ["\(error); \(written)"]
        }
    }
}

extension TwcsImportError: ReportedFailure {
    var exitStatus: ExitStatus {
        switch self {
        case .fileChanged: .io
        case .noHeader, .header, .malformedRows: .invalidInput
        }
    }
}

extension CSVError: ReportedFailure {
    var exitStatus: ExitStatus {
        switch self {
        case .input(let error): error.exitStatus
        case .unclosedQuote, .recordTooLong: .invalidInput
        }
    }
}

extension QueryError: ReportedFailure {
    var exitStatus: ExitStatus {
        switch self {
        case .unknownBrand, .unknownCase, .unknownCustomer, .noRelationship: .unknownName
        }
    }
}

extension PostgresStoreError: ReportedFailure {
    var exitStatus: ExitStatus {
        switch self {
        case .badURL: .usage
        case .authentication: .permission
        case .unavailable: .unavailable
        case .noLog, .newerSchema: .missing
        case .server, .mirrorDiverged: .io
        }
    }
}

extension UnknownName: ReportedFailure {
    var exitStatus: ExitStatus { .unknownName }
}

extension OutputPath.Refused: ReportedFailure {
    var exitStatus: ExitStatus { .usage }
}

extension AtomicFile.WriteFailed: ReportedFailure {
    var exitStatus: ExitStatus { .io }
}

extension ModelFileError: ReportedFailure {
    var exitStatus: ExitStatus { .invalidInput }
}

extension OutputStream.WriteFailed: ReportedFailure {
    var exitStatus: ExitStatus { .io }
}

/// The reader of plaint's output went away (`plaint events | head`): not a failure.
extension OutputStream.OutputClosed: ReportedFailure {
    var exitStatus: ExitStatus { .success }
    var messages: [String] { [] }
}

// Errors of the format, the projections and the importer normally reach the CLI inside the
// errors above, with the file and line they concern; should one arrive bare, it still gets the
// status its kind means rather than "internal error".

extension EventValidationError: ReportedFailure {
    var exitStatus: ExitStatus { .invalidInput }
}

extension JSONSyntaxError: ReportedFailure {
    var exitStatus: ExitStatus { .invalidInput }
}

extension DuplicateMemberError: ReportedFailure {
    var exitStatus: ExitStatus { .invalidInput }
    var messages: [String] { ["duplicate member \"\(VisibleText.escapingControls(name))\" in one object"] }
}

extension TwcsProblem: ReportedFailure {
    var exitStatus: ExitStatus { .invalidInput }
}

extension TwcsRowProblem: ReportedFailure {
    var exitStatus: ExitStatus { .invalidInput }
}

extension TwcsEvents.SkipError: ReportedFailure {
    var exitStatus: ExitStatus { .invalidInput }
    var messages: [String] { ["a twcs row was skipped: \(reason)"] }
}

/// A stored event or view row that does not decode: the store is damaged.
extension StoredEventReader.Unreadable: ReportedFailure {
    var exitStatus: ExitStatus { .io }
    var messages: [String] {
        ["the stored event at position \(position) does not parse: the store is damaged; run `plaint verify`"]
    }
}

extension JourneyCodec.Malformed: ReportedFailure {
    var exitStatus: ExitStatus { .io }
    var messages: [String] { ["a journeys view row is unreadable; run `plaint replay`"] }
}

extension LMDBError: ReportedFailure {
    var exitStatus: ExitStatus { .io }
    var messages: [String] { ["the store: \(description)"] }
}

/// Prints `error` for a person and returns the exit code a script can test.
func report(_ error: any Error) -> Int32 {
    guard let failure = error as? any ReportedFailure else {
        printError("internal error: \(error)")
        return ExitStatus.internalError.rawValue
    }
    for message in failure.messages { printError(message) }
    return failure.exitStatus.rawValue
}

extension ExitCode {
    init(_ status: ExitStatus) { self.init(status.rawValue) }
}

extension ParsableCommand {
    /// Runs `body`, turning its errors into a printed message and its documented exit code.
    func mapErrors(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ExitCode {
            throw error
        } catch {
            throw ExitCode(report(error))
        }
    }
}
