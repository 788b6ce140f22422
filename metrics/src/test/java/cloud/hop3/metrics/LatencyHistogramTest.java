package cloud.hop3.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void bucketsFollowEachOtherWithoutGapsAndHoldTheirValues() {
        for (int i = 0; i < LatencyHistogram.BUCKETS - 1; i++) {
            assertEquals(LatencyHistogram.lower(i) + LatencyHistogram.width(i), LatencyHistogram.lower(i + 1), "bucket " + i);
        }
        Random random = new Random(7);
        for (int n = 0; n < 100_000; n++) {
            long micros = (long) Math.exp(random.nextDouble() * Math.log(LatencyHistogram.MAX_MICROS));
            int i = LatencyHistogram.index(micros);
            assertTrue(LatencyHistogram.lower(i) <= micros && micros < LatencyHistogram.lower(i) + LatencyHistogram.width(i),
                    micros + " is not in bucket " + i);
            assertTrue(LatencyHistogram.width(i) <= Math.max(1, LatencyHistogram.lower(i) / 8), "bucket " + i + " is too wide");
        }
    }

    @Test
    void percentilesOfAKnownSpreadAreWithinTheBucketError() {
        LatencyHistogram h = new LatencyHistogram();
        // 1 ms to 1000 ms, one request each: p50 is 500 ms, p95 950 ms, p99 990 ms
        for (int ms = 1; ms <= 1000; ms++) {
            h.record(ms * 1_000_000L);
        }
        long[] counts = h.snapshot();
        assertNear(500_000, LatencyHistogram.percentile(counts, 0.50));
        assertNear(950_000, LatencyHistogram.percentile(counts, 0.95));
        assertNear(990_000, LatencyHistogram.percentile(counts, 0.99));
    }

    @Test
    void aSlowTailShowsInP99AndNotInTheMedian() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 980; i++) {
            h.record(2_000_000L); // 2 ms
        }
        for (int i = 0; i < 20; i++) {
            h.record(3_000_000_000L); // 3 s
        }
        long[] counts = h.snapshot();
        assertNear(2_000, LatencyHistogram.percentile(counts, 0.50));
        assertNear(2_000, LatencyHistogram.percentile(counts, 0.95));
        assertNear(3_000_000, LatencyHistogram.percentile(counts, 0.99));
    }

    @Test
    void noRequestsHaveNoPercentileAndExtremesAreClamped() {
        assertEquals(-1, LatencyHistogram.percentile(new LatencyHistogram().snapshot(), 0.5));
        LatencyHistogram h = new LatencyHistogram();
        h.record(-5);
        h.record(Long.MAX_VALUE);
        long[] counts = h.snapshot();
        assertEquals(1, counts[0]);
        assertEquals(1, counts[LatencyHistogram.BUCKETS - 1]);
    }

    private static void assertNear(long expectedMicros, long actualMicros) {
        assertTrue(Math.abs(actualMicros - expectedMicros) <= expectedMicros * 0.07,
                "expected about " + expectedMicros + " µs, got " + actualMicros);
    }
}
