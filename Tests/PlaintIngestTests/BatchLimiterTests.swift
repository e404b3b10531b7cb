import PlaintSystem
import Testing

@testable import PlaintIngest

@Suite("batch limiter")
struct BatchLimiterTests {
    let megabyte = 1 << 20

    @Test func startsAtTheMaximumAndStaysThereWhileTransactionsAddLittle() {
        var limiter = BatchLimiter(maximum: 2_500, peak: 130 * megabyte)
        #expect(limiter.size == 2_500)
        // 2,500 events adding 5 MB from 60 MB: 2,500 more fit under 130 MB.
        limiter.observe(events: 2_500, before: 60 * megabyte, after: 65 * megabyte)
        limiter.plan(resident: 65 * megabyte)
        #expect(limiter.size == 2_500)
        #expect(!limiter.needsRoom(resident: 65 * megabyte))
    }

    @Test func sizesTheNextTransactionToTheRoomLeft() {
        var limiter = BatchLimiter(maximum: 2_500, peak: 130 * megabyte)
        // 64 KB per event (scattered keys): from 50 MB, 80 MB of room holds 1,280 events.
        limiter.observe(events: 1_000, before: 50 * megabyte, after: 50 * megabyte + 64_000 * 1024)
        #expect(limiter.needsRoom(resident: 50 * megabyte + 64_000 * 1024))
        limiter.plan(resident: 50 * megabyte)
        #expect(limiter.size == 1_280)
    }

    @Test func neverGoesBelowTheMinimumNorAboveTheMaximum() {
        var limiter = BatchLimiter(maximum: 2_500, peak: 130 * megabyte)
        limiter.observe(events: 10, before: 0, after: 100 * megabyte)
        limiter.plan(resident: 129 * megabyte)
        #expect(limiter.size == BatchLimiter.minimum)
        var small = BatchLimiter(maximum: 40, peak: 130 * megabyte)
        small.observe(events: 10, before: 0, after: 100 * megabyte)
        small.plan(resident: 129 * megabyte)
        #expect(small.size == 40)
    }

    @Test func aRiseCountsAtOnceAFallSlowly() {
        var limiter = BatchLimiter(maximum: 10_000, peak: 130 * megabyte)
        limiter.observe(events: 1_000, before: 0, after: 40 * megabyte)
        limiter.plan(resident: 50 * megabyte)
        let afterRise = limiter.size
        #expect(afterRise == 2_000)  // 80 MB of room / 40 MB per 1,000 events
        limiter.observe(events: 1_000, before: 0, after: 0)  // one transaction that added nothing
        limiter.plan(resident: 50 * megabyte)
        #expect(limiter.size > afterRise)
        #expect(limiter.size < 2 * afterRise)  // the estimate fell by a quarter, not to zero
    }
}
