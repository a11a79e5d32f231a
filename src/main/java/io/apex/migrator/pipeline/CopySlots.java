package io.apex.migrator.pipeline;

import java.util.concurrent.Semaphore;

/**
 * A replica's copy streams ({@code apex.pipeline.worker.concurrency}): a batches message holds one while its ranges
 * are read and written, and not while its ranges are taken, checked against the capture stream or reported. The
 * replica holds more messages than it has streams ({@code apex.pipeline.worker.messages-in-flight}), so that this
 * bookkeeping overlaps other messages' copy instead of pausing a stream between two messages.
 */
final class CopySlots {

    private final Semaphore slots;

    CopySlots(PipelineConfig.Worker worker) {
        if (worker.concurrency() < 1 || worker.messagesInFlight() < worker.concurrency()) {
            throw new IllegalArgumentException("apex.pipeline.worker.messages-in-flight (" + worker.messagesInFlight()
                    + ") must be at least apex.pipeline.worker.concurrency (" + worker.concurrency()
                    + "), which must be at least 1: a replica copies at most as many messages as it holds");
        }
        this.slots = new Semaphore(worker.concurrency(), true);
    }

    /**
     * Runs {@code copy} in a slot, waiting for one in arrival order.
     *
     * @throws IllegalStateException when interrupted while waiting (the interrupt is kept: the worker is stopping)
     */
    void run(Runnable copy) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a copy stream", e);
        }
        try {
            copy.run();
        } finally {
            slots.release();
        }
    }
}
