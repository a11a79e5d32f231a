package io.apex.migrator.pipeline;

import io.apex.migrator.CrashPoint;
import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.BatchProgress;
import io.apex.migrator.api.BatchTask;
import io.apex.migrator.api.PointKey;
import io.apex.migrator.observability.PipelineMetrics;
import io.apex.migrator.api.RangeVerification;
import io.apex.migrator.live.BackfillGuard;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.RangeReader;
import io.qdrant.client.grpc.Collections.ShardKey;
import io.apex.migrator.state.RangeActivity;
import io.apex.migrator.state.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.stream.Collectors;
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
    /** Most copied points awaiting their backfill check: bounds the memory of a long range and how late a re-sync goes. */
    private static final int MAX_UNCHECKED_POINTS = 4_096;

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

    /** Works a single range (a message of one); throws what failed it for good. */
    public BatchProgress execute(BatchTask task) {
        MessageOutcome outcome = executeAll(task);
        if (outcome.failed()) {
            throw outcome.failure();
        }
        return outcome.reports().get(0);
    }

    /**
     * Works a message's ranges in order, as one: the run is looked up once, which takes all of them, and the pages
     * they copy are checked by the backfill guard together before any of them is reported (with, when the message
     * was taken before and never reported, what an earlier attempt inserted). The ranges of a cancelled
     * or failed run are skipped; a paused run holds the worker (and the message's offset) until resumed. A range that
     * fails for good ({@link PipelineException.RangeFailed}, the run store away longer than its retries) ends the
     * message: it and the ranges after it are reported failed, and so are those before it unless their pages pass
     * the check. Anything else a range throws fails the message the same way, but on a worker being shut down (its
     * thread interrupted): then it throws {@link PipelineException.WorkerStopping}, and the message is left to another
     * worker. An {@link Error} is not caught.
     */
    public MessageOutcome executeAll(BatchTask message) {
        List<BatchTask> ranges = message.ranges();
        List<BatchProgress> reports = new ArrayList<>(ranges.size());
        BackfillGuard.Pages pages = null;
        try {
            pages = message.kind() == BatchKind.VERIFY ? null
                    : guard.pages(UUID.fromString(message.runId()), message.source(), MAX_UNCHECKED_POINTS);
            Optional<RunStore.RangesTaken> taken = awaitRunnable(message, ranges);
            for (BatchTask range : ranges) {
                reports.add(execute(range, taken.isPresent(), pages));
            }
            if (pages != null) {
                CrashPoint.reached(CrashPoint.BEFORE_BACKFILL_CHECK, message.source());
                if (taken.isPresent() && taken.get().takenBefore()) {
                    recheckEarlierAttempt(message, ranges);
                }
                pages.check();
            }
            return MessageOutcome.done(reports);
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new PipelineException.WorkerStopping(message.runId(), message.batchIndex(), e);
            }
            return failedOutcome(ranges, reports, pages, e);
        }
    }

    private MessageOutcome failedOutcome(List<BatchTask> ranges, List<BatchProgress> worked, BackfillGuard.Pages pages,
            RuntimeException failure) {
        // worked.size() == ranges.size(): all were copied and the final check failed
        BatchTask failedRange = ranges.get(Math.min(worked.size(), ranges.size() - 1));
        List<BatchProgress> reports = new ArrayList<>(ranges.size());
        String confirmedFailure = worked.size() == ranges.size() ? failure.getMessage() : confirm(pages);
        for (int i = 0; i < ranges.size(); i++) {
            BatchTask range = ranges.get(i);
            if (i < worked.size() && confirmedFailure == null) {
                reports.add(worked.get(i));
            } else if (i < worked.size()) {
                reports.add(failed(range, "copied, but its pages could not be checked against the capture stream: "
                        + confirmedFailure));
            } else if (range == failedRange) {
                reports.add(failed(range, failure.getMessage()));
            } else {
                reports.add(failed(range, "not worked: range " + failedRange.batchIndex()
                        + " of the same message failed for good"));
            }
        }
        return new MessageOutcome(List.copyOf(reports), failedRange, failure);
    }

    /**
     * The message was taken before and not reported: the earlier attempt's inserts may never have been checked (see
     * {@link BackfillGuard#recheck}), so the target's points in its ranges are.
     */
    private void recheckEarlierAttempt(BatchTask message, List<BatchTask> ranges) {
        List<PointKey> targetKeys = new ArrayList<>();
        for (BatchTask range : ranges) {
            retry.get(range, "read the target's ids", () -> {
                List<PointKey> keys = new ArrayList<>();
                RangeReader.read(gateway, range.target(), range.range(), range.pageSize(), false, false,
                        page -> page.forEach(p -> keys.add(PointKey.of(p.getId()))));
                return targetKeys.addAll(keys);
            });
        }
        int resynced = guard.recheck(UUID.fromString(message.runId()), message.source(), targetKeys,
                MAX_UNCHECKED_POINTS);
        LOGGER.infof("run %s: range(s) %s taken over from an attempt that never reported them: %s points of the "
                + "target checked against the capture stream's tombstones, %s re-synced", message.runId(),
                ranges.stream().map(r -> String.valueOf(r.batchIndex())).collect(Collectors.joining(",")),
                targetKeys.size(), resynced);
    }

    /** Checks the pages copied before a failure; null when they passed, else why not. */
    private static String confirm(BackfillGuard.Pages pages) {
        if (pages == null) {
            return null;
        }
        try {
            pages.check();
            return null;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    private BatchProgress execute(BatchTask task, boolean runnable, BackfillGuard.Pages pages) {
        long started = System.nanoTime();
        if (!runnable) {
            LOGGER.infof("run %s: range %s skipped (run ended)", task.runId(), task.batchIndex());
            return progress(task, BatchProgress.Status.SKIPPED, 0, started, null);
        }
        if (task.kind() == BatchKind.VERIFY) {
            return verify(task, started);
        }
        long copied = copy(task, pages);
        LOGGER.debugf("run %s: range %s %s copied %s points", task.runId(), task.batchIndex(), task.range(), copied);
        return progress(task, BatchProgress.Status.DONE, copied, started, null);
    }

    /**
     * Pages are written insert-only and checked against the capture stream's tombstones ({@link BackfillGuard}), so a
     * copy never overwrites a newer captured write nor brings back a point deleted while it ran.
     */
    private long copy(BatchTask task, BackfillGuard.Pages pages) {
        long copied = 0;
        // a custom-sharded source is read one shard key at a time; each page is written under the key it came from
        for (ShardKey key : retry.get(task, "shard keys", () -> shardKeys.keys(task.source()))) {
            copied += copy(task, key, pages);
        }
        return copied;
    }

    private long copy(BatchTask task, ShardKey shardKeyOrNull, BackfillGuard.Pages pages) {
        long[] copied = {0};
        RangeReader.readWire(task.range(),
                from -> {
                    pages.beforeRead();
                    return retry.get(task, "scroll", () -> gateway.scrollWire(task.source(), from, task.pageSize(),
                            null, shardKeyOrNull));
                },
                points -> {
                    retry.get(task, "upsert", () -> {
                        gateway.upsertWire(task.target(), points, true);
                        return null;
                    });
                    pages.inserted(points);
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
     * The run while it may be worked on, with the message's ranges recorded as taken by this worker (same round
     * trip); waits while it is paused; empty when it ended or is unknown.
     */
    private Optional<RunStore.RangesTaken> awaitRunnable(BatchTask task, List<BatchTask> ranges) {
        UUID runId = UUID.fromString(task.runId());
        Integer[] indexes = ranges.stream().map(BatchTask::batchIndex).toArray(Integer[]::new);
        boolean logged = false;
        while (true) {
            Optional<RunStore.RangesTaken> taken = runStore.findRunTakingRanges(runId, task.kind(), indexes,
                    task.pass(), workerId);
            if (taken.isEmpty() || taken.get().run().state().isFinal()) {
                return Optional.empty();
            }
            if (!taken.get().run().paused()) {
                return taken;
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
