import CMalloc

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
}
