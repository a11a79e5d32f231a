package io.apex.migrator.schema;

import java.util.Objects;
import java.util.Optional;

/** One line of {@code status}: a version, what state it is in, and its history record when applied. */
public record MigrationState(Version version, String description, State state, Optional<AppliedMigration> applied) {

    /** The states {@code status} reports. */
    public enum State {
        /** Applied, and the file still has the applied checksum. */
        APPLIED,
        /** In the scripts, not applied yet. */
        PENDING,
        /** Applied, but the file changed since: upgrade and downgrade refuse to run. */
        CHECKSUM_MISMATCH,
        /** Applied, but its script is no longer among the scripts. */
        MISSING_SCRIPT
    }

    public MigrationState {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(applied, "applied");
    }
}
