package io.apex.migrator.pipeline;

import io.apex.migrator.CrashPoint;
import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.BatchProgress;
import io.apex.migrator.api.BatchTask;
import io.apex.migrator.observability.PipelineMetrics;
import io.apex.migrator.api.RangeVerification;
import io.apex.migrator.live.BackfillGuard;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.RangeReader;
import io.qdrant.client.grpc.Collections.ShardKey;
import io.apex.migrator.state.RangeActivity;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Copies one range {@code [start, end)} page by page: scroll the source with vectors and payload from
 * {@code start}, keep the points before {@code end} (Qdrant's scroll has no end id, so the worker enforces it
 * with {@link PointIdOrder}), insert them with the same ids. Re-running a range is harmless.
 */
@ApplicationScoped
public class Worker {

    private static final Logger LOGGER = Logger.getLogger(Worker.class);
    /** How old a source's shard-key list may be when a copy task starts (see {@link ShardKeyCache}). */
    private static final Duration SHARD_KEYS_MAX_AGE = Duration.ofSeconds(1);

    private final QdrantGateway gateway;
    private final RunStore runStore;
    private final PipelineConfig config;
    private final Throttle throttle = new Throttle();
    private final String workerId;
    @Inject
    PipelineMetrics metrics;
    @Inject
    RangeActivity activity;
    private final RangeVerifier verifier;
    private final TransientRetry retry;
    private final BackfillGuard guard;
    private final ShardKeyCache shardKeys;

    @Inject
    public Worker(QdrantGateway gateway, RunStore runStore, PipelineConfig config, RangeVerifier verifier,
            BackfillGuard guard) {
        this.guard = guard;
        this.gateway = gateway;
        this.shardKeys = new ShardKeyCache(collection -> RangeReader.shardKeysOrAll(gateway, collection),
                SHARD_KEYS_MAX_AGE, System::nanoTime);
        this.verifier = verifier;
        this.runStore = runStore;
        this.config = config;
        this.workerId = config.workerId().orElseGet(() -> ManagementFactory.getRuntimeMXBean().getName());
        // a lambda, not metrics::retry: the fields are injected after the constructor has run
        this.retry = TransientRetry.of(config, (task, operation, error) -> {
            metrics.retry(operation);
            activity.attemptFailed(UUID.fromString(task.runId()), task.kind(), task.batchIndex(), task.pass(),
                    operation + ": " + error.getMessage());
        });
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

    /**
     * Pages are written insert-only and checked against the capture stream's tombstones ({@link BackfillGuard}), so a
     * copy never overwrites a newer captured write nor brings back a point deleted while it ran.
     */
    private long copy(BatchTask task) {
        long copied = 0;
        // a custom-sharded source is read one shard key at a time; each page is written under the key it came from
        for (ShardKey key : retry.get(task, "shard keys", () -> shardKeys.keys(task.source()))) {
            copied += copy(task, key);
        }
        return copied;
    }

    private long copy(BatchTask task, ShardKey shardKeyOrNull) {
        long[] copied = {0};
        UUID runId = UUID.fromString(task.runId());
        long[] horizon = {0};
        RangeReader.readWire(task.range(),
                from -> {
                    horizon[0] = guard.horizon(runId);
                    return retry.get(task, "scroll", () -> gateway.scrollWire(task.source(), from, task.pageSize(),
                            null, shardKeyOrNull));
                },
                points -> {
                    retry.get(task, "upsert", () -> {
                        gateway.upsertWire(task.target(), points, true);
                        return null;
                    });
                    guard.afterInsert(runId, task.source(), horizon[0], points);
                    copied[0] += points.size();
                    CrashPoint.reached(CrashPoint.MID_COPY, task.source());
                    throttle.acquire(task.runId(), points.size(), () -> maxRate(task));
                });
        return copied[0];
    }

    /**
     * Checksums (and repairs) a range on both sides; verification code lives in {@link RangeVerifier}. A transient
     * error re-runs the whole task with the copy's patience: checksumming and re-copying a range are idempotent.
     */
    private BatchProgress verify(BatchTask task, long started) {
        RangeVerification result = retry.get(task, "verify", () -> verifier.verify(task));
        return new BatchProgress(task.runId(), task.batchIndex(), task.kind(), BatchProgress.Status.DONE,
                result.sourcePoints(), (System.nanoTime() - started) / 1_000_000, workerId, null,
                result.targetChecksum(), result);
    }

    /**
     * The run while it may be worked on, with the range recorded as taken by this worker (same round trip); waits
     * while it is paused; empty when it ended or is unknown.
     */
    private Optional<Run> awaitRunnable(BatchTask task) {
        UUID runId = UUID.fromString(task.runId());
        boolean logged = false;
        while (true) {
            Optional<Run> run = runStore.findRunTakingRange(runId, task.kind(), task.batchIndex(), task.pass(), workerId);
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

    /** The run's cap (0 = unlimited), or nothing once the run has ended: its throttle state is then dropped. */
    private OptionalInt maxRate(BatchTask task) {
        return runStore.findRun(UUID.fromString(task.runId())).filter(r -> !r.state().isFinal())
                .map(r -> OptionalInt.of(r.maxPointsPerSecond())).orElse(OptionalInt.empty());
    }

    private BatchProgress progress(BatchTask task, BatchProgress.Status status, long points, long startedNanos,
            String reason) {
        return new BatchProgress(task.runId(), task.batchIndex(), task.kind(), status, points,
                (System.nanoTime() - startedNanos) / 1_000_000, workerId, reason, null);
    }

    /** Records, for the range map, that a range failed for good goes to the dead-letter topic. */
    void deadLettered(BatchTask task, String reason) {
        activity.deadLettered(UUID.fromString(task.runId()), task.kind(), task.batchIndex(), task.pass(), reason);
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
