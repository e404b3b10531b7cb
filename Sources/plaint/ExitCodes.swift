import ArgumentParser
import PlaintKit

/// The documented exit codes (README, "From a script").
enum ExitStatus {
    static let usage: Int32 = 64
    static let invalidInput: Int32 = 65
    static let missing: Int32 = 66
    static let conflict: Int32 = 69
    static let `internal`: Int32 = 70
    static let io: Int32 = 74
}

/// Prints `error` for a person and returns the exit code a script can test.
func report(_ error: any Error) -> Int32 {
    switch error {
    case let error as AppendError:
        return report(error)
    case let error as StoreError:
        printError(error.description)
        return code(for: error)
    case let error as InputError:
        printError(error.description)
        return code(for: error)
    case let error as OutputPath.Refused:
        printError(error.description)
        return ExitStatus.usage
    case let error as AtomicFile.WriteFailed:
        printError(error.description)
        return ExitStatus.io
    case let error as ModelFileError:
        printError(error.description)
        return ExitStatus.invalidInput
    case let error as TwcsImportError:
        printError(error.description)
        if case .fileChanged = error { return ExitStatus.io }
        return ExitStatus.invalidInput
    case let error as CSVError:
        printError(error.description)
        if case .input(let inputError) = error { return code(for: inputError) }
        return ExitStatus.invalidInput
    case let error as QueryError:
        printError(error.description)
        return ExitStatus.missing
    case is OutputStream.OutputClosed:
        return 0
    case let error as OutputStream.WriteFailed:
        printError(error.description)
        return ExitStatus.io
    default:
        printError("internal error: \(error)")
        return ExitStatus.internal
    }
}

func code(for error: StoreError) -> Int32 {
    switch error {
    case .missingStore, .notAStore, .newerFormat, .unreadable: ExitStatus.missing
    case .idConflict, .versionConflict: ExitStatus.conflict
    case .corrupt, .diskFull, .io, .viewsMissing, .viewsOutdated, .viewsBehind: ExitStatus.io
    }
}

func code(for error: InputError) -> Int32 {
    switch error {
    case .missing, .unreadable: ExitStatus.missing
    case .lineTooLong: ExitStatus.invalidInput
    case .unwritable, .spool: ExitStatus.io
    }
}

private func report(_ error: AppendError) -> Int32 {
    let committed = error.committed
    let written =
        committed.appended > 0
        ? "lines before it were committed: " + Reports.text(committed)
        : "nothing was appended"
    switch error {
    case .invalidInput(let problems, let total, _), .conflict(let problems, let total, _):
        for problem in problems { printError(problem.description) }
        if total > problems.count { printError("... and \(total - problems.count) more") }
        let isConflict = if case .conflict = error { true } else { false }
        let noun = isConflict ? "conflicting" : "bad"
        printError("\(total) \(noun) line\(total == 1 ? "" : "s"); \(written)")
        return isConflict ? ExitStatus.conflict : ExitStatus.invalidInput
    case .input(let inputError, _):
        printError("\(inputError); \(written)")
        return code(for: inputError)
    case .store(let storeError, _):
        printError("\(storeError); \(written)")
        return code(for: storeError)
    }
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
