package io.apex.migrator.pipeline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * Caps the copy rate of a run in this worker process (points per second, 0 = unlimited): after a page, the
 * worker waits until the run's points so far fit the rate. The cap applies per worker replica.
 */
final class Throttle {

    /** How long a run's cap is taken as known: a changed cap applies within this time, not a lookup per page. */
    static final long RATE_TTL_NANOS = 1_000_000_000L;

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Map<String, long[]> rates = new ConcurrentHashMap<>();

    /** The run's cap from {@code lookup} (the run store), asked at most once per {@link #RATE_TTL_NANOS} per run. */
    int rate(String runId, IntSupplier lookup) {
        long now = System.nanoTime();
        long[] cached = rates.get(runId);
        if (cached != null && now - cached[1] < RATE_TTL_NANOS) {
            return (int) cached[0];
        }
        int rate = lookup.getAsInt();
        rates.put(runId, new long[] {rate, now});
        return rate;
    }

    void acquire(String runId, int points, int maxPerSecond) {
        if (maxPerSecond <= 0) {
            windows.remove(runId);
            return;
        }
        long waitMillis = windows.computeIfAbsent(runId, id -> new Window()).add(points, maxPerSecond);
        if (waitMillis > 0) {
            Worker.sleep(waitMillis);
        }
    }

    /** Points granted since the window opened; the time they are due at the cap tells the wait. */
    private static final class Window {
        private long startNanos = System.nanoTime();
        private long points;
        private int rate;

        synchronized long add(int more, int maxPerSecond) {
            if (rate != maxPerSecond) {
                rate = maxPerSecond;
                startNanos = System.nanoTime();
                points = 0;
            }
            points += more;
            long dueMillis = points * 1000L / rate;
            long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
            return Math.max(0, dueMillis - elapsedMillis);
        }
    }
}
