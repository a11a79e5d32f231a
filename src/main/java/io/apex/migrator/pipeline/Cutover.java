package io.apex.migrator.pipeline;

import io.apex.migrator.qdrant.QdrantGateway;
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

    @Inject
    public Cutover(QdrantGateway gateway) {
        this.gateway = gateway;
    }

    /**
     * What the swap did.
     *
     * @param previousCollection what the alias pointed at (null when it did not exist); for a dropped
     *        collection named like the alias, that name
     * @param droppedCollection true when a collection named like the alias was dropped
     * @param gapMillis time the name resolved to nothing (only when a collection was dropped)
     */
    public record Result(String previousCollection, boolean droppedCollection, Long gapMillis) {
    }

    /** Whether a collection (not an alias) carries this name: the case the cutover cannot switch atomically. */
    public boolean collectionNamedLike(String alias) {
        return !gateway.aliases().containsKey(alias) && gateway.collectionExists(alias);
    }

    /**
     * Points the alias at the target unless it already does (a cutover repeated after a crash swaps at most once).
     * {@code noted} is what the alias pointed at when the cutover began (see the run store), so a repeat still reports
     * the collection readers had before.
     */
    public Result swapOnce(String runId, String alias, String target, String noted,
            boolean dropCollectionNamedLikeAlias) {
        String current = gateway.aliases().get(alias);
        boolean dropPath = noted != null && noted.equals(alias);
        if (target.equals(current)) {
            LOGGER.infof("run %s: alias %s already points at %s; not swapped again", runId, alias, target);
            return new Result(noted, dropPath, null);
        }
        if (current == null && gateway.collectionExists(alias)) {
            if (!dropCollectionNamedLikeAlias) {
                throw new PipelineException.CutoverRefused("run " + runId + ": a collection is named '" + alias
                        + "', like the alias; an alias cannot replace it atomically. Re-run with "
                        + "dropCollectionNamedLikeAlias=true (CLI: --drop-collection-named-like-alias) to drop it and "
                        + "create the alias right after (readers see no collection for a moment)");
            }
            long started = System.nanoTime();
            gateway.deleteCollection(alias);
            gateway.updateAliases(List.of(create(alias, target)));
            long gap = (System.nanoTime() - started) / 1_000_000;
            LOGGER.warnf("run %s: dropped collection %s and created alias %s -> %s; name unavailable for %s ms",
                    runId, alias, alias, target, gap);
            return new Result(alias, true, gap);
        }
        point(alias, current, target);
        LOGGER.infof("run %s: alias %s switched %s -> %s", runId, alias, current == null ? "(new)" : current, target);
        return new Result(dropPath ? alias : current, dropPath, null);
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
