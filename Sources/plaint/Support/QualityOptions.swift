import ArgumentParser
import PlaintProjections

/// `--stale-after`: when a first response is so late after its request that the thread is
/// suspect (a data-quality flag).
struct StaleOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Flag a first response later than this after its request as a stale_response anomaly: hours, or a "
                + "number with s, m, h or d (default 30d).", valueName: "duration"))
    var staleAfter: String?

    var staleAfterLength: Int64 {
        staleAfter.flatMap(EvaluationOptions.parseWindow) ?? ResponsivenessQuery.defaultStaleAfter
    }

    func validate() throws {
        try EvaluationOptions.validateDuration(
            staleAfter, option: "--stale-after", examples: "(720) or a number with s, m, h or d (30d)")
    }
}

/// The options that decide which requests a brand's figures rest on and when a brand is ranked.
struct FigureQualityOptions: ParsableArguments {
    @OptionGroup var stale: StaleOptions

    @Flag(name: .long, help: "Leave stale requests (see --stale-after) out of every figure; reports say how many.")
    var excludeStale = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Rank a brand only with at least this many decided requests (requests - pending); the others are "
                + "listed unranked (default 30).", valueName: "n"))
    var minRequests: Int = ResponsivenessQuery.defaultMinimumDecided

    func validate() throws {
        if minRequests < 1 { throw ValidationError("--min-requests must be at least 1 (got \(minRequests))") }
    }

    /// Sets the query's stale threshold, exclusion and ranking minimum.
    func apply(to query: inout ResponsivenessQuery) {
        query.staleAfter = stale.staleAfterLength
        query.excludeStale = excludeStale
        query.minimumDecided = minRequests
    }
}
