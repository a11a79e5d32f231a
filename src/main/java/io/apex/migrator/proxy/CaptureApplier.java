package io.apex.migrator.proxy;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.apex.migrator.observability.RunContext;
import io.apex.migrator.pipeline.PipelineConfig;
import io.apex.migrator.qdrant.CollectionNotFoundException;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.Retries;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Worker side of the capture: re-issues each captured write against its run's TARGET (the same request with the
 * collection name replaced, waited for), one at a time in the order of the capture topic's partition; the offset is
 * committed only after the target acknowledged (channel {@code capture-in}, its own consumer group). Writes by id
 * are idempotent, so a redelivered capture is harmless. A capture of a run that ended is skipped; so is one that
 * arrives before the run provisioned its target (the copy has not started, so it carries the write itself).
 * Transient Qdrant errors are retried with the copy's patience ({@code apex.pipeline.transient-patience}); any other
 * error sends the capture to the dead-letter topic, and the run's checksum verification repairs its range.
 */
@ApplicationScoped
public class CaptureApplier {

    private static final Logger LOGGER = Logger.getLogger(CaptureApplier.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final QdrantGateway gateway;
    private final RunStore runStore;
    private final RetryPolicy<Object> retry;

    @Inject
    public CaptureApplier(QdrantGateway gateway, RunStore runStore, PipelineConfig config) {
        this.gateway = gateway;
        this.runStore = runStore;
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
            apply(write);
        }
    }

    /** Applies one capture to its run's target; returns whether it was applied (false: skipped). */
    boolean apply(CapturedWrite write) {
        Optional<Run> run = runStore.findRun(write.runId());
        if (run.isEmpty() || run.get().state().isFinal()) {
            LOGGER.debugf("run %s: capture of %s skipped (run ended)", write.runId(), write.method());
            return false;
        }
        String target = run.get().target();
        byte[] request = CaptureMethods.retarget(write.method(), write.request(), target);
        try {
            Failsafe.with(retry).run(() -> gateway.callEncoded(target, write.method(), request));
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
