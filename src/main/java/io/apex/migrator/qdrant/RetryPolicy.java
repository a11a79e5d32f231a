package io.apex.migrator.qdrant;

import java.time.Duration;
import java.util.Objects;

/**
 * How the gateway retries transient Qdrant errors: exponential backoff from {@code initialBackoff} doubling up to
 * {@code maxBackoff}, each delay randomised by {@code jitter} (0.25 = ±25 %), at most {@code maxAttempts} calls
 * in total. A RESOURCE_EXHAUSTED answer with {@code retry-after} waits what the server asked instead.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter) {

    /** Three attempts, 200 ms doubling up to 5 s, ±25 % jitter. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(5), 0.25);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry max-attempts must be >= 1, got " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("retry initial-backoff must be > 0, got " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "retry max-backoff (" + maxBackoff + ") must be >= initial-backoff (" + initialBackoff + ")");
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("retry jitter must be in [0, 1), got " + jitter);
        }
    }

    /** One attempt, no retry: for callers that do their own retrying. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1), 0);
    }
}
