package io.apex.migrator.schema.neo4j;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** Validated Neo4j migration settings; {@link #toString()} leaves the password out. */
public record Neo4jSettings(String uri, Optional<String> username, Optional<String> password,
        Optional<String> database, String migrationsDir, Duration lockWait, Duration lockLease) {

    public Neo4jSettings {
        if (uri == null || !uri.matches("(bolt|neo4j)(\\+s|\\+ssc)?://.+")) {
            throw new IllegalArgumentException("apex.neo4j.uri must be a bolt:// or neo4j:// URI, got " + uri);
        }
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(migrationsDir, "migrationsDir");
        if (lockWait == null || lockWait.isNegative()) {
            throw new IllegalArgumentException("apex.neo4j.lock-wait must be zero or positive");
        }
        if (lockLease == null || lockLease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("apex.neo4j.lock-lease must be at least 1s");
        }
    }

    public Neo4jSettings withMigrationsDir(String dir) {
        return new Neo4jSettings(uri, username, password, database, dir, lockWait, lockLease);
    }

    public Neo4jSettings withLock(Duration wait, Duration lease) {
        return new Neo4jSettings(uri, username, password, database, migrationsDir, wait, lease);
    }

    @Override
    public String toString() {
        return "Neo4jSettings[uri=" + uri + ", user=" + username.orElse("(none)") + ", database="
                + database.orElse("(default)") + ", migrations=" + migrationsDir + "]";
    }

    /** A driver for these settings (credentials from here only, never logged); the caller closes it. */
    public org.neo4j.driver.Driver openDriver(Duration connectionTimeout, int maxPoolSize) {
        var auth = username().map(u -> org.neo4j.driver.AuthTokens.basic(u, password().orElse("")))
                .orElse(org.neo4j.driver.AuthTokens.none());
        return org.neo4j.driver.GraphDatabase.driver(uri(), auth, org.neo4j.driver.Config.builder()
                .withConnectionTimeout(connectionTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .withMaxConnectionPoolSize(maxPoolSize).build());
    }
}
