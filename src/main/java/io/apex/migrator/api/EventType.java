package io.apex.migrator.api;

/**
 * Lifecycle events on the events topic. Each is a CloudEvent (structured JSON mode) whose {@code type} is
 * {@link #ceType()}, e.g. {@code io.apex.migrator.schema-ready}.
 */
public enum EventType {
    ACCEPTED("migration-accepted"),
    REJECTED("migration-rejected"),
    PLANNED("migration-planned"),
    BATCH_FAILED("batch-failed"),
    COPIED("migration-copied"),
    VERIFIED("migration-verified"),
    /** The readiness gate found the target still indexing (status, optimizer, indexed vectors): progress. */
    INDEXING("migration-indexing"),
    ALIAS_SWAPPED("alias-swapped"),
    COMPLETED("migration-completed"),
    FAILED("migration-failed"),
    SCHEMA_READY("schema-ready"),
    /** Every part of a release applied and every alias of it swapped in one request. */
    RELEASE_READY("release-ready"),
    /** A release stopped before its cutover: no alias moved; names the part and the reason. */
    RELEASE_FAILED("release-failed"),
    /** A release undone: its aliases back in one request, its schema stores back at their previous versions. */
    RELEASE_ROLLED_BACK("release-rolled-back");

    /** Prefix of every CloudEvents {@code type} this service emits. */
    public static final String CE_PREFIX = "io.apex.migrator.";

    private final String shortName;

    EventType(String shortName) {
        this.shortName = shortName;
    }

    public String shortName() {
        return shortName;
    }

    public String ceType() {
        return CE_PREFIX + shortName;
    }

    /** The type of a short name as the run store records it. */
    public static EventType fromShortName(String shortName) {
        for (EventType t : values()) {
            if (t.shortName.equals(shortName)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown event type '" + shortName + "'");
    }
}
