import Glibc

/// The width of the terminal a descriptor writes to, so that tables can be narrowed to it.
public enum TerminalWidth {
    /// The terminal's columns, or nil when the descriptor is not a terminal: piped and
    /// redirected output is never narrowed. A terminal that does not tell its size counts as 80.
    public static func columns(of descriptor: Int32) -> Int? {
        guard isatty(descriptor) == 1 else { return nil }
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}
