package io.apex.migrator.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.CrashPoint;
import io.apex.migrator.api.EventType;
import io.apex.migrator.api.InvalidMessageException;
import io.apex.migrator.api.Messages;
import io.apex.migrator.api.MigrateCommand;
import io.apex.migrator.qdrant.ChangePlan;
import io.apex.migrator.qdrant.CollectionProvisioner;
import io.apex.migrator.qdrant.Drift;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * An in-place change ({@code inPlace: true}): the source collection itself takes the config of the target's spec by
 * {@code UpdateCollection}, when every field that differs is one Qdrant changes in place ({@link ChangePlan}). A
 * command with a field that needs a copy is refused before anything is written, naming each such field and both
 * values. The config read before the change is kept in the run store before the change is sent, so whichever replica
 * ends the run can put it back: after a failed gate ({@link InPlaceGates}), a failure of another step, or a cancel.
 */
@ApplicationScoped
public class InPlaceChange {

    private static final Logger LOGGER = Logger.getLogger(InPlaceChange.class);
    /** The run summary's note: the spec, the changes and the config before (base64 of its protobuf bytes). */
    static final String KEY = "inPlace";
    /** Where the summary of a failed or cancelled in-place run says whether its old params were restored. */
    static final String RESTORE_KEY = "inPlaceRestore";

    private final QdrantGateway gateway;
    private final CollectionProvisioner provisioner;
    private final RunStore runStore;

    @Inject
    public InPlaceChange(QdrantGateway gateway, CollectionProvisioner provisioner, RunStore runStore) {
        this.gateway = gateway;
        this.provisioner = provisioner;
        this.runStore = runStore;
    }

    static boolean of(Run run) {
        return RunFinisher.command(run).inPlace();
    }

    /** Refuses, naming the field, a command that cannot be applied in place; reads only. */
    void check(MigrateCommand command) {
        if (!gateway.collectionExists(command.source())) {
            throw new InvalidMessageException("$.source", "collection '" + command.source() + "' does not exist");
        }
        if (provisioner.specs().byCollection(command.target()).isEmpty()) {
            throw new InvalidMessageException("$.target", "no collection spec named '" + command.target()
                    + "': an in-place change gives the source the config of a spec");
        }
        ChangePlan plan = provisioner.plan(command.source(), command.target());
        if (!plan.inPlace()) {
            throw new InvalidMessageException("$.inPlace", "collection '" + command.source()
                    + "' cannot take the spec of '" + command.target() + "' in place: these fields need a copy: "
                    + String.join("; ", plan.needingCopy().stream().map(InPlaceChange::describe).toList())
                    + " (send the command without inPlace: copy, verify, swap); nothing was changed");
        }
        if (plan.isEmpty()) {
            throw new InvalidMessageException("$.target", "collection '" + command.source()
                    + "' already has the config of the spec of '" + command.target() + "'; nothing to change");
        }
    }

    /** One field as a refusal names it: {@code vectors.size: collection has 4, spec 8}. */
    public static String describe(Drift drift) {
        return drift.field() + ": collection has " + drift.actual() + ", spec " + drift.expected();
    }

    /**
     * Accepted: notes the config before and the changes, and moves the run to planned with its event; planned: sends
     * the change (again, after a crash: it is idempotent) and moves the run to verifying, where the gates follow.
     */
    void apply(Run run, MigrateCommand command) {
        String collection = command.source();
        if (run.state() == RunState.ACCEPTED) {
            CollectionConfig before = gateway.collectionInfo(collection).getConfig();
            List<Map<String, String>> changes = provisioner.plan(collection, command.target()).changes().stream()
                    .map(c -> Map.of("field", c.drift().field(), "from", c.drift().actual(), "to",
                            c.drift().expected()))
                    .toList();
            Map<String, Object> note = new LinkedHashMap<>();
            note.put("spec", command.target());
            note.put("changes", changes);
            note.put("before", Base64.getEncoder().encodeToString(before.toByteArray()));
            // kept once: a resumed run must restore what the collection had before the first attempt
            runStore.noteInSummary(run.id(), KEY, Messages.get().write(Map.of(KEY, note)));
            runStore.transition(run.id(), RunState.PLANNED, planned -> List.of(EventPublisher.event(EventType.PLANNED,
                    RunFinisher.base(planned).details(Map.of(KEY, Map.of("spec", command.target(), "changes",
                            changes))).build(), true)), RunState.ACCEPTED);
        }
        provisioner.applyInPlace(collection, command.target());
        LOGGER.infof("run %s: %s changed in place to the spec of %s", run.id(), collection, command.target());
        CrashPoint.reached(CrashPoint.AFTER_IN_PLACE_CHANGE, collection);
        runStore.transition(run.id(), RunState.VERIFYING, RunState.PLANNED);
    }

    /**
     * When an in-place run fails or is cancelled: puts the config read before the change back, once (a restore
     * recorded in the summary is returned, not repeated), best effort
     * (a Qdrant error is logged and returned, never thrown: the run's own failure is what counts). The outcome
     * ({@code restored}, {@code error}) goes into the run's summary; empty when the run is no in-place change or
     * never noted its config (so nothing was changed).
     */
    Optional<Map<String, Object>> restoreAfterEnd(Run ended) {
        if (!of(ended)) {
            return Optional.empty();
        }
        Run run;
        try {
            run = runStore.findRun(ended.id()).orElse(ended);
        } catch (RuntimeException e) {
            LOGGER.warnf("run %s: in place: run store not read before restoring (%s)", ended.id(), e.getMessage());
            run = ended;
        }
        Optional<JsonNode> summary = summary(run);
        if (summary.isPresent() && summary.get().has(RESTORE_KEY)) {
            return Optional.of(Messages.get().mapper().convertValue(summary.get().get(RESTORE_KEY),
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { }));
        }
        Optional<CollectionConfig> before = summary.map(s -> s.path(KEY).path("before").asText(null))
                .map(InPlaceChange::config);
        if (before.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> outcome = new LinkedHashMap<>();
        try {
            provisioner.restoreInPlace(run.target(), before.get());
            outcome.put("restored", true);
            LOGGER.infof("run %s: in place: the params of %s before the change are restored", run.id(), run.target());
        } catch (RuntimeException e) {
            LOGGER.errorf("run %s: in place: the params of %s could not be restored (%s); restore them by hand "
                    + "(the config before is in the run's summary, %s.before)", run.id(), run.target(),
                    e.getMessage(), KEY);
            outcome.put("restored", false);
            outcome.put("error", String.valueOf(e.getMessage()));
        }
        try {
            runStore.mergeIntoSummary(run.id(), Messages.get().write(Map.of(RESTORE_KEY, outcome)));
        } catch (RuntimeException e) {
            LOGGER.warnf("run %s: in place: restore outcome %s not recorded in the run store (%s)", run.id(), outcome,
                    e.getMessage());
        }
        return Optional.of(outcome);
    }

    /** The changed fields noted when the run began (empty before). */
    static List<String> changedFields(Run run) {
        return summary(run).map(s -> s.path(KEY).path("changes").findValuesAsText("field")).orElse(List.of());
    }

    private static Optional<JsonNode> summary(Run run) {
        if (run.summaryJson() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Messages.get().mapper().readTree(run.summaryJson()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static CollectionConfig config(String base64) {
        try {
            return CollectionConfig.parseFrom(Base64.getDecoder().decode(base64));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("the config noted before the in-place change cannot be read", e);
        }
    }
}
