package io.apex.migrator.schema;

import io.apex.migrator.schema.neo4j.Neo4jAdapter;
import io.apex.migrator.schema.neo4j.Neo4jSchemaConfig;
import io.apex.migrator.schema.postgres.PostgresAdapter;
import io.apex.migrator.schema.postgres.PostgresSchemaConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The facade of the schema area for the CLI and the Kafka command consumer ({@code postgres.upgrade},
 * {@code postgres.downgrade}, {@code neo4j.up}, {@code neo4j.down}): each call connects, runs one engine
 * operation under the store's migration lock, and disconnects. The {@link SchemaResult} carries what the
 * {@code schema-ready} event reports.
 */
@ApplicationScoped
public class SchemaMigrations {

    private final PostgresSchemaConfig postgres;
    private final Neo4jSchemaConfig neo4j;

    SchemaMigrations(PostgresSchemaConfig postgres, Neo4jSchemaConfig neo4j) {
        this.postgres = postgres;
        this.neo4j = neo4j;
    }

    /** Applies pending migrations up to {@code target} (default: all); {@code runId} tags the run's log lines. */
    public SchemaResult upgrade(Store store, Optional<String> target, String runId) {
        return upgrade(store, target, Optional.empty(), runId);
    }

    /** As {@link #upgrade(Store, Optional, String)}, with a pg_dump backup first (PostgreSQL only). */
    public SchemaResult upgrade(Store store, Optional<String> target, Optional<Path> backup, String runId) {
        return withEngine(store, engine -> engine.upgrade(target, backup, runId));
    }

    /** Rolls back the last {@code steps} applied migrations. */
    public SchemaResult downgrade(Store store, int steps, String runId) {
        return withEngine(store, engine -> engine.downgrade(steps, runId));
    }

    public SchemaStatus status(Store store) {
        return withEngine(store, MigrationEngine::status);
    }

    public List<AppliedMigration> history(Store store) {
        return withEngine(store, MigrationEngine::history);
    }

    /**
     * The migrations shipped for a store (read from its scripts location; no connection), so a command's target or
     * step count can be checked before anything is recorded or run.
     */
    public List<Migration> available(Store store) {
        return new MigrationSource(migrationsDir(store), store == Store.POSTGRES ? "sql" : "cypher").load();
    }

    /** The configured scripts location of a store ({@code classpath:...} or a directory). */
    public String migrationsDir(Store store) {
        return store == Store.POSTGRES ? postgres.migrationsDir() : neo4j.migrationsDir();
    }

    private <T> T withEngine(Store store, Function<MigrationEngine, T> work) {
        if (store == Store.POSTGRES) {
            var settings = postgres.settings();
            try (StoreAdapter adapter = PostgresAdapter.connect(settings)) {
                return work.apply(new MigrationEngine(adapter, new MigrationSource(settings.migrationsDir(), "sql"),
                        settings.lockWait()));
            }
        }
        var settings = neo4j.settings();
        try (StoreAdapter adapter = Neo4jAdapter.connect(settings)) {
            return work.apply(new MigrationEngine(adapter, new MigrationSource(settings.migrationsDir(), "cypher"),
                    settings.lockWait()));
        }
    }
}
