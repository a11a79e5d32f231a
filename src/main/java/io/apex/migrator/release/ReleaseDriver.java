package io.apex.migrator.release;

import io.apex.migrator.CrashPoint;
import io.apex.migrator.api.InvalidMessageException;
import io.apex.migrator.api.MigrateCommand;
import io.apex.migrator.pipeline.Coordinator;
import io.apex.migrator.pipeline.LifecyclePool;
import io.apex.migrator.pipeline.PipelineConfig;
import io.apex.migrator.pipeline.PipelineException;
import io.apex.migrator.pipeline.RunDispatchers;
import io.apex.migrator.qdrant.QdrantException;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantTransientException;
import io.apex.migrator.schema.SchemaException;
import io.apex.migrator.schema.SchemaMigrations;
import io.apex.migrator.schema.SchemaResult;
import io.apex.migrator.schema.Store;
import io.apex.migrator.schema.Version;
import io.apex.migrator.state.Leases;
import io.apex.migrator.state.ReleaseStore;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Drives a release from its stored state, under its lease (like a run): the parts in the manifest's order — each
 * schema store upgraded to its version (expand), the Qdrant copies started as runs of their own (children of the
 * release, their aliases left alone) and awaited until each is verified and completed — then {@link ReleaseCutover}.
 * A part that fails ends the release {@code failed} naming the part and the reason; no alias has moved then. Every
 * step is idempotent (applied versions are skipped, a started run is found by its command id), so a replica that
 * takes an expired lease over resumes where the release stood.
 */
@ApplicationScoped
public class ReleaseDriver {

    private static final Logger LOGGER = Logger.getLogger(ReleaseDriver.class);

    private final ReleaseStore releases;
    private final Leases leases;
    private final LifecyclePool pool;
    private final PipelineConfig config;
    private final SchemaMigrations migrations;
    private final Coordinator coordinator;
    private final RunDispatchers dispatchers;
    private final RunStore runStore;
    private final QdrantGateway gateway;
    private final ReleaseCutover cutover;
    private final ReleaseEvents events;
    @Inject
    ReleaseRollback rollback;
    @Inject
    ReleaseChildRuns children;

    @Inject
    public ReleaseDriver(ReleaseStore releases, Leases leases, LifecyclePool pool, PipelineConfig config,
            SchemaMigrations migrations, Coordinator coordinator, RunDispatchers dispatchers, RunStore runStore,
            QdrantGateway gateway, ReleaseCutover cutover, ReleaseEvents events) {
        this.releases = releases;
        this.leases = leases;
        this.pool = pool;
        this.config = config;
        this.migrations = migrations;
        this.coordinator = coordinator;
        this.dispatchers = dispatchers;
        this.runStore = runStore;
        this.gateway = gateway;
        this.cutover = cutover;
        this.events = events;
    }

    /** Has the release driven: on the lifecycle pool in worker mode, here otherwise. */
    public void wake(UUID id) {
        if (config.enabled()) {
            pool.submit("release " + id, () -> drive(id));
        } else {
            drive(id);
        }
    }

    /** Drives the release if this replica can take its lease; otherwise its live holder is asked to drive again. */
    public void drive(UUID id) {
        if (!leases.acquire(Leases.Kind.RELEASE, id, pool.owner(), config.lifecycle().lease())) {
            leases.wakeHolder(Leases.Kind.RELEASE, id, pool.owner());
            return;
        }
        pool.holding(Leases.Kind.RELEASE, id);
        boolean released = false;
        try {
            do {
                driveSteps(id);
                released = leases.release(Leases.Kind.RELEASE, id, pool.owner());
            } while (!released);
        } finally {
            pool.released(id);
            if (!released) {
                try {
                    leases.release(Leases.Kind.RELEASE, id, pool.owner());
                } catch (RuntimeException e) {
                    LOGGER.warnf("release %s: lease left to expire (%s)", id, e.getMessage());
                }
            }
        }
    }

