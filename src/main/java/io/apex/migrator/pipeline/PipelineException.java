package io.apex.migrator.pipeline;

import io.apex.migrator.api.BatchProgress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Root of the pipeline's failures; subtypes carry the run and the fact that failed it. */
public sealed class PipelineException extends RuntimeException
        permits PipelineException.RangeFailed, PipelineException.CutoverRefused, PipelineException.Unpublished,
        PipelineException.WorkerStopping, PipelineException.MessageReported {

    PipelineException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A range that could not be copied after its retries; goes to the dead-letter topic. */
    public static final class RangeFailed extends PipelineException {
        private final String runId;
        private final int batchIndex;

        public RangeFailed(String runId, int batchIndex, String range, Throwable cause) {
            super("run " + runId + ": range " + batchIndex + " " + range + " failed: " + cause.getMessage(), cause);
            this.runId = runId;
            this.batchIndex = batchIndex;
        }

        public String runId() {
            return runId;
        }

        public int batchIndex() {
            return batchIndex;
        }
    }

    /** The alias could not be switched safely (count mismatch, a collection named like the alias, ...). */
    public static final class CutoverRefused extends PipelineException {
        public CutoverRefused(String message) {
            super(message, null);
        }
    }

    /**
     * Kafka did not acknowledge a message that must be out before the offset of the record that caused it is
     * committed (a command's rejection). {@link #retriable()} when Kafka may still take it (no answer in time, a
     * retriable error): the record is held and handled again; otherwise the record goes to the dead-letter topic.
     */
    public static final class Unpublished extends PipelineException {
        private final boolean retriable;

        public Unpublished(String what, boolean retriable, Throwable cause) {
            super(what + " was not acknowledged by Kafka" + (cause == null ? "" : ": " + cause), cause);
            this.retriable = retriable;
        }

        public boolean retriable() {
            return retriable;
        }
    }

    /**
     * A task given up because its worker is shutting down (its thread was interrupted): the task is not failed,
     * its record is neither dead-lettered nor committed ({@link BatchNacks}), so another worker takes it.
     */
    public static final class WorkerStopping extends PipelineException {
        public WorkerStopping(String runId, int batchIndex, Throwable cause) {
            super("run " + runId + ": range " + batchIndex + " given up, the worker is shutting down: "
                    + cause.getMessage(), cause);
        }
    }

    /**
     * A batches message that failed for good after its worker sent a report for each of its ranges: carries those
     * reports and Kafka's acknowledgement of them, so that the failure strategy ({@link BatchNacks}) waits for that
     * (and sends them again if Kafka refused them) instead of reporting the ranges a second time. Its message is the
     * failure's.
     */
    public static final class MessageReported extends PipelineException {
        private final transient List<BatchProgress> reports;
        private final transient CompletableFuture<Void> acknowledged;

        public MessageReported(RuntimeException failure, List<BatchProgress> reports,
                CompletableFuture<Void> acknowledged) {
            super(failure.getMessage(), failure);
            this.reports = List.copyOf(reports);
            this.acknowledged = acknowledged;
        }

        public List<BatchProgress> reports() {
            return reports;
        }

        /** Completes when Kafka acknowledged every report; fails when it refused one or did not answer in time. */
        public CompletableFuture<Void> acknowledged() {
            return acknowledged;
        }
    }
}
