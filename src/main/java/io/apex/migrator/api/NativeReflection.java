package io.apex.migrator.api;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The message records Jackson binds by reflection, the enums it writes through their {@code @JsonValue}, and
 * {@link Command} (its {@code schemaVersion} getter), registered for the native image (GraalVM keeps no reflective access that is not declared). Add a record here
 * when a message type is added: {@code NativeReflectionTest} fails until it is.
 */
@RegisterForReflection(targets = {
        BatchProgress.class, BatchTask.class, BatchTask.Next.class, PointRange.class, PointKey.class, EventData.class,
        MigrateCommand.class, RunControlCommand.class, RollbackAliasCommand.class, CreateCollectionsCommand.class,
        SchemaCommand.class, ReleaseCommand.class, RangeVerification.class, Command.class,
        BatchKind.class, BatchProgress.Status.class, CommandType.class, EventType.class})
final class NativeReflection {

    private NativeReflection() {
    }
}
