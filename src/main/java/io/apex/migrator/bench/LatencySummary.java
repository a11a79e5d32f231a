package io.apex.migrator.bench;

import java.util.Arrays;
import java.util.List;

/** Latency percentiles of one query kind, in milliseconds (nearest-rank method). */
public record LatencySummary(int samples, double p50Ms, double p90Ms, double p99Ms) {

    public LatencySummary {
        if (samples < 1) {
            throw new IllegalArgumentException("a latency summary needs at least one sample");
        }
        if (p50Ms < 0 || p50Ms > p90Ms || p90Ms > p99Ms) {
            throw new IllegalArgumentException("percentiles must be ordered: " + p50Ms + ", " + p90Ms + ", " + p99Ms);
        }
    }

    public static LatencySummary ofNanos(List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no latency samples");
        }
        return new LatencySummary(sorted.length, ms(rank(sorted, 0.50)), ms(rank(sorted, 0.90)), ms(rank(sorted, 0.99)));
    }

    private static long rank(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    @Override
    public String toString() {
        return String.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms (n=%d)", p50Ms, p90Ms, p99Ms, samples);
    }

    static LatencySummary ofNanos(long... nanos) {
        return ofNanos(Arrays.stream(nanos).boxed().toList());
    }
}
