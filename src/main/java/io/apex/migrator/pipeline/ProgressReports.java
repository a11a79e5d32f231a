package io.apex.migrator.pipeline;

import io.apex.migrator.api.BatchProgress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A worker's progress reports, sent without holding the copy thread for Kafka's acknowledgement: the thread takes
 * its next task while the reports travel, and the task's record is acknowledged (its offset free to be committed)
 * when the returned stage completes. At most {@code maxUnacknowledged} messages' reports wait for an acknowledgement
 * at once (a message's ranges are reported together, under one slot): when Kafka stops answering, copy threads block
 * here (as they blocked on their own report before) instead of copying ranges whose reports pile up in the
 * emitter's buffer.
 */
final class ProgressReports {

    private final Function<BatchProgress, CompletableFuture<Void>> sender;
    private final Semaphore unacknowledged;
    private final Duration timeout;

    /**
     * @param sender sends a report; its future completes when Kafka acknowledged it
     * @param maxUnacknowledged messages whose reports may wait for Kafka's acknowledgement at once
     * @param timeout how long a message's reports may wait for their acknowledgement, and a sender for a free slot
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
     * Sends a message's reports under one slot; the stage completes when Kafka acknowledged all of them and fails when
     * Kafka refused one or did not acknowledge them within the timeout.
     *
     * @throws IllegalStateException when earlier reports stayed unacknowledged for the whole timeout
     */
    CompletableFuture<Void> sendAll(List<BatchProgress> reports) {
        acquire();
        CompletableFuture<?>[] sent = new CompletableFuture<?>[reports.size()];
        try {
            for (int i = 0; i < sent.length; i++) {
                sent[i] = sender.apply(reports.get(i));
            }
        } catch (RuntimeException e) {
            unacknowledged.release();
            throw e;
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(sent);
        return KafkaSend.acknowledged(all, timeout).whenComplete((ok, failure) -> unacknowledged.release());
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
