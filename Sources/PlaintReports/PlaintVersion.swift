/// The version of plaint, printed by `plaint --version` and named in machine-readable reports so
/// a figure can be traced to the code that computed it.
public enum PlaintVersion {
    public static let current = "0.9.0"
}
