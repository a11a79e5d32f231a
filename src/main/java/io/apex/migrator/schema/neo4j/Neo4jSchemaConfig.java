package io.apex.migrator.schema.neo4j;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Connection and migration settings of the memory graph (Neo4j 5). */
@ConfigMapping(prefix = "apex.neo4j")
public interface Neo4jSchemaConfig {

    /** Bolt URI, e.g. {@code neo4j://graph:7687}. */
    String uri();

    /** User name; without it the driver connects with no authentication. */
    Optional<String> username();

    /** Password of {@link #username()}; a secret: never logged or echoed. */
    Optional<String> password();

    /** Database to migrate; the server's default database when absent. */
    Optional<String> database();

    /** Where the versioned Cypher scripts are: {@code classpath:db/neo4j} or a directory. */
    @WithDefault("classpath:db/neo4j")
    String migrationsDir();

    /** How long a runner waits for another runner's migration lock before giving up with a clear message. */
    @WithDefault("5m")
    Duration lockWait();

    /**
     * Lease of the lock node: the holder renews it while it works; a crashed holder's lock expires this long
     * after its last renewal, and the next runner takes it over.
     */
    @WithDefault("60s")
    Duration lockLease();

    /** The settings as a value, for code that does not run inside CDI. */
    default Neo4jSettings settings() {
        return new Neo4jSettings(uri(), username(), password(), database(), migrationsDir(), lockWait(), lockLease());
    }
}
