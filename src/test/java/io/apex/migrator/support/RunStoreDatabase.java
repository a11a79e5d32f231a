package io.apex.migrator.support;

import io.apex.migrator.state.RunStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A run store in a database of its own on the JVM's PostgreSQL 15 ({@link LocalStack#postgresJdbcUrl()}), its schema
 * created: no application of another test (its outbox relay, its tracker) reads or changes these rows.
 */
public record RunStoreDatabase(PGSimpleDataSource dataSource, RunStore runStore) {

    /** A new database named {@code prefix} and a random suffix, with the run store's schema. */
    public static RunStoreDatabase create(String prefix) throws SQLException {
        String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String serverUrl = LocalStack.postgresJdbcUrl();
        PGSimpleDataSource server = new PGSimpleDataSource();
        server.setUrl(serverUrl);
        server.setUser("postgres");
        try (Connection c = server.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setUrl(serverUrl.substring(0, serverUrl.lastIndexOf('/') + 1) + name);
        db.setUser("postgres");
        RunStore runStore = new RunStore(db, Duration.ofSeconds(10));
        runStore.ensureSchema();
        return new RunStoreDatabase(db, runStore);
    }

    /** Runs one SQL statement in the database (test set-up: rows the store does not create itself). */
    public void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
