package io.apex.migrator.pipeline;

import io.apex.migrator.api.BatchProgress;
import io.apex.migrator.api.BatchTask;
import io.apex.migrator.api.Messages;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * What becomes of a batch-task record whose handling failed (the {@code batches-in} channel nacked it), decided
 * before it may go to the dead-letter topic: a dead-lettered record is committed and never redelivered, so the
 * tracker must already know that its ranges failed, or it waits for them forever.
 * <ul>
 * <li>The replica is shutting down (a task interrupted, the worker pool closed before the task began): the record is
 * not dead-lettered and not acknowledged, so its offset is not committed and another worker takes it.</li>
 * <li>The worker failed the message after it reported each of its ranges ({@link PipelineException.MessageReported}):
 * the record goes to the dead-letter topic once Kafka has acknowledged those reports; nothing is reported again.</li>
 * <li>Otherwise the handler did not report the ranges (a report Kafka refused or did not acknowledge, an Error,
 * anything else): every range of the message is reported FAILED, and the record goes to the dead-letter topic once
 * Kafka has acknowledged the reports. A range already reported keeps its first report (the tracker ignores
 * repeats).</li>
 * </ul>
 * A report Kafka does not take is sent again, the record held meanwhile, until it is taken or the replica shuts down.
 * Each nack is logged once, at ERROR, with the run, the ranges and the cause. Callers may be on an event loop:
 * nothing here blocks.
 */
final class BatchNacks {

    private static final Logger LOGGER = Logger.getLogger(BatchNacks.class);

    private final Function<BatchProgress, CompletableFuture<Void>> reports;
    private final BiFunction<BatchTask, String, BatchProgress> failedReport;
    private final BooleanSupplier shuttingDown;
    private final Executor retryPause;

    /**
     * @param reports sends a report; its future completes when Kafka acknowledged it (or fails, in bounded time)
     * @param failedReport the FAILED report of a range, with the reason
     * @param shuttingDown whether the replica is shutting down
     * @param retryPause runs, after a pause, the sending again of reports Kafka did not take
     */
    BatchNacks(Function<BatchProgress, CompletableFuture<Void>> reports,
            BiFunction<BatchTask, String, BatchProgress> failedReport, BooleanSupplier shuttingDown,
            Executor retryPause) {
        this.reports = reports;
        this.failedReport = failedReport;
        this.shuttingDown = shuttingDown;
        this.retryPause = retryPause;
    }

    /** An executor that runs a task {@code pause} after it is handed over. */
    static Executor after(Duration pause) {
        return CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Completes when the nacked record may go to the dead-letter topic; never completes when it must stay
     * uncommitted for another worker.
     *
     * @param recordValue the record's value (a batch task message)
     * @param reason why its handling failed
     */
    CompletableFuture<Void> beforeDeadLetter(String recordValue, Throwable reason) {
        Throwable cause = unwrap(reason);
        List<BatchTask> ranges;
        try {
            ranges = Messages.get().readBatchTask(recordValue).ranges();
        } catch (RuntimeException e) {
            LOGGER.errorf("a batch-task record that is no batch task (%s) goes to the dead-letter topic: %s",
                    e.getMessage(), describe(cause));
            return CompletableFuture.completedFuture(null);
        }
        String runId = ranges.get(0).runId();
        String indexes = ranges.stream().map(r -> String.valueOf(r.batchIndex())).collect(Collectors.joining(","));
        if (shuttingDown.getAsBoolean() || isStopping(reason)) {
            LOGGER.errorf("run %s: range(s) %s neither dead-lettered nor committed, left to another worker: this "
                    + "worker is shutting down (%s)", runId, indexes, describe(cause));
            return new CompletableFuture<>();
        }
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        PipelineException.MessageReported reported = reported(reason);
        if (reported != null) {
            LOGGER.errorf("run %s: range(s) %s reported by the worker and sent to the dead-letter topic: %s", runId,
                    indexes, describe(reported.getCause()));
            awaitReports(reported.reports(), reported.acknowledged(), runId, indexes, acknowledged);
            return acknowledged;
        }
        LOGGER.errorf("run %s: range(s) %s reported failed and sent to the dead-letter topic: %s", runId, indexes,
                describe(cause));
        // the run's failure reason, as the worker gave it (the exception's type only when it has no message)
        String failure = cause.getMessage() != null ? cause.getMessage() : describe(cause);
        List<BatchProgress> failed = ranges.stream().map(r -> failedReport.apply(r, failure)).toList();
        awaitReports(failed, sendAll(failed), runId, indexes, acknowledged);
        return acknowledged;
    }

    /** Completes {@code done} once {@code sent} (the sending of {@code reports}) is acknowledged, sending them again. */
    private void awaitReports(List<BatchProgress> reports, CompletableFuture<Void> sent, String runId, String indexes,
            CompletableFuture<Void> done) {
        sent.whenComplete((ok, error) -> {
            if (error == null) {
                done.complete(null);
            } else if (shuttingDown.getAsBoolean()) {
                LOGGER.warnf("run %s: range(s) %s could not be reported (%s) and this worker is shutting down: the "
                        + "record is left uncommitted to another worker", runId, indexes, describe(unwrap(error)));
            } else {
                LOGGER.warnf("run %s: range(s) %s could not be reported (%s); the record is held and the reports sent "
                        + "again", runId, indexes, describe(unwrap(error)));
                retryPause.execute(() -> awaitReports(reports, sendAll(reports), runId, indexes, done));
            }
        });
    }

    private CompletableFuture<Void> sendAll(List<BatchProgress> reports) {
        return CompletableFuture.allOf(reports.stream().map(this::send).toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> send(BatchProgress progress) {
        try {
            return reports.apply(progress);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A failure that comes from the replica shutting down rather than from the task. */
    static boolean isStopping(Throwable reason) {
        for (Throwable t = reason; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PipelineException.WorkerStopping || t instanceof RejectedExecutionException
                    || t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    /** The worker's reports of a message it failed, if {@code reason} carries them. */
    private static PipelineException.MessageReported reported(Throwable reason) {
        for (Throwable t = reason; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PipelineException.MessageReported reported) {
                return reported;
            }
        }
        return null;
    }

    private static Throwable unwrap(Throwable reason) {
        Throwable t = reason;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String describe(Throwable cause) {
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
