package io.apex.migrator.bench;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One measured line of a query benchmark: which store, which query kind, which schema/index variant,
 * its latency and (for vector queries) its recall@10 against exact search.
 */
public record BenchRow(String store, String query, String variant, LatencySummary latency, OptionalDouble recallAt10) {

    public BenchRow {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(recallAt10, "recallAt10");
        if (recallAt10.isPresent() && (recallAt10.getAsDouble() < 0 || recallAt10.getAsDouble() > 1)) {
            throw new IllegalArgumentException("recall must be within [0,1], got " + recallAt10.getAsDouble());
        }
    }
}
