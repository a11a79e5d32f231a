package io.apex.migrator.pipeline;

import io.apex.migrator.state.Leases;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * In every replica, every {@code apex.pipeline.lifecycle.reconcile-interval}: finds the runs and schema jobs nobody
 * drives (lease expired: their replica died; or lease free and nothing changed for a lease's length: a replica died
 * before it took the lease, or the run waits) and hands them to the lifecycle pool, which drives each from its stored
 * state. The time from a replica's death to its runs moving again is at most the lease plus this interval.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOGGER = Logger.getLogger(Reconciler.class);
    private static final int PER_ROUND = 200;

    private final Leases leases;
    private final LifecyclePool pool;
    private final RunDriver driver;
    private final SchemaJobRunner jobs;
    private final PipelineConfig config;
    private ScheduledExecutorService timer;
    @Inject
    io.apex.migrator.release.ReleaseDriver releases;

    @Inject
    public Reconciler(Leases leases, LifecyclePool pool, RunDriver driver, SchemaJobRunner jobs, PipelineConfig config) {
        this.leases = leases;
        this.pool = pool;
        this.driver = driver;
        this.jobs = jobs;
        this.config = config;
    }

    /** Starts the rounds (worker mode). */
    public synchronized void start() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "apex-reconciler");
            t.setDaemon(true);
            return t;
        });
        long every = config.lifecycle().reconcileInterval().toMillis();
        timer.scheduleWithFixedDelay(this::round, every, every, TimeUnit.MILLISECONDS);
        LOGGER.infof("reconciler: every %s ms, lease %s ms", every, config.lifecycle().lease().toMillis());
    }

    void round() {
        try {
            for (Object id : leases.unattended(Leases.Kind.RUN, PER_ROUND, config.lifecycle().lease())) {
                UUID runId = (UUID) id;
                pool.submit("run " + runId, () -> driver.drive(runId));
            }
            for (Object id : leases.unattended(Leases.Kind.SCHEMA_JOB, PER_ROUND, config.lifecycle().lease())) {
                String commandId = (String) id;
                pool.submit("schema job " + commandId, () -> jobs.run(commandId));
            }
            for (Object id : leases.unattended(Leases.Kind.RELEASE, PER_ROUND, config.lifecycle().lease())) {
                UUID releaseId = (UUID) id;
                pool.submit("release " + releaseId, () -> releases.drive(releaseId));
            }
        } catch (RuntimeException e) {
            LOGGER.warnf("reconciler: round skipped: %s", e.getMessage());
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
