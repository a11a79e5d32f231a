package io.apex.migrator.schema;

import java.util.Objects;
import java.util.Optional;

/** A versioned migration: its forward script and, when present, its rollback script. */
public record Migration(Version version, String description, ScriptFile script, Optional<ScriptFile> rollback) {

    public Migration {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(rollback, "rollback");
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException(script.name() + ": a migration needs a description");
        }
    }

    public Checksum checksum() {
        return script.checksum();
    }
}
