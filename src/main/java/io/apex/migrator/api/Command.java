package io.apex.migrator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A command on the commands topic (JSON, {@code schemaVersion} 1). A repeated {@code commandId} is a no-op,
 * so producers may retry sends freely.
 */
public sealed interface Command
        permits MigrateCommand, CreateCollectionsCommand, RollbackAliasCommand, RunControlCommand, SchemaCommand,
        ReleaseCommand {

    /** Current version of the command contracts. */
    int SCHEMA_VERSION = 1;

    String commandId();

    /** Version of the contract the command follows; written on every command sent. */
    @JsonProperty("schemaVersion")
    default int schemaVersion() {
        return SCHEMA_VERSION;
    }

    CommandType type();
}
