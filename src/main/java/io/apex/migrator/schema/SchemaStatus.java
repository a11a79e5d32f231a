package io.apex.migrator.schema;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code status} reports: the current version, each migration's state, and indexes left INVALID by a
 * failed concurrent build (the next upgrade drops and rebuilds them).
 */
public record SchemaStatus(Store store, Optional<Version> current, List<MigrationState> migrations,
        List<IndexState> invalidIndexes) {

    public SchemaStatus {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(current, "current");
        migrations = List.copyOf(migrations);
        invalidIndexes = List.copyOf(invalidIndexes);
    }

    public List<MigrationState> in(MigrationState.State state) {
        return migrations.stream().filter(m -> m.state() == state).toList();
    }
}
