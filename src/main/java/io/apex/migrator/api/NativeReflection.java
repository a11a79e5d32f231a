package io.apex.migrator.api;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The message records Jackson binds by reflection, registered for the native image (GraalVM keeps no
 * reflective access that is not declared). Add a record here when a message type is added.
 */
@RegisterForReflection(targets = {
        BatchProgress.class, BatchTask.class, PointRange.class, PointKey.class, EventData.class,
        MigrateCommand.class, RunControlCommand.class, RollbackAliasCommand.class, CreateCollectionsCommand.class,
        SchemaCommand.class})
final class NativeReflection {

    private NativeReflection() {
    }
}
