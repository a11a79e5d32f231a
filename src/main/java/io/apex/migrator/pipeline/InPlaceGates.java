package io.apex.migrator.pipeline;

import io.apex.migrator.api.EventData;
import io.apex.migrator.api.EventType;
import io.apex.migrator.api.Messages;
import io.apex.migrator.api.MigrateCommand;
import io.apex.migrator.qdrant.CollectionProvisioner;
import io.apex.migrator.qdrant.CollectionSpec;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The verifying step of an in-place run ({@link InPlaceChange}), taken by whichever replica drives it: the readiness
 * gate on the changed collection (Qdrant rebuilds its segments), then, when the change touched quantization, the
 * recall gate — recall@10 of the collection's quantized search against its exact search. Both passed: the run
 * completes with {@code migration-completed} and {@code schema-ready} in one transaction. A failed gate fails the
 * run and puts the old params back. The alias is never touched.
 */
@ApplicationScoped
public class InPlaceGates {

    private static final Logger LOGGER = Logger.getLogger(InPlaceGates.class);

    private final QdrantGateway gateway;
    private final RunStore runStore;
    private final ReadinessGate readinessGate;
    private final RecallGate recallGate;
    private final RunFinisher finisher;
    private final CollectionProvisioner provisioner;
    private final PipelineConfig config;
    private final InPlaceChange inPlace;

    @Inject
    public InPlaceGates(QdrantGateway gateway, RunStore runStore, ReadinessGate readinessGate, RecallGate recallGate,
            RunFinisher finisher, CollectionProvisioner provisioner, PipelineConfig config, InPlaceChange inPlace) {
        this.inPlace = inPlace;
        this.gateway = gateway;
        this.runStore = runStore;
        this.readinessGate = readinessGate;
        this.recallGate = recallGate;
        this.finisher = finisher;
        this.provisioner = provisioner;
        this.config = config;
    }

    /** Runs the gates and ends the run: true when it completed. */
    boolean step(Run run) {
        MigrateCommand command = RunFinisher.command(run);
        String collection = run.target();
        Map<String, Object> report = new LinkedHashMap<>();
        ReadinessGate.Readiness readiness = readinessGate.await(collection, r -> finisher.indexing(run, r));
        report.put("readiness", readiness.asMap());
        if (!readiness.ready()) {
            failRestoring(run, "collection " + collection + " is not ready to serve after "
                    + OperatorDuration.of(config.readiness().timeout()) + " since its in-place change: " + readiness.reason(), report);
            return false;
        }
        if (InPlaceChange.changedFields(run).stream().anyMatch(f -> f.contains("quantization"))) {
            RecallGate.Result recall;
            try {
                recall = recallGate.measure(collection, collection, RangePlanner.plan(gateway, collection,
                        command.batchSize(), config.planPageSize()).ranges(), threshold(command));
            } catch (PipelineException.CutoverRefused e) {
                failRestoring(run, e.getMessage().replace("; the alias is left unchanged", ""), report);
                return false;
            }
            report.put("recall", recall.asMap());
            if (!recall.passed()) {
                failRestoring(run, String.format(Locale.ROOT, "recall@10 of %s after its in-place change is below the "
                        + "threshold %.2f for %s", collection, recall.threshold(),
                        String.join(", ", recall.belowThreshold())), report);
                return false;
            }
        }
        long points = gateway.count(collection);
        runStore.mergeIntoSummary(run.id(), Messages.get().write(Map.of("gates", report)));
        boolean completed = runStore.transition(run.id(), RunState.COMPLETED, done -> {
            EventData data = RunFinisher.base(done).targetPoints(points)
                    .durationMs(done.duration(Instant.now()).toMillis())
                    .details(Map.of(InPlaceChange.KEY, Map.of("spec", command.target(), "changes",
                            InPlaceChange.changedFields(done)), "verification", report)).build();
            // readers of the alias see the new params already: downstream services may switch
            return List.of(EventPublisher.event(EventType.COMPLETED, data, true),
                    EventPublisher.event(EventType.SCHEMA_READY, data, true));
        }, RunState.VERIFYING);
        if (completed) {
            LOGGER.infof("run %s: %s changed in place to the spec of %s and ready to serve (%s points)", run.id(),
                    collection, command.target(), points);
        }
        return completed;
    }

    /** Puts the old params back first, so the failure can say whether they are; then fails the run. */
    private void failRestoring(Run run, String why, Map<String, Object> report) {
        boolean restored = inPlace.restoreAfterEnd(run).map(o -> Boolean.TRUE.equals(o.get("restored")))
                .orElse(false);
        finisher.fail(run, why + (restored ? "; its params before the change are restored"
                : "; its params before the change could not be restored (details.inPlaceRestore): restore them by hand")
                + "; the alias did not move", report);
    }

    /** The command's threshold, else the spec's (the one applied, named by the target), else the configured. */
    private double threshold(MigrateCommand command) {
        return command.recallThreshold() != null ? command.recallThreshold()
                : provisioner.specs().byCollection(command.target()).map(CollectionSpec::migration)
                        .map(CollectionSpec.MigrationSpec::recallThreshold)
                        .orElse(config.verify().recallThreshold());
    }
}
