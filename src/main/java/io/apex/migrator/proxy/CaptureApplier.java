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
import io.apex.migrator.state.ProxyHolds;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.state.Tombstones;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Worker side of the capture: applies each record of the capture topic to its run's TARGET, one at a time in the
 * order of the partition (a collection's records share one), committing the offset only after the target
 * acknowledged (channel {@code capture-in}, its own consumer group).
 *
 * <p>A write is not replayed as it was sent: the points it names by id are re-synced from the source's current
 * state ({@link PointResync}), so a capture applied late, twice, or in another order than Qdrant applied two
 * concurrent writes still leaves the target equal to the source once the stream has passed it. Only the part of a
 * write that selects points by filter is replayed on the target (a filter reaches the target's matching points),
 * after a filter tombstone tells the backfill to re-sync the pages it read before. Deletes leave tombstones
 * ({@link Tombstones}) before they reach the target, so an insert-only backfill page read earlier is re-synced.
 *
 * <p>A capture of a run that ended is skipped; so is one that arrives before the run provisioned its target (the
 * copy has not started, so it reads the write from the source itself). Transient Qdrant errors are retried with the
 * copy's patience ({@code apex.pipeline.transient-patience}); any other error sends the capture to the dead-letter
 * topic, and the run's checksum verification repairs what it missed.
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

    @Inject
    public CaptureApplier(QdrantGateway gateway, QdrantRestClient rest, RunStore runStore, Tombstones tombstones,
            ProxyHolds holds, PipelineConfig config, CaptureApplyMetrics metrics) {
        this.rest = rest;
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

    @Incoming("capture-in")
    @Blocking
    public void onCapture(ConsumerRecord<String, byte[]> record) {
        CapturedWrite write = CapturedWrite.of(record.headers(), record.value());
        try (RunContext.Scope mdc = RunContext.enter(null, write.runId().toString())) {
            boolean applied;
            try {
                applied = apply(write);
            } catch (RuntimeException e) {
                metrics.failed(write);
                throw e;
            }
            if (applied) {
                metrics.applied(write);
            } else {
                metrics.skipped(write);
            }
        }
    }

    /** Applies one capture to its run's target; returns whether it was applied (false: skipped). */
    boolean apply(CapturedWrite write) {
        Optional<ProxyHolds.RunTarget> run = holds.target(write.runId());
        if (run.isEmpty() || run.get().state().isFinal()) {
            LOGGER.debugf("run %s: capture of %s skipped (run ended)", write.runId(), write.method());
            return false;
        }
        if (run.get().swapping()) {
            // every write captured before the hold was applied (drained); the alias may serve the target already
            LOGGER.warnf("run %s: capture of %s arrived during the swap; not applied (the checksum catch-up of a "
                    + "failed swap carries it)", write.runId(), write.method());
            return false;
        }
        String target = run.get().target();
        CaptureEffect effect = write.effect();
        try {
            effect.byFilter().ifPresent(replay -> {
                tombstones.recordFilterWrite(write.runId());
                Failsafe.with(retry).run(() -> replay.applyTo(gateway, rest, target));
            });
            if (!effect.ids().isEmpty()) {
                Failsafe.with(retry).run(() -> PointResync.resync(gateway, tombstones, write.runId(), run.get().source(),
                        target, effect.ids()));
            }
            return true;
        } catch (CollectionNotFoundException e) {
            RunState state = runStore.findRun(write.runId()).map(Run::state).orElse(RunState.CANCELLED);
            if (state == RunState.ACCEPTED || state == RunState.PLANNED || state.isFinal()) {
                LOGGER.infof("run %s: capture of %s skipped: target %s not there yet (%s); the copy carries it",
                        write.runId(), write.method(), target, state.db());
                return false;
            }
            throw e;
        }
    }
}
