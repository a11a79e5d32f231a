package io.apex.migrator.support;

import io.apex.migrator.api.PointRange;
import io.apex.migrator.state.RunStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
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

    /**
     * A run accepted from source {@code src} into {@code target} and planned with {@code ranges}, as the coordinator
     * leaves it before dispatching.
     */
    public UUID plannedRun(String target, long points, List<PointRange> ranges) throws SQLException {
        UUID run = UUID.randomUUID();
        execute("INSERT INTO apex_migrator.runs (id, command_id, source, target, batch_size, command, state) VALUES ('"
                + run + "', 'c-" + run + "', 'src', '" + target + "', 100, '{}', 'accepted')");
        if (!runStore.savePlan(run, points, ranges)) {
            throw new IllegalStateException("run " + run + " was planned before");
        }
        return run;
    }

    /** Runs one SQL statement in the database (test set-up: rows the store does not create itself). */
    public void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
