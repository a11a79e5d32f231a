package io.apex.migrator.qdrant;

import java.util.List;
import java.util.Objects;

/**
 * What {@code --info-only} shows for one spec, read without changing anything.
 *
 * @param spec the spec
 * @param exists whether the collection exists
 * @param status Qdrant's status (green, yellow, grey, red) or {@code absent}
 * @param points exact point count (0 if absent)
 * @param vectors e.g. {@code 1536 cosine}
 * @param hnsw e.g. {@code m=16 ef_construct=64}
 * @param quantization e.g. {@code int8 quantile=0.99 always_ram=true} or {@code none}
 * @param indexesPresent how many of the spec's payload indexes exist with the right type
 * @param drifts the fields that differ from the spec (empty if absent or matching)
 * @param alias where the alias stands
 * @param memory the vector memory estimate for the current point count
 */
public record CollectionStatus(CollectionSpec spec, boolean exists, String status, long points, String vectors,
        String hnsw, String quantization, int indexesPresent, List<Drift> drifts, AliasState alias,
        MemoryEstimate memory) {

    public CollectionStatus {
        Objects.requireNonNull(spec, "spec");
        drifts = List.copyOf(drifts);
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(memory, "memory");
    }
}
