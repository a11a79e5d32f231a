package io.apex.migrator.pipeline;

import io.apex.migrator.qdrant.CollectionSnapshot;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.state.Run;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.DeleteAlias;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Switches an alias in ONE UpdateAliases request (delete + create), which Qdrant applies atomically, so
 * readers never see the alias missing. The one case that cannot be atomic, a collection carrying the alias'
 * name, is refused unless the command opts in; then the collection is dropped and the alias created
 * back-to-back and the gap is measured.
 */
@ApplicationScoped
public class Cutover {

    private static final Logger LOGGER = Logger.getLogger(Cutover.class);

    private final QdrantGateway gateway;
    private final CollectionReplacement replacement;

    @Inject
    public Cutover(QdrantGateway gateway, CollectionReplacement replacement) {
        this.gateway = gateway;
        this.replacement = replacement;
    }

    /**
     * What the swap did.
     *
     * @param previousCollection what the alias pointed at (null when it did not exist); for a dropped
     *        collection named like the alias, that name
     * @param droppedCollection true when a collection named like the alias was dropped
     * @param gapMillis time the name resolved to nothing, from the delete's acknowledgement to the alias (only when
     *        this call dropped the collection)
     * @param snapshot the snapshot of the dropped collection, taken before the delete (only when one was dropped)
     */
    public record Result(String previousCollection, boolean droppedCollection, Long gapMillis,
            CollectionSnapshot snapshot) {
    }

    /** Whether a collection (not an alias) carries this name: the case the cutover cannot switch atomically. */
    public boolean collectionNamedLike(String alias) {
        return !gateway.aliases().containsKey(alias) && gateway.collectionExists(alias);
    }

    /**
     * Points the run's alias at its target unless it already does (a cutover repeated after a crash swaps at most
     * once). The run's previous collection is what the alias pointed at when the cutover began (see the run store),
     * so a repeat still reports the collection readers had before.
     */
    public Result swapOnce(Run run, boolean dropCollectionNamedLikeAlias) {
        String alias = run.alias();
        String target = run.target();
        String noted = run.previousCollection();
        String current = gateway.aliases().get(alias);
        boolean dropPath = noted != null && noted.equals(alias);
        if (target.equals(current)) {
            LOGGER.infof("run %s: alias %s already points at %s; not swapped again", run.id(), alias, target);
            return new Result(noted, dropPath, null, dropPath ? replacement.recordedSnapshot(run).orElse(null) : null);
        }
        if (current == null && gateway.collectionExists(alias)) {
            if (!dropCollectionNamedLikeAlias) {
                throw new PipelineException.CutoverRefused("run " + run.id() + ": a collection is named '" + alias
                        + "', like the alias; an alias cannot replace it atomically. Re-run with "
                        + "dropCollectionNamedLikeAlias=true (CLI: --drop-collection-named-like-alias) to snapshot and "
                        + "drop it and create the alias right after (readers see no collection for a moment)");
            }
            CollectionReplacement.Replaced replaced = replacement.replace(run);
            return new Result(alias, true, replaced.gapMillis(), replaced.snapshot());
        }
        if (dropPath && current == null && replacement.interrupted(run)) {
            replacement.finish(run);
            return new Result(alias, true, null, replacement.recordedSnapshot(run).orElse(null));
        }
        point(alias, current, target);
        LOGGER.infof("run %s: alias %s switched %s -> %s", run.id(), alias, current == null ? "(new)" : current,
                target);
        return new Result(dropPath ? alias : current, dropPath, null,
                dropPath ? replacement.recordedSnapshot(run).orElse(null) : null);
    }

    /** Points {@code alias} at {@code collection} in one request; returns what it pointed at before. */
    public String pointAlias(String alias, String collection) {
        String previous = gateway.aliases().get(alias);
        point(alias, previous, collection);
        return previous;
    }

    private void point(String alias, String previous, String collection) {
        gateway.updateAliases(previous == null ? List.of(create(alias, collection))
                : List.of(AliasOperations.newBuilder().setDeleteAlias(DeleteAlias.newBuilder().setAliasName(alias))
                        .build(), create(alias, collection)));
    }

    private static AliasOperations create(String alias, String collection) {
        return AliasOperations.newBuilder()
                .setCreateAlias(CreateAlias.newBuilder().setAliasName(alias).setCollectionName(collection)).build();
    }
}