    private void driveSteps(UUID id) {
        for (int step = 0; step < 8; step++) {
            Optional<ReleaseStore.Release> found = releases.find(id);
            if (found.isEmpty() || found.get().isFinal()) {
                return;
            }
            ReleaseStore.Release release = found.get();
            try {
                boolean moved = switch (release.state()) {
                    case "accepted" -> releases.transition(id, "expanding", "accepted");
                    case "expanding" -> expand(release);
                    case "cutting-over" -> cutover.run(release, pool.owner());
                    case "rolling-back" -> rollback.run(release, pool.owner());
                    default -> false; // ready-for-cutover: waits for an operator
                };
                if (!moved) {
                    return;
                }
            } catch (QdrantTransientException e) {
                LOGGER.warnf("release %s: Qdrant unavailable while %s (%s); driven again in %s ms", id,
                        release.state(), e.getMessage(), config.lifecycle().reconcileInterval().toMillis());
                return;
            } catch (QdrantException | PipelineException e) {
                if (release.state().equals("rolling-back")) {
                    // the rollback is retried by the next reconciler round; its steps are safe to repeat
                    LOGGER.errorf("release %s: rollback stopped: %s", id, e.getMessage());
                    return;
                }
                fail(release, release.state().equals("cutting-over") ? "cutover" : "qdrant", e.getMessage());
                return;
            }
        }
    }

    /** Applies the parts in order; true once all are done and the release moved on to its cutover. */
    private boolean expand(ReleaseStore.Release release) {
        ReleaseManifest manifest = ReleaseEvents.manifest(release);
        List<ReleaseStore.Part> parts = releases.parts(release.id());
        for (String group : manifest.parts()) {
            if (ended(release.id())) {
                return false;
            }
            List<ReleaseStore.Part> of = parts.stream().filter(p -> p.kind().equals(group)).toList();
            boolean done = group.equals("qdrant") ? copy(release, manifest, of)
                    : upgrade(release, group.equals("postgres") ? Store.POSTGRES : Store.NEO4J, of.get(0));
            if (!done) {
                return false;
            }
        }
        String next = manifest.qdrant() != null && manifest.qdrant().manualCutover() ? "ready-for-cutover"
                : "cutting-over";
        if (releases.transition(release.id(), next, "expanding")) {
            LOGGER.infof("release %s (%s): every part applied; %s", release.name(), release.id(), next);
            CrashPoint.reached(CrashPoint.RELEASE_AFTER_PARTS);
        }
        return true;
    }

    private boolean upgrade(ReleaseStore.Release release, Store store, ReleaseStore.Part part) {
        if (part.state().equals("done")) {
            return true;
        }
        String label = part.kind() + " " + part.target();
        releases.partState(release.id(), part.position(), "running", null);
        try {
            releases.notePrevious(release.id(), part.position(),
                    migrations.status(store).current().map(Version::label).orElse("none"));
            SchemaResult result = migrations.upgrade(store, Optional.of(part.target()), release.commandId());
            String detail = "at " + result.version().map(Version::label).orElse("none") + (result.migrated().isEmpty()
                    ? " (nothing to apply)" : "; applied " + result.migrated().stream().map(Version::label)
                            .collect(Collectors.joining(", ")));
            releases.partState(release.id(), part.position(), "done", detail);
            LOGGER.infof("release %s: %s %s", release.name(), part.kind(), detail);
            return true;
        } catch (SchemaException e) {
            releases.partState(release.id(), part.position(), "failed", e.getMessage());
            fail(release, label, e.getMessage());
            return false;
        }
    }

    /** Starts the copies not started yet, then waits until every one has ended; false when one did not complete. */
    private boolean copy(ReleaseStore.Release release, ReleaseManifest manifest, List<ReleaseStore.Part> parts) {
        for (ReleaseStore.Part part : parts) {
            if (part.runId() == null && !part.state().equals("done") && !start(release, manifest, part)) {
                return false;
            }
        }
        return ReleaseRunsAwait.until(config.lifecycle().reconcileInterval(), () -> settled(release));
    }

