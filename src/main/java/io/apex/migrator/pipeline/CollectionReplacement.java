package io.apex.migrator.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.apex.migrator.CrashPoint;
import io.apex.migrator.api.EventType;
import io.apex.migrator.api.Messages;
import io.apex.migrator.qdrant.CollectionSnapshot;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunStore;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The one cutover that cannot be atomic: a collection carries the alias' name, so it must be deleted before the
 * alias can be created. Made recoverable: refused unless the run's target was verified; a Qdrant snapshot of the
 * collection is taken and recorded with the run (summary key {@value #SUMMARY_KEY}) before the delete; once the
 * delete is acknowledged the name resolves to nothing, so the alias creation is retried until it succeeds (giving up
 * would leave readers with neither); a replica that takes the run over after a crash in between finishes it.
 */
@ApplicationScoped
public class CollectionReplacement {

    /** Where the snapshot of the dropped collection is recorded in the run's summary. */
    public static final String SUMMARY_KEY = "droppedCollectionSnapshot";

    private static final Logger LOGGER = Logger.getLogger(CollectionReplacement.class);

    private final QdrantGateway gateway;
    private final RunStore runStore;
    private final RetryPolicy<Object> untilCreated;

    @Inject
    public CollectionReplacement(QdrantGateway gateway, RunStore runStore) {
        this(gateway, runStore, Duration.ofMillis(200), Duration.ofSeconds(10));
    }

    CollectionReplacement(QdrantGateway gateway, RunStore runStore, Duration firstBackoff, Duration maxBackoff) {
        this.gateway = gateway;
        this.runStore = runStore;
        this.untilCreated = RetryPolicy.builder().handle(RuntimeException.class).withMaxAttempts(-1)
                .withBackoff(firstBackoff, maxBackoff).withJitter(0.2)
                .onRetry(e -> LOGGER.warnf("creating the alias after the collection it replaces was dropped failed "
                        + "(attempt %d); retrying until it succeeds: %s", e.getAttemptCount(),
                        e.getLastException().getMessage()))
                .build();
    }

    /** What a replacement did: the snapshot of the dropped collection and the time the name resolved to nothing. */
    record Replaced(CollectionSnapshot snapshot, long gapMillis) {
    }

    /**
     * Snapshots and drops the collection named {@code run.alias()}, then creates the alias pointing at the target.
     *
     * @throws PipelineException.CutoverRefused when the run's target was not verified (nothing is touched)
     */
    Replaced replace(Run run) {
        String alias = run.alias();
        if (!runStore.eventTypes(run.id()).contains(EventType.VERIFIED.shortName())) {
            throw new PipelineException.CutoverRefused("run " + run.id() + ": the collection '" + alias + "' is "
                    + "replaced only by a verified target, and " + run.target() + " was not verified; nothing was "
                    + "dropped");
        }
        CollectionSnapshot snapshot = gateway.createSnapshot(alias);
        runStore.mergeIntoSummary(run.id(), Messages.get().write(Map.of(SUMMARY_KEY, snapshot)));
        LOGGER.warnf("run %s: snapshot %s of collection %s taken (%s bytes, sha256 %s); dropping the collection to "
                + "create alias %s -> %s", run.id(), snapshot.name(), alias, snapshot.sizeBytes(), snapshot.checksum(),
                alias, run.target());
        gateway.deleteCollection(alias);
        long acknowledged = System.nanoTime();
        CrashPoint.reached(CrashPoint.AFTER_COLLECTION_DROPPED, run.source());
        createAlias(run);
        long gap = (System.nanoTime() - acknowledged) / 1_000_000;
        LOGGER.warnf("run %s: dropped collection %s and created alias %s -> %s; name unavailable for %s ms", run.id(),
                alias, alias, run.target(), gap);
        return new Replaced(snapshot, gap);
    }

    /**
     * Whether the collection named like the run's alias was dropped by this run and its alias is not there yet: a
     * replacement interrupted between its two calls, which {@link #finish} completes.
     */
    boolean interrupted(Run run) {
        return recordedSnapshot(run).isPresent() && !run.target().equals(gateway.aliases().get(run.alias()))
                && !gateway.collectionExists(run.alias());
    }

    /** Completes an interrupted replacement: the alias is created (retried until it succeeds). */
    void finish(Run run) {
        LOGGER.warnf("run %s: collection %s was dropped and alias %s not created yet (a replica stopped in between); "
                + "creating it now", run.id(), run.alias(), run.alias());
        createAlias(run);
    }

    /** The snapshot recorded before this run dropped the collection named like its alias, if it did. */
    Optional<CollectionSnapshot> recordedSnapshot(Run run) {
        return recordedIn(runStore.findRun(run.id()).orElse(run));
    }

    /** The snapshot of a dropped collection recorded in this copy of the run, if any. */
    public static Optional<CollectionSnapshot> recordedIn(Run now) {
        if (now.summaryJson() == null) {
            return Optional.empty();
        }
        try {
            JsonNode node = Messages.get().mapper().readTree(now.summaryJson()).get(SUMMARY_KEY);
            return node == null || node.isNull() ? Optional.empty()
                    : Optional.of(Messages.get().mapper().treeToValue(node, CollectionSnapshot.class));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("run " + now.id() + ": unreadable summary", e);
        }
    }

    private void createAlias(Run run) {
        AliasOperations create = AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                .setAliasName(run.alias()).setCollectionName(run.target())).build();
        Failsafe.with(untilCreated).run(() -> {
            // a create whose answer was lost may have been applied: read before asking again
            if (!run.target().equals(gateway.aliases().get(run.alias()))) {
                gateway.updateAliases(List.of(create));
            }
        });
    }
}
