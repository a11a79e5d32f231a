package io.apex.migrator.qdrant;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Existing collections differ from their specs. Nothing was dropped or changed; the fix is a human decision: align
 * the collection, or write a new spec version and migrate into it.
 */
public final class CollectionDriftException extends QdrantException {

    private final List<CollectionOutcome> drifted;

    public CollectionDriftException(List<CollectionOutcome> drifted) {
        super(drifted.isEmpty() ? null : drifted.get(0).collection(), message(drifted), null);
        this.drifted = List.copyOf(drifted);
    }

    /** The drifted collections with their differing fields. */
    public List<CollectionOutcome> drifted() {
        return drifted;
    }

    private static String message(List<CollectionOutcome> drifted) {
        return drifted.stream().map(o -> "collection `" + o.collection() + "` differs from its spec: "
                + o.drifts().stream().map(Drift::toString).collect(Collectors.joining("; ")))
                .collect(Collectors.joining(" | "))
                + ". Nothing was changed: align the collection or write a new spec version and migrate into it.";
    }
}
