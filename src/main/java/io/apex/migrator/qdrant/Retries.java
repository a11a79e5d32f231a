package io.apex.migrator.qdrant;

import dev.failsafe.RetryPolicyBuilder;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The one vocabulary of retrying transient Qdrant errors with Failsafe: only {@link QdrantTransientException} is
 * retried; exponential backoff with jitter; a server's {@code retry-after} wins over the computed delay. The
 * gateway bounds it by attempts ({@link #policy}); a worker's task adds its own patience on top
 * ({@code pipeline.TransientRetry}).
 */
public final class Retries {

    private static final Logger LOGGER = Logger.getLogger(Retries.class);

    /** Failsafe's signal for "no computed delay": it must not be null (Failsafe converts it first). */
    static final Duration USE_BACKOFF = Duration.ofMillis(-1);

    private Retries() {
    }

    static dev.failsafe.RetryPolicy<Object> policy(RetryPolicy retry, String endpoint) {
        return onTransientErrors(retry.initialBackoff(), retry.maxBackoff(), retry.jitter())
                .withMaxAttempts(retry.maxAttempts())
                .onRetry(event -> LOGGER.warnf("Qdrant at %s: attempt %d failed, retrying: %s", endpoint,
                        event.getAttemptCount(), event.getLastException().getMessage()))
                .build();
    }

    /**
     * A policy builder that retries {@link QdrantTransientException} only, backing off from {@code initialBackoff}
     * (doubling up to {@code maxBackoff}, randomised by {@code jitter}) or waiting what the server's
     * {@code retry-after} asked, whichever is longer. Callers set the bounds (attempts, patience).
     */
    public static RetryPolicyBuilder<Object> onTransientErrors(Duration initialBackoff, Duration maxBackoff,
            double jitter) {
        RetryPolicyBuilder<Object> builder = dev.failsafe.RetryPolicy.builder()
                .handle(QdrantTransientException.class)
                .withDelayFnOn(ctx -> serverDelay(ctx.getLastException(), jitter), QdrantTransientException.class);
        // Failsafe's backoff needs max > initial; equal bounds mean a fixed delay
        if (maxBackoff.compareTo(initialBackoff) > 0) {
            builder.withBackoff(initialBackoff, maxBackoff);
        } else {
            builder.withDelay(initialBackoff);
        }
        if (jitter > 0) {
            builder.withJitter(jitter);
        }
        return builder;
    }

    /**
     * The delay the server asked for, or a negative one, which tells Failsafe to use the regular backoff. Failsafe applies jitter to this delay too,
     * so it is stretched by 1 / (1 - jitter): even the shortest jittered wait is still what the server asked.
     */
    static Duration serverDelay(Throwable last, double jitter) {
        if (last instanceof QdrantTransientException t && t.retryAfter().isPresent()) {
            long millis = t.retryAfter().get().toMillis();
            return Duration.ofMillis((long) Math.ceil(millis / (1 - jitter)));
        }
        return USE_BACKOFF;
    }
}
