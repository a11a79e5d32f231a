package io.apex.migrator.pipeline;

import io.apex.migrator.CrashPoint;
import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.BatchProgress;
import io.apex.migrator.api.BatchTask;
import io.apex.migrator.observability.PipelineMetrics;
import io.apex.migrator.api.RangeVerification;
import io.apex.migrator.qdrant.QdrantException;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantTransientException;
import io.apex.migrator.qdrant.RangeReader;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunStore;
import io.qdrant.client.grpc.Common.PointId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Copies one range {@code [start, end)} page by page: scroll the source with vectors and payload from
 * {@code start}, keep the points before {@code end} (Qdrant's scroll has no end id, so the worker enforces it
 * with {@link PointIdOrder}), upsert them with the same ids. Re-running a range is harmless.
 */
@ApplicationScoped
public class Worker {

    private static final Logger LOGGER = Logger.getLogger(Worker.class);
    private static final Duration MAX_PAGE_BACKOFF = Duration.ofSeconds(10);

    private final QdrantGateway gateway;
    private final RunStore runStore;
    private final PipelineConfig config;
    private final Throttle throttle = new Throttle();
    private final String workerId;
    @Inject
    PipelineMetrics metrics;
    private final RangeVerifier verifier;

    @Inject
    public Worker(QdrantGateway gateway, RunStore runStore, PipelineConfig config, RangeVerifier verifier) {
        this.gateway = gateway;
        this.verifier = verifier;
        this.runStore = runStore;
        this.config = config;
        this.workerId = config.workerId().orElseGet(() -> ManagementFactory.getRuntimeMXBean().getName());
    }

    public String workerId() {
        return workerId;
    }

    /**
     * Executes a task and reports on it. A range of a cancelled or failed run is skipped; a paused run holds
     * the worker (and the task's offset) until resumed.
     *
     * @throws PipelineException.RangeFailed when the range cannot be copied after its retries
     */
    public BatchProgress execute(BatchTask task) {
        long started = System.nanoTime();
        Optional<Run> run = awaitRunnable(task);
        if (run.isEmpty()) {
            LOGGER.infof("run %s: range %s skipped (run ended)", task.runId(), task.batchIndex());
            return progress(task, BatchProgress.Status.SKIPPED, 0, started, null);
        }
        if (task.kind() == BatchKind.VERIFY) {
            return verify(task, started);
        }
        long copied = copy(task);
        LOGGER.debugf("run %s: range %s %s copied %s points", task.runId(), task.batchIndex(), task.range(), copied);
        return progress(task, BatchProgress.Status.DONE, copied, started, null);
    }

    private long copy(BatchTask task) {
        long[] copied = {0};
        RangeReader.readWire(task.range(),
                from -> withRetries(task, "scroll", () -> gateway.scrollWire(task.source(), from, task.pageSize())),
                points -> {
                    withRetries(task, "upsert", () -> {
                        gateway.upsertWire(task.target(), points);
                        return null;
                    });
                    copied[0] += points.size();
                    CrashPoint.reached(CrashPoint.MID_COPY, task.source());
                    throttle.acquire(task.runId(), points.size(), throttle.rate(task.runId(), () -> maxRate(task)));
                });
        return copied[0];
    }

    /** Checksums (and repairs) a range on both sides; verification code lives in {@link RangeVerifier}. */
    private BatchProgress verify(BatchTask task, long started) {
        RangeVerification result;
        try {
            result = verifier.verify(task);
        } catch (QdrantException e) {
            throw new PipelineException.RangeFailed(task.runId(), task.batchIndex(), task.range().toString(), e);
        }
        return new BatchProgress(task.runId(), task.batchIndex(), task.kind(), BatchProgress.Status.DONE,
                result.sourcePoints(), (System.nanoTime() - started) / 1_000_000, workerId, null,
                result.targetChecksum(), result);
    }

    /** Retries a page on transient errors (after the gateway's own retries), with exponential backoff + jitter. */
    private <T> T withRetries(BatchTask task, String operation, Supplier<T> call) {
        Duration backoff = config.pageBackoff();
        long patienceEnds = System.nanoTime() + config.transientPatience().toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (QdrantTransientException e) {
                // An outage shorter than the patience is waited out; only then does the range fail for good.
                if (attempt >= config.pageAttempts() && System.nanoTime() - patienceEnds >= 0) {
                    throw new PipelineException.RangeFailed(task.runId(), task.batchIndex(), task.range().toString(), e);
                }
                // RESOURCE_EXHAUSTED carries retry-after: never come back sooner than Qdrant asked.
                Duration wait = backoff;
                if (e.retryAfter().isPresent() && e.retryAfter().get().compareTo(wait) > 0) {
                    wait = e.retryAfter().get();
                }
                metrics.retry(operation);
                LOGGER.warnf("run %s: range %s %s attempt %s failed (%s); retrying in %s ms", task.runId(),
                        task.batchIndex(), operation, attempt, e.getMessage(), wait.toMillis());
                sleep(wait.toMillis() + ThreadLocalRandom.current().nextLong(wait.toMillis() / 2 + 1));
                backoff = backoff.multipliedBy(2).compareTo(MAX_PAGE_BACKOFF) > 0 ? MAX_PAGE_BACKOFF : backoff.multipliedBy(2);
            } catch (QdrantException e) {
                throw new PipelineException.RangeFailed(task.runId(), task.batchIndex(), task.range().toString(), e);
            }
        }
    }

    /** The run while it may be worked on; waits while it is paused; empty when it ended or is unknown. */
    private Optional<Run> awaitRunnable(BatchTask task) {
        UUID runId = UUID.fromString(task.runId());
        boolean logged = false;
        while (true) {
            Optional<Run> run = runStore.findRun(runId);
            if (run.isEmpty() || run.get().state().isFinal()) {
                return Optional.empty();
            }
            if (!run.get().paused()) {
                return run;
            }
            if (!logged) {
                LOGGER.infof("run %s: paused; range %s waits", task.runId(), task.batchIndex());
                logged = true;
            }
            sleep(config.pausePoll().toMillis());
        }
    }

    private int maxRate(BatchTask task) {
        return runStore.findRun(UUID.fromString(task.runId())).map(Run::maxPointsPerSecond).orElse(0);
    }

    private BatchProgress progress(BatchTask task, BatchProgress.Status status, long points, long startedNanos,
            String reason) {
        return new BatchProgress(task.runId(), task.batchIndex(), task.kind(), status, points,
                (System.nanoTime() - startedNanos) / 1_000_000, workerId, reason, null);
    }

    /** The report of a range that failed for good. */
    BatchProgress failed(BatchTask task, String reason) {
        return new BatchProgress(task.runId(), task.batchIndex(), task.kind(), BatchProgress.Status.FAILED, 0, 0,
                workerId, reason, null);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
