package io.apex.migrator.pipeline;

import dev.failsafe.RateLimiter;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Caps the copy rate of a run in this worker replica (points per second, 0 = unlimited) with a smooth Failsafe
 * {@link RateLimiter}: after a page, the worker waits until the page's points are due at the rate. A smooth limiter
 * spaces permits evenly and saves none while idle, so a run that was paused (or waited for its next task) resumes at
 * the rate, never with a burst. The state of a run is dropped when its rate lookup finds it ended, and after it went
 * unused for {@link #IDLE_EVICTION} (a run that ended on another replica): recreating it later loses nothing, since
 * an idle smooth limiter holds no credit.
 */
final class Throttle {

    /** How long a run's cap is taken as known: a changed cap applies within this time, not a lookup per page. */
    static final Duration RATE_TTL = Duration.ofSeconds(1);
    /** A run's state unused this long is dropped. */
    static final Duration IDLE_EVICTION = Duration.ofMinutes(1);

    private final Map<String, RunLimit> limits = new ConcurrentHashMap<>();
    private final long idleEvictionNanos;

    Throttle() {
        this(IDLE_EVICTION);
    }

    Throttle(Duration idleEviction) {
        this.idleEvictionNanos = idleEviction.toNanos();
    }

    /**
     * Waits until {@code points} more fit the run's rate. {@code rateLookup} (the run store) gives the run's cap, or
     * nothing when the run has ended or is unknown; it is asked at most once per {@link #RATE_TTL} per run.
     */
    void acquire(String runId, int points, Supplier<OptionalInt> rateLookup) {
        long now = System.nanoTime();
        evictIdle(now);
        RunLimit limit = limits.get(runId);
        if (limit == null || now - limit.rateReadAt >= RATE_TTL.toNanos()) {
            OptionalInt rate = rateLookup.get();
            if (rate.isEmpty()) {
                limits.remove(runId);
                return;
            }
            limit = limits.compute(runId, (id, current) -> current != null && current.rate == rate.getAsInt()
                    ? current.readAt(now) : RunLimit.of(rate.getAsInt(), now));
        }
        limit.lastUsed = now;
        if (limit.limiter == null || points <= 0) {
            return;
        }
        try {
            limit.limiter.acquirePermits(points);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while throttled", e);
        }
    }

    /** Runs whose state this replica keeps (for tests). */
    int trackedRuns() {
        return limits.size();
    }

    private void evictIdle(long now) {
        limits.values().removeIf(l -> now - l.lastUsed > idleEvictionNanos);
    }

    /** One run's cap and its limiter (none when unlimited). */
    private static final class RunLimit {
        final int rate;
        final RateLimiter<Object> limiter;
        volatile long rateReadAt;
        volatile long lastUsed;

        private RunLimit(int rate, RateLimiter<Object> limiter, long now) {
            this.rate = rate;
            this.limiter = limiter;
            this.rateReadAt = now;
            this.lastUsed = now;
        }

        static RunLimit of(int rate, long now) {
            return new RunLimit(rate, rate <= 0 ? null
                    : RateLimiter.smoothBuilder(rate, Duration.ofSeconds(1)).build(), now);
        }

        RunLimit readAt(long now) {
            rateReadAt = now;
            return this;
        }
    }
}
