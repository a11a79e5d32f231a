package io.apex.migrator.bench;

import java.time.Duration;
import java.util.Objects;

/** One index the benchmark built: how long {@code CREATE INDEX} took and how large the index is. */
public record IndexBuild(String table, String definition, Duration took, long bytes) {

    public IndexBuild {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(took, "took");
        if (bytes < 0) {
            throw new IllegalArgumentException("index size must be >= 0, got " + bytes);
        }
    }
}
