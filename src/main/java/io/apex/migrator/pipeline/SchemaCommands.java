package io.apex.migrator.pipeline;

import io.apex.migrator.api.EventData;
import io.apex.migrator.api.EventType;
import io.apex.migrator.api.SchemaCommand;
import io.apex.migrator.schema.IndexState;
import io.apex.migrator.schema.SchemaException;
import io.apex.migrator.schema.SchemaMigrations;
import io.apex.migrator.schema.SchemaResult;
import io.apex.migrator.schema.Store;
import io.apex.migrator.schema.Version;
import io.apex.migrator.state.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code postgres.upgrade} / {@code postgres.downgrade} / {@code neo4j.up} / {@code neo4j.down} over Kafka: the
 * schema area's engine does the work under its lock; this ends it with {@code schema-ready} (store, version,
 * migrations applied, indexes) or {@code migration-failed} with the engine's message, once per command.
 */
@ApplicationScoped
public class SchemaCommands {

    private final SchemaMigrations migrations;
    private final RunStore runStore;
    private final EventPublisher events;

    @Inject
    public SchemaCommands(SchemaMigrations migrations, RunStore runStore, EventPublisher events) {
        this.migrations = migrations;
        this.runStore = runStore;
        this.events = events;
    }

    public void apply(SchemaCommand command) {
        if (!runStore.markCommandProcessed(command.commandId(), command.type().wireName())) {
            return;
        }
        Store store = "postgres".equals(command.store()) ? Store.POSTGRES : Store.NEO4J;
        EventData.Builder data = EventData.forRun(null, command.commandId()).commandType(command.type().wireName());
        try {
            SchemaResult result = command.isUpgrade()
                    ? migrations.upgrade(store, Optional.ofNullable(command.target()), command.commandId())
                    : migrations.downgrade(store, command.steps() == null ? 1 : command.steps(), command.commandId());
            events.publishRunEvent(EventType.SCHEMA_READY, data.details(details(result)).build(), true);
        } catch (SchemaException e) {
            events.publishRunEvent(EventType.FAILED, data.reason(e.getMessage()).build(), true);
        }
    }

    private static Map<String, Object> details(SchemaResult result) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("store", result.store().name().toLowerCase());
        details.put("direction", result.direction().name().toLowerCase());
        details.put("version", result.version().map(Version::label).orElse("none"));
        details.put("migrated", result.migrated().stream().map(Version::label).toList());
        details.put("repaired", result.repaired());
        details.put("indexes", result.indexes().stream().map(IndexState::name).toList());
        return details;
    }
}
