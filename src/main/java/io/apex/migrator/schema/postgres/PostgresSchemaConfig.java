package io.apex.migrator.schema.postgres;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Connection and migration settings of the target memory database (PostgreSQL + pgvector). */
@ConfigMapping(prefix = "apex.postgres")
public interface PostgresSchemaConfig {

    /** JDBC URL of the memory database, e.g. {@code jdbc:postgresql://db:5432/memory}. Never put the password here. */
    String jdbcUrl();

    /** Database user the migrations run as. */
    @WithDefault("postgres")
    String username();

    /** Password of {@link #username()}; a secret: never logged or echoed. */
    Optional<String> password();

    /** Schema that holds the migrated tables and the history table {@code apex_schema_history}. */
    @WithDefault("public")
    String schema();

    /** Where the versioned SQL scripts are: {@code classpath:db/postgres} or a directory. */
    @WithDefault("classpath:db/postgres")
    String migrationsDir();

    /** How long a runner waits for another runner's migration lock before giving up with a clear message. */
    @WithDefault("5m")
    Duration lockWait();

    /** The settings as a value, for code that does not run inside CDI. */
    default PostgresSettings settings() {
        return new PostgresSettings(jdbcUrl(), username(), password(), schema(), migrationsDir(), lockWait());
    }
}
