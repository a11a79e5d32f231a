package io.apex.migrator.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Creates the run store's tables (schema {@code apex_migrator}) idempotently from the versioned scripts in
 * {@code db/runstore/}. Concurrent starters (several worker replicas) serialise on an advisory lock, so the
 * DDL runs once and no one sees half a schema.
 */
final class RunStoreSchema {

    private static final Logger LOGGER = Logger.getLogger(RunStoreSchema.class);
    /** Scripts in order; a new version appends a file, never edits an applied one. */
    private static final List<String> SCRIPTS = List.of("db/runstore/V1__run_store.sql",
            "db/runstore/V2__verification.sql", "db/runstore/V3__lifecycle.sql", "db/runstore/V4__live_migration.sql",
            "db/runstore/V5__captured_writes.sql", "db/runstore/V6__capture_positions.sql",
            "db/runstore/V7__releases.sql");
    private static final long LOCK_KEY = 0x61706578_72756e73L; // "apexruns"

    private RunStoreSchema() {
    }

    static void apply(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
                s.execute("CREATE SCHEMA IF NOT EXISTS apex_migrator");
                s.execute("CREATE TABLE IF NOT EXISTS apex_migrator.store_version ("
                        + "version int PRIMARY KEY, script text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
                int current;
                try (ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM apex_migrator.store_version")) {
                    rs.next();
                    current = rs.getInt(1);
                }
                for (int v = current + 1; v <= SCRIPTS.size(); v++) {
                    String script = SCRIPTS.get(v - 1);
                    s.execute(read(script));
                    s.execute("INSERT INTO apex_migrator.store_version (version, script) VALUES (" + v + ", '"
                            + script + "')");
                    LOGGER.infof("run store: applied %s", script);
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new RunStoreException("creating the schema", e);
        }
    }

    private static String read(String resource) {
        try (InputStream in = RunStoreSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing run store script " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
