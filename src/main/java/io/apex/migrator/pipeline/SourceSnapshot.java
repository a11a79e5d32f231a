package io.apex.migrator.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.api.Messages;
import io.apex.migrator.api.MigrateCommand;
import io.apex.migrator.qdrant.CollectionSnapshot;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code snapshot: true}: a Qdrant snapshot of the source, taken before the run changes anything (before the target
 * is provisioned or a point is copied) and recorded with the run, so a resumed run takes no second one.
 */
@ApplicationScoped
public class SourceSnapshot {

    private static final Logger LOGGER = Logger.getLogger(SourceSnapshot.class);
    /** Where the snapshot of the source is recorded in the run's summary. */
    public static final String SUMMARY_KEY = "sourceSnapshot";

    private final QdrantGateway gateway;
    private final RunStore runStore;

    @Inject
    public SourceSnapshot(QdrantGateway gateway, RunStore runStore) {
        this.gateway = gateway;
        this.runStore = runStore;
    }

    /** Takes the snapshot the command asks for, once per run; the recorded one when it was taken already. */
    Optional<CollectionSnapshot> takeIfAsked(Run run, MigrateCommand command) {
        if (!command.snapshot()) {
            return Optional.empty();
        }
        Optional<CollectionSnapshot> recorded = recorded(run);
        if (recorded.isPresent()) {
            return recorded;
        }
        CollectionSnapshot snapshot = gateway.createSnapshot(command.source());
        runStore.mergeIntoSummary(run.id(), Messages.get().write(Map.of(SUMMARY_KEY, snapshot)));
        LOGGER.infof("run %s: snapshot %s of source %s taken before anything changed (%s bytes, sha256 %s)", run.id(),
                snapshot.name(), command.source(), snapshot.sizeBytes(), snapshot.checksum());
        return Optional.of(snapshot);
    }

    /** The snapshot of the source recorded with this run, if it took one. */
    public static Optional<CollectionSnapshot> recorded(Run run) {
        if (run.summaryJson() == null) {
            return Optional.empty();
        }
        try {
            JsonNode node = Messages.get().mapper().readTree(run.summaryJson()).get(SUMMARY_KEY);
            return node == null || node.isNull() ? Optional.empty()
                    : Optional.of(Messages.get().mapper().treeToValue(node, CollectionSnapshot.class));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
