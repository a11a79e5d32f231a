package io.apex.migrator.pipeline;

import io.apex.migrator.api.CreateCollectionsCommand;
import io.apex.migrator.api.EventData;
import io.apex.migrator.api.EventType;
import io.apex.migrator.api.InvalidMessageException;
import io.apex.migrator.qdrant.CollectionOutcome;
import io.apex.migrator.qdrant.CollectionProvisioner;
import io.apex.migrator.qdrant.ProvisioningReport;
import io.apex.migrator.qdrant.ProvisioningRequest;
import io.apex.migrator.qdrant.UnknownCollectionSpecException;
import io.apex.migrator.state.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code qdrant.create-collections} over Kafka: the collections area's provisioner does the work; this ends it
 * with {@code schema-ready} (once per command) or, on drift, {@code migration-failed} naming the collections.
 */
@ApplicationScoped
public class CollectionCommands {

    private final CollectionProvisioner provisioner;
    private final RunStore runStore;
    private final EventPublisher events;

    @Inject
    public CollectionCommands(CollectionProvisioner provisioner, RunStore runStore, EventPublisher events) {
        this.provisioner = provisioner;
        this.runStore = runStore;
        this.events = events;
    }

    public void create(CreateCollectionsCommand command) {
        List<Optional<String>> selections = command.collections().isEmpty() ? List.of(Optional.empty())
                : command.collections().stream().map(Optional::of).toList();
        List<ProvisioningRequest> requests = new ArrayList<>();
        for (Optional<String> spec : selections) {
            requests.add(new ProvisioningRequest(spec, Optional.empty(), !command.noQuantization(),
                    Optional.of(command.commandId())));
        }
        try {
            requests.forEach(r -> provisioner.specs().select(r.spec(), r.version()));
        } catch (UnknownCollectionSpecException e) {
            throw new InvalidMessageException("$.collections", e.getMessage());
        }
        if (runStore.commandSeen(command.commandId())) {
            return;
        }
        // Provisioning is idempotent: the command is recorded processed only once its collections are there, so
        // a retry after a transient error does the work again instead of finding the command done.
        Map<String, Object> outcomes = new LinkedHashMap<>();
        List<String> drifted = new ArrayList<>();
        for (ProvisioningRequest request : requests) {
            ProvisioningReport report = provisioner.provision(request);
            for (CollectionOutcome o : report.outcomes()) {
                outcomes.put(o.collection(), o.result().name().toLowerCase());
                if (o.result() == CollectionOutcome.Result.DRIFTED) {
                    drifted.add(o.collection() + ": " + o.drifts());
                }
            }
        }
        if (!runStore.markCommandProcessed(command.commandId(), command.type().wireName())) {
            return;
        }
        EventData.Builder data = EventData.forRun(null, command.commandId())
                .commandType(command.type().wireName()).details(outcomes);
        if (drifted.isEmpty()) {
            events.publishRunEvent(EventType.SCHEMA_READY, data.build(), true);
        } else {
            events.publishRunEvent(EventType.FAILED, data.reason("collections differ from their specs: " + drifted)
                    .build(), true);
        }
    }
}
