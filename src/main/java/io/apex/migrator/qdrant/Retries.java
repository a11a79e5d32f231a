package io.apex.migrator.qdrant;

import dev.failsafe.RetryPolicyBuilder;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Builds the Failsafe retry policy of the gateway from a {@link RetryPolicy}: only
 * {@link QdrantTransientException} is retried; exponential backoff with jitter; a server's {@code retry-after}
 * wins over the computed delay.
 */
final class Retries {

    private static final Logger LOGGER = Logger.getLogger(Retries.class);

    /** Failsafe's signal for "no computed delay": it must not be null (Failsafe converts it first). */
    static final Duration USE_BACKOFF = Duration.ofMillis(-1);

    private Retries() {
    }

    static dev.failsafe.RetryPolicy<Object> policy(RetryPolicy retry, String endpoint) {
        RetryPolicyBuilder<Object> builder = dev.failsafe.RetryPolicy.builder()
                .handle(QdrantTransientException.class)
                .withMaxAttempts(retry.maxAttempts())
                .withDelayFnOn(ctx -> serverDelay(ctx.getLastException(), retry.jitter()),
                        QdrantTransientException.class)
                .onRetry(event -> LOGGER.warnf("Qdrant at %s: attempt %d failed, retrying: %s", endpoint,
                        event.getAttemptCount(), event.getLastException().getMessage()));
        // Failsafe's backoff needs max > initial; equal bounds mean a fixed delay
        if (retry.maxBackoff().compareTo(retry.initialBackoff()) > 0) {
            builder.withBackoff(retry.initialBackoff(), retry.maxBackoff());
        } else {
            builder.withDelay(retry.initialBackoff());
        }
        if (retry.jitter() > 0) {
            builder.withJitter(retry.jitter());
        }
        return builder.build();
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
