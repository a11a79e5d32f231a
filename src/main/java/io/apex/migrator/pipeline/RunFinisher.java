package io.apex.migrator.pipeline;

import io.apex.migrator.api.EventData;
import io.apex.migrator.api.EventType;
import io.apex.migrator.api.MigrateCommand;
import io.apex.migrator.api.Messages;
import io.apex.migrator.qdrant.QdrantException;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * What follows the copy of a run, run by the one tracker that moved it to 'copied': verification (exact
 * counts now; range checksums and the recall gate slot in here), then the cutover (auto, or on a
 * {@code qdrant.cutover} command when manual), then the {@code completed} and {@code schema-ready} events.
 */
@ApplicationScoped
public class RunFinisher {

    private static final Logger LOGGER = Logger.getLogger(RunFinisher.class);

    private final QdrantGateway gateway;
    private final RunStore runStore;
    private final Cutover cutover;
    private final EventPublisher events;

    @Inject
    public RunFinisher(QdrantGateway gateway, RunStore runStore, Cutover cutover, EventPublisher events) {
        this.gateway = gateway;
        this.runStore = runStore;
        this.cutover = cutover;
        this.events = events;
    }

    /** Verifies a copied run and cuts over (auto) or parks it for a manual cutover. */
    public void afterCopy(UUID runId) {
        Run run = runStore.findRun(runId).orElseThrow();
        try {
            if (!runStore.transition(runId, RunState.VERIFYING, RunState.COPIED)) {
                return;
            }
            Map<String, Object> verification = verify(run);
            runStore.transition(runId, RunState.VERIFIED, RunState.VERIFYING);
            events.publishRunEvent(EventType.VERIFIED, base(run).details(verification)
                    .sourcePoints(((Number) verification.get("sourcePoints")).longValue())
                    .targetPoints(((Number) verification.get("targetPoints")).longValue()).build(), true);
            MigrateCommand command = command(run);
            if ("manual".equals(command.cutover()) && command.swapAlias()) {
                runStore.transition(runId, RunState.READY_FOR_CUTOVER, RunState.VERIFIED);
                LOGGER.infof("run %s: copy verified; waiting for a qdrant.cutover command", runId);
                return;
            }
            cutover(runId, RunState.VERIFIED);
        } catch (PipelineException | QdrantException e) {
            fail(run, e.getMessage());
        }
    }

    /** Cuts over a run that is in {@code from} (verified, or ready-for-cutover on command). */
    public void cutover(UUID runId, RunState from) {
        Run run = runStore.findRun(runId).orElseThrow();
        if (!runStore.transition(runId, RunState.CUTTING_OVER, from)) {
            return;
        }
        try {
            MigrateCommand command = command(run);
            long targetPoints = gateway.count(run.target());
            Cutover.Result result = null;
            if (command.swapAlias()) {
                result = cutover.swap(run.id().toString(), run.alias(), run.target(),
                        command.dropCollectionNamedLikeAlias());
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("targetPoints", targetPoints);
            summary.put("aliasSwapped", result != null);
            if (result != null && result.droppedCollection()) {
                summary.put("droppedCollection", result.previousCollection());
                summary.put("aliasGapMs", result.gapMillis());
            }
            if (!runStore.complete(runId, targetPoints, result == null ? null : result.previousCollection(),
                    result == null ? null : result.gapMillis(), Messages.get().write(summary))) {
                return;
            }
            Run done = runStore.findRun(runId).orElseThrow();
            if (result != null) {
                events.publishRunEvent(EventType.ALIAS_SWAPPED, base(done).previousCollection(result.previousCollection())
                        .aliasGapMs(result.gapMillis()).build(), true);
            }
            EventData data = base(done).previousCollection(result == null ? null : result.previousCollection())
                    .sourcePoints(done.sourcePoints()).targetPoints(targetPoints).batches(done.plannedBatches())
                    .copiedPoints(done.copiedPoints()).durationMs(done.duration(Instant.now()).toMillis())
                    .pointsPerSecond(Math.round(done.pointsPerSecond(Instant.now()) * 10) / 10.0)
                    .aliasGapMs(result == null ? null : result.gapMillis()).details(summary).build();
            events.publishRunEvent(EventType.COMPLETED, data, true);
            if (result != null) {
                // Readers of the alias now see the new collection: downstream services may switch.
                events.publishRunEvent(EventType.SCHEMA_READY, data, true);
            }
            LOGGER.infof("run %s: completed (%s points, alias %s)", runId, targetPoints,
                    result == null ? "not switched" : run.alias() + " -> " + run.target());
        } catch (PipelineException | QdrantException e) {
            fail(run, e.getMessage());
        }
    }

    /** Fails a run once and says so on the events topic; the alias is left as it is. */
    public void fail(Run run, String reason) {
        if (runStore.fail(run.id(), reason)) {
            LOGGER.errorf("run %s: failed: %s", run.id(), reason);
            events.publishRunEvent(EventType.FAILED, base(run).reason(reason).build(), true);
        }
    }

    private Map<String, Object> verify(Run run) {
        long source = gateway.count(run.source());
        long target = gateway.count(run.target());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("sourcePoints", source);
        summary.put("targetPoints", target);
        summary.put("checks", "exact-count");
        if (source != target) {
            throw new PipelineException.CutoverRefused("run " + run.id() + ": exact counts differ after the copy: source "
                    + run.source() + " has " + source + " points, target " + run.target() + " has " + target
                    + "; the alias is left unchanged");
        }
        return summary;
    }

    static MigrateCommand command(Run run) {
        return (MigrateCommand) Messages.get().readCommand(run.commandJson());
    }

    static EventData.Builder base(Run run) {
        return EventData.forRun(run.id().toString(), run.commandId()).collections(run.source(), run.target(), run.alias());
    }
}
