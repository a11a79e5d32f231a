package io.apex.migrator.pipeline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps the copy rate of a run in this worker process (points per second, 0 = unlimited): after a page, the
 * worker waits until the run's points so far fit the rate. The cap applies per worker replica.
 */
final class Throttle {

    private final Map<String, Window> windows = new ConcurrentHashMap<>();

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
