import Testing

@testable import PlaintIngest

@Suite("batch limiter")
struct BatchLimiterTests {
    let megabyte = 1 << 20

    @Test("the first transaction has the first size, never more than the maximum")
    func firstSize() {
        #expect(BatchLimiter(first: 2_500, maximum: 50_000, peak: 130 * megabyte, base: 0).size == 2_500)
        #expect(BatchLimiter(first: 2_500, maximum: 1_000, peak: 130 * megabyte, base: 0).size == 1_000)
    }

    @Test("a transaction that needed little lets the next grow until it fills the room")
    func growsToTheRoom() {
        var limiter = BatchLimiter(first: 2_500, maximum: 100_000, peak: 130 * megabyte, base: 30 * megabyte)
        // 2,500 events needed 10 MiB above the base, 4 KiB each: 80% of 100 MiB of room holds
        // 20,000, but the next holds at most four times the largest so far.
        limiter.observe(events: 2_500, anonymousAfter: 40 * megabyte)
        #expect(limiter.size == 10_000)
        limiter.observe(events: 10_000, anonymousAfter: 70 * megabyte)
        #expect(limiter.size == 20_000)
        // The memory the allocator kept is reused: the next needs no more than it has, and stays.
        limiter.observe(events: 20_000, anonymousAfter: 110 * megabyte)
        #expect(limiter.size == 20_000)
    }

    @Test("a small first transaction that seemed to cost nothing does not let the next jump to the maximum")
    func growsInSteps() {
        // As measured on 1,000,000 shuffled events: the first 2,500 reused memory the check had
        // freed, so the process held no more after them than before.
        var limiter = BatchLimiter(first: 2_500, maximum: 100_000, peak: 130 * megabyte, base: 21 * megabyte)
        limiter.observe(events: 2_500, anonymousAfter: 21 * megabyte)
        #expect(limiter.size == 10_000)
        limiter.observe(events: 10_000, anonymousAfter: 33 * megabyte)
        #expect(limiter.size == 40_000)
    }

    @Test("a transaction that needed much shrinks the next, never below the minimum")
    func shrinks() {
        var limiter = BatchLimiter(first: 2_500, maximum: 100_000, peak: 130 * megabyte, base: 30 * megabyte)
        limiter.observe(events: 2_500, anonymousAfter: 160 * megabyte)
        #expect(limiter.size < 2_500)
        limiter.observe(events: 10, anonymousAfter: 500 * megabyte)
        #expect(limiter.size == BatchLimiter.minimum)
    }

    @Test("memory kept after a large transaction does not shrink the next ones")
    func keptMemoryIsNotChargedAgain() {
        // As measured appending 1,000,000 events in time order: the allocator keeps what the
        // largest transaction used, so the process holds 117 MiB after every later one.
        var limiter = BatchLimiter(first: 2_500, maximum: 100_000, peak: 130 * megabyte, base: 22 * megabyte)
        limiter.observe(events: 2_500, anonymousAfter: 27 * megabyte)
        limiter.observe(events: 45_000, anonymousAfter: 65 * megabyte)
        limiter.observe(events: 90_000, anonymousAfter: 111 * megabyte)
        let settled = limiter.size
        for _ in 0..<5 {
            limiter.observe(events: limiter.size, anonymousAfter: 117 * megabyte)
        }
        #expect(settled > 80_000)
        #expect(limiter.size > 80_000)
        #expect(limiter.size >= settled * 9 / 10)
    }

    @Test("with no room under the peak, transactions take the minimum")
    func noRoom() {
        var limiter = BatchLimiter(first: 2_500, maximum: 100_000, peak: 130 * megabyte, base: 140 * megabyte)
        limiter.observe(events: 2_500, anonymousAfter: 150 * megabyte)
        #expect(limiter.size == BatchLimiter.minimum)
    }
}
