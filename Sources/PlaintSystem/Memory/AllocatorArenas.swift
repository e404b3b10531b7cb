import CMalloc
import Glibc

/// How the process's allocator spreads memory over threads.
package enum AllocatorArenas {
    /// Has every thread allocate from one arena. glibc gives each thread that allocates while
    /// another holds the lock an arena of its own (up to eight per core), and memory freed in
    /// one arena is never reused by another: an append, whose transactions are worked on by two
    /// threads, then kept growing its anonymous memory transaction after transaction (from about
    /// 120 to 150 MB over 1,000,000 shuffled events) where one arena holds it flat, at no
    /// measurable cost in speed. Call it first thing, before any thread starts.
    package static func useOne() {
        _ = mallopt(M_ARENA_MAX, 1)
    }

    /// Lets each thread have an arena of its own again (glibc's limit, eight per core). For a
    /// command whose threads each build large structures once, such as replay's two folding
    /// threads: on one arena they take turns at its lock for every allocation, which cost replay
    /// of 1,000,000 events about a tenth of its time. Call it before the command starts threads.
    package static func useOnePerThread() {
        _ = mallopt(M_ARENA_MAX, 8 * Int32(max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
    }
}
