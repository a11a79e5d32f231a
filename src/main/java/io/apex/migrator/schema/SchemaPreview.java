package io.apex.migrator.schema;

import java.util.List;
import java.util.Optional;

/**
 * What an upgrade or a downgrade would do, worked out without changing anything (the CLI's {@code --dry-run}): the
 * scripts it would run, in order, and the INVALID indexes an upgrade would drop and rebuild first.
 *
 * @param current the version the store is at now
 * @param scripts the scripts that would run (for a downgrade, the rollback scripts), in order
 * @param invalidIndexes indexes an upgrade would drop and rebuild (always empty for a downgrade)
 */
public record SchemaPreview(Store store, Direction direction, Optional<Version> current, List<String> scripts,
        List<IndexState> invalidIndexes) {

    public SchemaPreview {
        scripts = List.copyOf(scripts);
        invalidIndexes = List.copyOf(invalidIndexes);
    }
}
