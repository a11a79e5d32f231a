package io.apex.migrator.schema;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A history record: which migration was applied, from which script text, when, how long it took and by whom. */
public record AppliedMigration(Version version, String description, String script, Checksum checksum,
        Instant appliedAt, Duration duration, String appliedBy) {

    public AppliedMigration {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(checksum, "checksum");
        Objects.requireNonNull(appliedAt, "appliedAt");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(appliedBy, "appliedBy");
    }
}
