package io.apex.migrator.pipeline;

import io.apex.migrator.observability.RunContext;
import io.apex.migrator.qdrant.QdrantException;
import io.apex.migrator.qdrant.QdrantTransientException;
import io.apex.migrator.state.Leases;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Drives a run on from whatever state the run store holds, under the run's lease: one step after another (plan and
 * dispatch, copy check, verification passes, recall gate, cutover) until the run waits for the workers, for an
 * operator, or has ended. Every step is idempotent and reads what it needs from the store, so any replica can drive
 * any run: the one whose tracker saw a pass close, or the reconciler of another replica after this one died.
 * A transient Qdrant error leaves the run where it is, to be driven again later; it never fails a verified copy.
 */
@ApplicationScoped
public class RunDriver {

    private static final Logger LOGGER = Logger.getLogger(RunDriver.class);
    /** Steps one drive may take (a run has fewer states than this; a bound against a step that never settles). */
    private static final int MAX_STEPS = 64;

    private final RunStore runStore;
    private final Leases leases;
    private final LifecyclePool pool;
    private final RunSteps steps;
    private final RunFinisher finisher;
    private final PipelineConfig config;
    private final EventPublisher events;

    @Inject
    public RunDriver(RunStore runStore, Leases leases, LifecyclePool pool, RunSteps steps, RunFinisher finisher,
            PipelineConfig config, EventPublisher events) {
        this.events = events;
        this.runStore = runStore;
        this.leases = leases;
        this.pool = pool;
        this.steps = steps;
        this.finisher = finisher;
        this.config = config;
    }

    /**
     * Asks for the run to be driven: on the lifecycle pool in worker mode (the caller, a Kafka consumer, goes on at
     * once), right here in a one-machine run (whose caller waits for the run anyway).
     */
    public void wake(UUID runId) {
        if (config.enabled()) {
            // the drive continues the caller's trace (the progress report that completed the copy or a pass)
            pool.submit("run " + runId, io.opentelemetry.context.Context.current().wrap(() -> drive(runId)));
        } else {
            drive(runId);
        }
    }

    /** Drives the run if this replica can take its lease; otherwise makes sure its holder drives it once more. */
    public void drive(UUID runId) {
        if (!takeLease(runId)) {
            return;
        }
        pool.holding(Leases.Kind.RUN, runId);
        boolean released = false;
        try (RunContext.Scope mdc = RunContext.enter(null, runId.toString())) {
            do {
                driveSteps(runId);
                pool.released(runId);
                released = leases.release(Leases.Kind.RUN, runId, pool.owner());
                if (!released) {
                    pool.holding(Leases.Kind.RUN, runId);
                }
            } while (!released);
        } finally {
            pool.released(runId);
            if (!released) {
                releaseAfterFailure(runId);
            }
        }
    }

    /** A step threw (the run store away longer than its retries): let go, so the next reconciler round retries. */
    private void releaseAfterFailure(UUID runId) {
        try {
            leases.release(Leases.Kind.RUN, runId, pool.owner());
        } catch (RuntimeException e) {
            LOGGER.warnf("run %s: lease left to expire (%s)", runId, e.getMessage());
        }
    }

    private boolean takeLease(UUID runId) {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (leases.acquire(Leases.Kind.RUN, runId, pool.owner(), config.lifecycle().lease())) {
                return true;
            }
            if (leases.wakeHolder(Leases.Kind.RUN, runId, pool.owner())) {
                return false;
            }
            // neither taken nor held by another: the run ended, or its holder let go just now (try again)
        }
        return false;
    }

    private void driveSteps(UUID runId) {
        for (int i = 0; i < MAX_STEPS; i++) {
            Optional<Run> found = runStore.findRun(runId);
            if (found.isEmpty() || found.get().state().isFinal()) {
                return;
            }
            Run run = found.get();
            boolean moved;
            try {
                moved = steps.step(run);
            } catch (QdrantTransientException e) {
                LOGGER.warnf("run %s: Qdrant unavailable while %s (%s); the run stays %s and is driven again in %s ms",
                        runId, run.state().db(), e.getMessage(), run.state().db(),
                        config.lifecycle().reconcileInterval().toMillis());
                return;
            } catch (PipelineException | QdrantException e) {
                finisher.fail(run, e.getMessage());
                return;
            }
            if (!moved) {
                return;
            }
            events.sendSoon();
        }
        LOGGER.warnf("run %s: still moving after %s steps; the reconciler drives it on", runId, MAX_STEPS);
    }
}
