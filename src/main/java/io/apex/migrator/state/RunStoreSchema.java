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
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Creates the run store's tables (schema {@link #NAME}, {@code apex_migrator} unless {@code apex.run-store.schema}
 * says otherwise) idempotently from the versioned scripts in {@code db/runstore/}, whose {@code ${schema}} stands for
 * that name. Concurrent starters (several worker replicas) serialise on an advisory lock, so the DDL runs once and no
 * one sees half a schema.
 */
public final class RunStoreSchema {

    /** The default schema: the production run store. */
    public static final String DEFAULT = "apex_migrator";
    /**
     * The run store's schema in this process. A constant for the process (every statement of the store names it), so
     * read once from the configuration: a process with another {@code apex.run-store.schema} (the benchmark's children)
     * keeps its runs apart from the production ones in the same database.
     */
    public static final String NAME = validated(ConfigProvider.getConfig()
            .getOptionalValue("apex.run-store.schema", String.class).orElse(DEFAULT));

    private static final Logger LOGGER = Logger.getLogger(RunStoreSchema.class);
    /** Scripts in order; a new version appends a file, never edits an applied one. */
    private static final List<String> SCRIPTS = List.of("db/runstore/V1__run_store.sql",
            "db/runstore/V2__verification.sql", "db/runstore/V3__lifecycle.sql", "db/runstore/V4__live_migration.sql",
            "db/runstore/V5__captured_writes.sql", "db/runstore/V6__capture_positions.sql",
            "db/runstore/V7__releases.sql", "db/runstore/V8__release_cancel.sql",
            "db/runstore/V9__range_activity.sql");
    private static final long LOCK_KEY = 0x61706578_72756e73L; // "apexruns"

    private RunStoreSchema() {
    }

    static void apply(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
                s.execute("CREATE SCHEMA IF NOT EXISTS " + NAME);
                s.execute("CREATE TABLE IF NOT EXISTS " + RunStoreSchema.NAME + ".store_version ("
                        + "version int PRIMARY KEY, script text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
                int current;
                try (ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM " + RunStoreSchema.NAME + ".store_version")) {
                    rs.next();
                    current = rs.getInt(1);
                }
                for (int v = current + 1; v <= SCRIPTS.size(); v++) {
                    String script = SCRIPTS.get(v - 1);
                    s.execute(read(script));
                    s.execute("INSERT INTO " + RunStoreSchema.NAME + ".store_version (version, script) VALUES (" + v + ", '"
                            + script + "')");
                    LOGGER.infof("run store: applied %s", script);
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new RunStoreException("creating the schema", e);
        }
    }

    private static String validated(String schema) {
        if (!Pattern.matches("[a-z_][a-z0-9_]{0,62}", schema)) {
            throw new IllegalArgumentException("apex.run-store.schema must be a lower-case SQL identifier, got " + schema);
        }
        return schema;
    }

    private static String read(String resource) {
        try (InputStream in = RunStoreSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing run store script " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${schema}", NAME);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
