/// What a known source (`meta.source`) means for the figures made from it: the bias its way of
/// collecting data puts into them, stated wherever a report rests on such requests.
public enum SourceCaveats {
    /// The caveat of `source`, nil for a source plaint knows nothing about.
    public static func text(for source: String) -> String? { known[source] }

    /// The caveats of the sources among `sources`, in name order.
    public static func caveats(for sources: some Sequence<String?>) -> [(source: String, text: String)] {
        Set(sources.compactMap { $0 }).sorted().compactMap { source in text(for: source).map { (source, $0) } }
    }

    static let known: [String: String] = [
        "twcs":
            "the Customer Support on Twitter dataset was collected from conversations brands took part in, so "
            + "requests no brand answered are missing: response rates are upper bounds and ignored counts lower "
            + "bounds"
    ]
}
