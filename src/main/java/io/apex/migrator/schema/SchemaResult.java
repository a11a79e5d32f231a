package io.apex.migrator.schema;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of an upgrade or downgrade, as the {@code schema-ready} event reports it: the store, the version
 * it is now at (empty when nothing is applied), the versions this run applied or rolled back (empty when it was
 * a no-op), the INVALID indexes it repaired and the indexes now present.
 */
public record SchemaResult(Store store, String runId, Direction direction, Optional<Version> version,
        List<Version> migrated, List<String> repaired, List<IndexState> indexes) {

    public SchemaResult {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(version, "version");
        migrated = List.copyOf(migrated);
        repaired = List.copyOf(repaired);
        indexes = List.copyOf(indexes);
    }
}
