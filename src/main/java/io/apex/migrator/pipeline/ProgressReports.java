package io.apex.migrator.pipeline;

import io.apex.migrator.api.BatchProgress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A worker's progress reports, sent without holding the copy thread for Kafka's acknowledgement: the thread takes
 * its next task while the report travels, and the task's record is acknowledged (its offset free to be committed)
 * when the returned stage completes. At most {@code maxUnacknowledged} reports wait for an acknowledgement at once:
 * when Kafka stops answering, copy threads block here (as they blocked on their own report before) instead of
 * copying ranges whose reports pile up in the emitter's buffer.
 */
final class ProgressReports {

    private final Function<BatchProgress, CompletableFuture<Void>> sender;
    private final Semaphore unacknowledged;
    private final Duration timeout;

    /**
     * @param sender sends a report; its future completes when Kafka acknowledged it
     * @param timeout how long a report may wait for its acknowledgement, and a sender for a free slot
     */
    ProgressReports(Function<BatchProgress, CompletableFuture<Void>> sender, int maxUnacknowledged, Duration timeout) {
        if (maxUnacknowledged < 1) {
            throw new IllegalArgumentException("at least one report must be allowed in flight: " + maxUnacknowledged);
        }
        this.sender = sender;
        this.unacknowledged = new Semaphore(maxUnacknowledged);
        this.timeout = timeout;
    }

    /**
     * Sends the report; the stage completes when Kafka acknowledged it and fails when Kafka refused it or did not
     * acknowledge it within the timeout.
     *
     * @throws IllegalStateException when earlier reports stayed unacknowledged for the whole timeout
     */
    CompletableFuture<Void> send(BatchProgress progress) {
        acquire();
        CompletableFuture<Void> sent;
        try {
            sent = sender.apply(progress);
        } catch (RuntimeException e) {
            unacknowledged.release();
            throw e;
        }
        return KafkaSend.acknowledged(sent, timeout).whenComplete((ok, failure) -> unacknowledged.release());
    }

    private void acquire() {
        try {
            if (!unacknowledged.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Kafka did not acknowledge earlier progress reports within "
                        + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka to acknowledge progress reports", e);
        }
    }
}
