package io.apex.migrator.pipeline;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.apex.migrator.api.BatchTask;
import io.apex.migrator.qdrant.QdrantException;
import io.apex.migrator.qdrant.QdrantTransientException;
import io.apex.migrator.qdrant.Retries;
import java.time.Duration;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A worker's patience with transient Qdrant errors that escaped the gateway's own retries, the same for a copy
 * page and a whole verify task: a call is repeated for at least {@code attempts} attempts AND until
 * {@code patience} has passed since its first failure (an outage shorter than that holds the task instead of
 * failing the run), backing off exponentially with jitter up to {@code maxBackoff}, never sooner
 * than a {@code retry-after}.
 * Any other Qdrant error, or a transient one past the patience, fails the range.
 */
final class TransientRetry {

    private static final Logger LOGGER = Logger.getLogger(TransientRetry.class);
    static final double JITTER = 0.25;

    private final int attempts;
    private final Duration patience;
    private final Listener onRetry;
    private final RetryPolicy<Object> policy;

    /** Told of every failed attempt that is retried (metrics, the range map). */
    @FunctionalInterface
    interface Listener {
        void retrying(BatchTask task, String operation, RuntimeException error);
    }

    /**
     * @param maxBackoff longest pause between two attempts ({@code apex.pipeline.transient-max-backoff})
     * @param onRetry told of every retry
     */
    TransientRetry(int attempts, Duration backoff, Duration maxBackoff, Duration patience, Listener onRetry) {
        this.attempts = attempts;
        this.patience = patience;
        this.onRetry = onRetry;
        // No bound of its own: whether to go on is decided per call, below, where the patience is known.
        this.policy = Retries.onTransientErrors(backoff, backoff.compareTo(maxBackoff) > 0 ? backoff : maxBackoff,
                JITTER).withMaxRetries(-1).build();
    }

    static TransientRetry of(PipelineConfig config, Listener onRetry) {
        return new TransientRetry(config.pageAttempts(), config.pageBackoff(), config.transientMaxBackoff(),
                config.transientPatience(), onRetry);
    }

    /**
     * The call's result, after as many retries as the patience allows.
     *
     * @throws PipelineException.RangeFailed when Qdrant refused for good or stayed unavailable past the patience
     */
    <T> T get(BatchTask task, String operation, Supplier<T> call) {
        long[] firstFailure = {0};
        return Failsafe.with(policy).get(ctx -> {
            try {
                return call.get();
            } catch (QdrantTransientException e) {
                int attempt = ctx.getAttemptCount() + 1;
                long now = System.nanoTime();
                if (attempt == 1) {
                    firstFailure[0] = now;
                }
                if (attempt >= attempts && now - firstFailure[0] >= patience.toNanos()) {
                    throw new PipelineException.RangeFailed(task.runId(), task.batchIndex(), task.range().toString(), e);
                }
                onRetry.retrying(task, operation, e);
                LOGGER.warnf("run %s: range %s %s attempt %s failed (%s); retrying", task.runId(), task.batchIndex(),
                        operation, attempt, e.getMessage());
                throw e;
            } catch (QdrantException e) {
                throw new PipelineException.RangeFailed(task.runId(), task.batchIndex(), task.range().toString(), e);
            }
        });
    }
}
