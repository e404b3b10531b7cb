import Glibc

/// Ends the process with exit 74 and a message, instead of death by a signal, when reading the
/// store faults.
///
/// LMDB trusts its pages: it keeps no checksums, so a damaged page (a flipped byte on disk, a
/// file changed behind plaint's back) can make LMDB itself read outside the file (SIGBUS),
/// follow a wild pointer (SIGSEGV) or fail one of its own assertions (SIGABRT). plaint checks
/// what it reads where it can (`plaint verify` walks every page); what only LMDB sees is caught
/// here. A failed run-time check of plaint's own code (SIGILL, SIGTRAP) ends with exit 70 and
/// a message instead of a core dump. The handler does only what is safe in a signal handler:
/// one write, then _exit.
func exitOnStoreDamage() {
    for signalNumber in [SIGBUS, SIGSEGV, SIGABRT, SIGILL, SIGTRAP] {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signalNumber in
            let message: StaticString =
                switch signalNumber {
                case SIGBUS:
                    "plaint: stopped: a read went past the end of the store's data file (SIGBUS): the store is damaged; run `plaint verify`, and restore it from a backup\n"
                case SIGSEGV:
                    "plaint: stopped: reading the store followed a damaged page (SIGSEGV): the store is damaged; run `plaint verify`, and restore it from a backup (if verify passes, this is a bug: please report it)\n"
                case SIGILL, SIGTRAP:
                    "plaint: internal error: a run-time check failed; run `plaint verify`: if it reports damage, restore the store from a backup, otherwise this is a bug: please report it\n"
                default:
                    "plaint: stopped: LMDB found a page that breaks its own rules (SIGABRT): the store is damaged; run `plaint verify`, and restore it from a backup (if verify passes, this is a bug: please report it)\n"
                }
            _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
            _exit(
                signalNumber == SIGILL || signalNumber == SIGTRAP
                    ? ExitStatus.internalError.rawValue : ExitStatus.io.rawValue)
        }
        sigemptyset(&action.sa_mask)
        sigaction(signalNumber, &action, nil)
    }
}
