package io.apex.migrator.qdrant;

import java.util.List;
import java.util.Objects;

/**
 * What provisioning did with one spec.
 *
 * @param collection the physical collection, e.g. {@code documents_v2}
 * @param result created, unchanged (matches its spec) or drifted (exists and differs; left untouched)
 * @param drifts the differing fields, empty unless drifted
 * @param indexesCreated payload indexes created by this run
 * @param alias where the alias stands afterwards
 */
public record CollectionOutcome(String collection, Result result, List<Drift> drifts, List<String> indexesCreated,
        AliasState alias) {

    /** What happened to the collection. */
    public enum Result { CREATED, UNCHANGED, DRIFTED }

    public CollectionOutcome {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(result, "result");
        drifts = List.copyOf(drifts);
        indexesCreated = List.copyOf(indexesCreated);
        Objects.requireNonNull(alias, "alias");
        if ((result == Result.DRIFTED) == drifts.isEmpty()) {
            throw new IllegalArgumentException("a collection is DRIFTED exactly when it has drifts: " + result
                    + " " + drifts);
        }
    }
}
