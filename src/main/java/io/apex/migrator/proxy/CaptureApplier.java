package io.apex.migrator.proxy;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.apex.migrator.observability.RunContext;
import io.apex.migrator.pipeline.PipelineConfig;
import io.apex.migrator.live.PointResync;
import io.apex.migrator.qdrant.CollectionNotFoundException;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantRestClient;
import io.apex.migrator.qdrant.Retries;
import io.apex.migrator.state.CapturePositions;
import io.apex.migrator.state.ProxyHolds;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.state.Tombstones;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.apex.migrator.api.PointKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Worker side of the capture: applies each record of the capture topic to its run's TARGET, one at a time in the
 * order of the partition (a collection's records share one), committing the offset only after the target
 * acknowledged (channel {@code capture-in}, its own consumer group).
 *
 * <p>A write is not replayed as it was sent: the points it names by id, and the points its filters match in the
 * target and in the source, are re-synced from the source's current state ({@link PointResync}), so a capture
 * applied late, twice, or in another order than Qdrant applied two concurrent writes still leaves the target equal
 * to the source once the stream has passed it. A write by filter first records a filter tombstone (the backfill
 * re-syncs the pages it read before); deletes leave tombstones ({@link Tombstones}) before they reach the target,
 * so an insert-only backfill page read earlier is re-synced.
 *
 * <p>A capture of a run that ended is skipped; so is one that arrives before the run provisioned its target (the
 * copy has not started, so it reads the write from the source itself). Transient Qdrant errors are retried with the
 * copy's patience ({@code apex.pipeline.transient-patience}); an error that outlasts it stops this worker's capture
 * channel (health DOWN) without committing the batch, so no capture is ever skipped: the partition goes to another
 * worker, which applies it again. A record no one can read is dropped with an error (the checksums repair it). Applied captured writes (not the re-syncs the
 * migrator asks for itself) are counted per run ({@link CaptureTally}) for the verification report.
 */
@ApplicationScoped
public class CaptureApplier {

    private static final Logger LOGGER = Logger.getLogger(CaptureApplier.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final QdrantGateway gateway;
    private final QdrantRestClient rest;
    private final RunStore runStore;
    private final Tombstones tombstones;
    private final ProxyHolds holds;
    private final RetryPolicy<Object> retry;
    private final CaptureApplyMetrics metrics;
    private final CaptureTally tally;
    @Inject
    CapturePositions positions;
    /** The filter reads of one poll, run side by side (target and source, gRPC and REST filters). */
    private final ExecutorService readers = daemons(4, "capture-filter-read");
    /**
     * The re-sync chunks of one poll, side by side: each costs a few round trips whose time is mostly waiting, so on a
     * loaded host one after another left the stream behind writers it could otherwise follow.
     */
    private final ExecutorService resyncs = daemons(4, "capture-resync");

    @Inject
    public CaptureApplier(QdrantGateway gateway, QdrantRestClient rest, RunStore runStore, Tombstones tombstones,
            ProxyHolds holds, PipelineConfig config, CaptureApplyMetrics metrics, CaptureTally tally) {
        this.rest = rest;
        this.tally = tally;
        this.holds = holds;
        this.gateway = gateway;
        this.runStore = runStore;
        this.tombstones = tombstones;
        this.metrics = metrics;
        Duration backoff = config.pageBackoff();
        this.retry = Retries.onTransientErrors(backoff, backoff.compareTo(MAX_BACKOFF) > 0 ? backoff : MAX_BACKOFF,
                        0.25)
                .withMaxDuration(config.transientPatience())
                .withMaxRetries(-1)
                .onRetry(e -> LOGGER.warnf("capture apply attempt %s failed, retrying: %s", e.getAttemptCount(),
                        e.getLastException().getMessage()))
                .build();
    }

    /**
     * One poll's records at a time: the captures of a run in it are applied together (their points re-synced once,
     * their union), which is what makes the stream keep up with hundreds of writes per second. Order within the
     * batch does not matter: every point is re-synced from the source's state after the last of them.
     */
    @Incoming("capture-in")
    @Blocking
    public void onCaptures(ConsumerRecords<String, byte[]> records) {
        List<CapturedWrite> writes = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                writes.add(CapturedWrite.of(record.headers(), record.value()));
            } catch (IllegalArgumentException e) {
                // nothing can apply it; the checksum verification repairs what it carried
                LOGGER.errorf("capture at %s-%s offset %s dropped: %s", record.topic(), record.partition(),
                        record.offset(), e.getMessage());
            }
        }
        Map<UUID, List<CapturedWrite>> byRun = new LinkedHashMap<>();
        writes.forEach(w -> byRun.computeIfAbsent(w.runId(), k -> new ArrayList<>()).add(w));
        byRun.forEach(this::applyAndCount);
        Map<String, Map<Integer, Long>> next = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            next.computeIfAbsent(record.topic(), t -> new LinkedHashMap<>()).merge(record.partition(),
                    record.offset() + 1, Math::max);
        }
        next.forEach(positions::applied);
    }

    private void applyAndCount(UUID runId, List<CapturedWrite> writes) {
        try (RunContext.Scope mdc = RunContext.enter(null, runId.toString())) {
            boolean applied;
            try {
                applied = apply(runId, writes);
            } catch (RuntimeException e) {
                writes.forEach(metrics::failed);
                throw e;
            }
            for (CapturedWrite write : writes) {
                if (!applied) {
                    metrics.skipped(write);
                    continue;
                }
                metrics.applied(write);
                if (!CaptureMethods.RESYNC.equals(write.method())) {
                    tally.applied(write.runId());
                }
            }
        }
    }

    private static <T> T joined(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static ExecutorService daemons(int threads, String name) {
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void close() {
        readers.shutdownNow();
        resyncs.shutdownNow();
    }

    /** Applies one capture to its run's target; returns whether it was applied (false: skipped). */
    boolean apply(CapturedWrite write) {
        return apply(write.runId(), List.of(write));
    }

    /** Applies captures of one run to its target; returns whether they were applied (false: skipped). */
    boolean apply(UUID runId, List<CapturedWrite> writes) {
        Optional<ProxyHolds.RunTarget> run = holds.target(runId);
        if (run.isEmpty() || run.get().state().isFinal()) {
            LOGGER.debugf("run %s: %s captures skipped (run ended)", runId, writes.size());
            return false;
        }
        if (run.get().swapping()) {
            // every write captured before the hold was applied (drained); the alias may serve the target already
            LOGGER.warnf("run %s: %s captures arrived during the swap; not applied (the checksum catch-up of a "
                    + "failed swap carries them)", runId, writes.size());
            return false;
        }
        String source = run.get().source();
        String target = run.get().target();
        Set<PointKey> points = new LinkedHashSet<>();
        List<CaptureEffect.FilterSelection> filters = new ArrayList<>();
        for (CapturedWrite write : writes) {
            CaptureEffect effect = write.effect();
            points.addAll(effect.ids());
            filters.addAll(effect.filters());
        }
        try {
            if (!filters.isEmpty()) {
                // before reading what the filters match: a backfill page read earlier is re-synced whole
                tombstones.recordFilterWrite(runId);
                // the reads of the target and of the source, per API, side by side: each is a whole-collection scan
                List<CompletableFuture<Set<PointKey>>> reads = new ArrayList<>();
                for (CaptureEffect.FilterSelection filter : CaptureEffect.FilterSelection.combined(filters)) {
                    for (String collection : List.of(target, source)) {
                        reads.add(CompletableFuture.supplyAsync(() -> Failsafe.with(retry)
                                .get(() -> filter.matching(gateway, rest, collection)), readers));
                    }
                }
                for (CompletableFuture<Set<PointKey>> read : reads) {
                    points.addAll(joined(read));
                }
            }
            if (!points.isEmpty()) {
                Failsafe.with(retry).run(() -> PointResync.resync(gateway, tombstones, runId, source, target, points,
                        resyncs));
            }
            return true;
        } catch (CollectionNotFoundException e) {
            RunState state = runStore.findRun(runId).map(Run::state).orElse(RunState.CANCELLED);
            if (state == RunState.ACCEPTED || state == RunState.PLANNED || state.isFinal()) {
                LOGGER.infof("run %s: %s captures skipped: target %s not there yet (%s); the copy carries them",
                        runId, writes.size(), target, state.db());
                return false;
            }
            throw e;
        }
    }
}