    private boolean start(ReleaseStore.Release release, ReleaseManifest manifest, ReleaseStore.Part part) {
        ReleaseManifest.CollectionMigration c = manifest.collections().stream()
                .filter(m -> m.alias().equals(part.subject())).findFirst().orElseThrow();
        String now = gateway.aliases().get(c.alias());
        releases.notePrevious(release.id(), part.position(), now);
        if (c.target().equals(now)) {
            releases.partState(release.id(), part.position(), "done", "the alias already points at " + c.target());
            return true;
        }
        String source = c.source() != null ? c.source() : now;
        String label = "qdrant " + c.alias();
        if (source == null) {
            fail(release, label, "alias '" + c.alias() + "' points at nothing and the manifest names no source");
            return false;
        }
        // the run's alias is the release's: left alone by the run (swapAlias false), swapped by the release's cutover
        String childCommand = release.commandId() + "/" + c.alias();
        MigrateCommand command = new MigrateCommand(childCommand, source, c.target(), c.alias(), c.batchSize(), false,
                false, false, c.bulkLoad(), "auto").withSnapshot(c.snapshot());
        try {
            coordinator.start(command, dispatchers.forCommand(childCommand));
        } catch (InvalidMessageException e) {
            releases.partState(release.id(), part.position(), "failed", e.getMessage());
            fail(release, label, e.field() + ": " + e.reason());
            return false;
        }
        Run run = runStore.findByCommand(childCommand).orElseThrow(() -> new IllegalStateException(
                "release " + release.id() + ": the run of " + childCommand + " was not recorded"));
        releases.linkRun(release.id(), part.position(), run.id());
        if (ended(release.id())) {
            // cancelled or failed while this copy was being started: the canceller may not have seen its run
            children.cancelRunning(release.id(), "release " + release.name() + " ended before its cutover",
                    release.commandId() + "/ended");
            return false;
        }
        LOGGER.infof("release %s: copying %s -> %s for alias %s (run %s)", release.name(), source, c.target(),
                c.alias(), run.id());
        return true;
    }

    /**
     * Ends the release {@code failed} naming the part and the reason, then cancels its copies still running: nothing
     * is half-released, and nothing keeps copying for a release that will never cut over.
     */
    private void fail(ReleaseStore.Release release, String part, String reason) {
        events.fail(release, part, reason);
        int cancelled = children.cancelRunning(release.id(), "release " + release.name() + " failed in " + part,
                release.commandId() + "/failed");
        if (cancelled > 0) {
            LOGGER.infof("release %s (%s): %s sibling copies cancelled", release.name(), release.id(), cancelled);
        }
    }

    private boolean ended(UUID id) {
        return releases.find(id).map(ReleaseStore.Release::isFinal).orElse(true);
    }

    /**
     * Whether every Qdrant part's run has ended: empty while one still runs, true when all completed, false when one
     * failed or was cancelled (the release is failed then).
     */
    private Optional<Boolean> settled(ReleaseStore.Release release) {
        Optional<ReleaseStore.Release> now = releases.find(release.id());
        if (now.isEmpty() || now.get().isFinal()) {
            return Optional.of(false);
        }
        boolean running = false;
        for (ReleaseStore.Part part : releases.parts(release.id())) {
            if (!part.kind().equals("qdrant") || part.state().equals("done") || part.runId() == null) {
                continue;
            }
            Run run = runStore.findRun(part.runId()).orElseThrow();
            if (run.state() == RunState.COMPLETED) {
                releases.partState(release.id(), part.position(), "done", "copied and verified: "
                        + run.targetPoints() + " points in " + run.target() + " (run " + run.id() + ")");
            } else if (run.state().isFinal()) {
                String reason = "run " + run.id() + " " + run.state().db() + (run.failure() == null ? ""
                        : ": " + run.failure());
                releases.partState(release.id(), part.position(), "failed", reason);
                fail(release, "qdrant " + part.subject(), reason);
                return Optional.of(false);
            } else {
                running = true;
            }
        }
        return running ? Optional.empty() : Optional.of(true);
    }
}
