package io.apex.migrator.schema;

import java.util.Objects;

/**
 * An index (or constraint-backed index) as the store reports it. {@code valid} is false for a PostgreSQL index
 * whose concurrent build failed ({@code pg_index.indisvalid}) or a Neo4j index that is not ONLINE.
 */
public record IndexState(String name, String target, String definition, boolean valid) {

    public IndexState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(definition, "definition");
    }
}
