package io.apex.migrator.schema.postgres;

import io.apex.migrator.schema.AppliedMigration;
import io.apex.migrator.schema.Checksum;
import io.apex.migrator.schema.IndexState;
import io.apex.migrator.schema.Migration;
import io.apex.migrator.schema.RunnerIdentity;
import io.apex.migrator.schema.SchemaException;
import io.apex.migrator.schema.ScriptFile;
import io.apex.migrator.schema.ScriptSplitter;
import io.apex.migrator.schema.Statement;
import io.apex.migrator.schema.Store;
import io.apex.migrator.schema.StoreAdapter;
import io.apex.migrator.schema.StoreLock;
import io.apex.migrator.schema.Version;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Runs SQL scripts over one JDBC connection (which also holds the advisory lock; each statement runs only once the
 * lock is confirmed held, see {@link AdvisoryLock}). A script runs in one
 * transaction together with its history row, unless it contains a statement PostgreSQL refuses inside a
 * transaction ({@code CREATE/DROP INDEX CONCURRENTLY}, {@code VACUUM}): then each statement autocommits and
 * the history row is written last, so such scripts must be idempotent ({@code IF [NOT] EXISTS}).
 */
public final class PostgresAdapter implements StoreAdapter {

    private static final Logger LOGGER = Logger.getLogger(PostgresAdapter.class);
    static final String HISTORY_TABLE = "apex_schema_history";
    private static final Pattern NON_TRANSACTIONAL = Pattern.compile(
            "(?is)^(?:(?:CREATE|DROP|REINDEX)\\b.*\\bCONCURRENTLY\\b|VACUUM\\b).*");
    private static final Pattern EXTENSION = Pattern.compile(
            "(?is)^CREATE\\s+EXTENSION\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?\"?([A-Za-z0-9_]+)\"?.*");

    private final PostgresSettings settings;
    private final Connection connection;
    private final AdvisoryLock lock;
    private final ScriptSplitter splitter = new ScriptSplitter(ScriptSplitter.Dialect.SQL);
    private final PgDumpBackup pgDump;
    private volatile Runnable beforeStatement = () -> { };

    private PostgresAdapter(PostgresSettings settings, Connection connection, PgDumpBackup pgDump) {
        this.settings = settings;
        this.connection = connection;
        this.pgDump = pgDump;
        this.lock = new AdvisoryLock(connection, settings.schema());
    }

    /** Connects (autocommit) and points the search path at the migrated schema. */
    public static PostgresAdapter connect(PostgresSettings settings) {
        return connect(settings, PgDumpBackup.fromProcessEnvironment());
    }

    /** As {@link #connect(PostgresSettings)}, with backups taken by {@code pgDump} (tests: another PATH). */
    static PostgresAdapter connect(PostgresSettings settings, PgDumpBackup pgDump) {
        Properties props = settings.connectionProperties(java.time.Duration.ofSeconds(10));
        props.setProperty("ApplicationName", truncate("apex-migrator " + RunnerIdentity.current(), 63));
        try {
            Connection c = DriverManager.getConnection(settings.jdbcUrl(), props);
            c.setAutoCommit(true);
            try (var st = c.createStatement()) {
                st.execute("SET search_path TO " + quote(settings.schema()) + ", public");
            }
            return new PostgresAdapter(settings, c, pgDump);
        } catch (SQLException e) {
            throw new SchemaException.StoreUnavailable(Store.POSTGRES, settings.where() + " as " + settings.username(),
                    firstLine(e.getMessage()), e);
        }
    }

    @Override
    public Store store() {
        return Store.POSTGRES;
    }

    @Override
    public StoreLock lock() {
        return lock;
    }

    @Override
    public void prepareHistory() {
        update("CREATE SCHEMA IF NOT EXISTS " + quote(settings.schema()));
        update("CREATE TABLE IF NOT EXISTS " + historyTable() + " (version integer PRIMARY KEY, description text NOT NULL, "
                + "script text NOT NULL, checksum char(64) NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), "
                + "duration_ms bigint NOT NULL, applied_by text NOT NULL)");
    }

    @Override
    public List<AppliedMigration> history() {
        if (!historyExists()) {
            return List.of();
        }
        List<AppliedMigration> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT version, description, script, checksum, "
                + "applied_at, duration_ms, applied_by FROM " + historyTable() + " ORDER BY version");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new AppliedMigration(new Version(rs.getInt(1)), rs.getString(2), rs.getString(3),
                        new Checksum(rs.getString(4).strip()), rs.getTimestamp(5).toInstant(),
                        Duration.ofMillis(rs.getLong(6)), rs.getString(7)));
            }
            return out;
        } catch (SQLException e) {
            throw failure("reading " + HISTORY_TABLE, e);
        }
    }

    @Override
    public void preflight(List<Migration> pending) {
        for (Migration m : pending) {
            for (Statement s : splitter.split(m.script().content())) {
                Matcher ext = EXTENSION.matcher(s.text());
                if (!ext.matches()) {
                    continue;
                }
                String name = ext.group(1);
                String needs = m.script().name() + ":" + s.line() + " needs the PostgreSQL extension '" + name + "'"
                        + ("vector".equals(name) ? " (pgvector)" : "");
                switch (extensionState(name)) {
                    case NOT_PROVIDED -> throw new SchemaException.PreconditionFailed(needs + ", which the server at "
                            + settings.where() + " does not provide. Install it on the server first; nothing was "
                            + "applied.");
                    case NOT_PERMITTED -> throw new SchemaException.PreconditionFailed(needs + ", which the server at "
                            + settings.where() + " provides but role " + settings.username() + " may not create. "
                            + "Have a superuser run CREATE EXTENSION " + name + " in this database first; nothing "
                            + "was applied.");
                    default -> {
                        // installed, or this role can create it
                    }
                }
            }
        }
    }

    @Override
    public List<String> repair(String runId) {
        return new InvalidIndexes(connection, settings.schema()).dropAndRebuild(runId);
    }

    @Override
    public void backup(Path file, String runId) {
        pgDump.run(settings, file, runId);
    }

    @Override
    public AppliedMigration apply(Migration migration, String appliedBy, String runId) {
        long started = System.nanoTime();
        return inScriptTransaction(migration.script(), () -> {
            AppliedMigration record = new AppliedMigration(migration.version(), migration.description(),
                    migration.script().name(), migration.checksum(), java.time.Instant.now(),
                    Duration.ofNanos(System.nanoTime() - started), appliedBy);
            try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + historyTable() + " (version, "
                    + "description, script, checksum, applied_at, duration_ms, applied_by) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setInt(1, record.version().number());
                ps.setString(2, record.description());
                ps.setString(3, record.script());
                ps.setString(4, record.checksum().hex());
                ps.setTimestamp(5, Timestamp.from(record.appliedAt()));
                ps.setLong(6, record.duration().toMillis());
                ps.setString(7, record.appliedBy());
                ps.executeUpdate();
            }
            return record;
        });
    }

    @Override
    public void revert(Migration migration, ScriptFile rollback, String runId) {
        inScriptTransaction(rollback, () -> {
            try (PreparedStatement ps = connection.prepareStatement("DELETE FROM " + historyTable() + " WHERE version = ?")) {
                ps.setInt(1, migration.version().number());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<IndexState> indexes() {
        return new InvalidIndexes(connection, settings.schema()).all();
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            LOGGER.debugf("closing the migration connection failed: %s", e.getMessage());
        }
    }

    /** Test hook: the connection that holds the lock (to observe it). */
    Connection connection() {
        return connection;
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    private <T> T inScriptTransaction(ScriptFile file, SqlWork<T> record) {
        List<Statement> statements = splitter.split(file.content());
        boolean transactional = statements.stream().noneMatch(s -> NON_TRANSACTIONAL.matcher(s.text()).matches());
        try {
            connection.setAutoCommit(!transactional);
            try {
                for (Statement s : statements) {
                    execute(file, s);
                }
                lock.confirm();
                T result = record.run();
                if (transactional) {
                    connection.commit();
                }
                return result;
            } catch (RuntimeException | SQLException e) {
                if (transactional) {
                    rollbackQuietly();
                }
                throw e;
            } finally {
                restoreAutoCommit();
            }
        } catch (SQLException e) {
            throw sessionEnded(e) ? AdvisoryLock.lost(e) : failure("recording " + file.name(), e);
        }
    }

    /**
     * Rolls the script back without hiding the error that stopped it; when even the rollback fails, the connection is
     * closed, so PostgreSQL rolls back and nothing half-done can be committed by a later autocommit.
     */
    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOGGER.debugf("rollback after a failed script: %s; closing the connection", e.getMessage());
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the session is gone already
            }
        }
    }

    private void restoreAutoCommit() {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            LOGGER.debugf("restoring autocommit: %s", e.getMessage());
        }
    }

    /** Test seam: runs before each statement (and its lock check), e.g. to hold a runner between statements. */
    void beforeEachStatement(Runnable hook) {
        this.beforeStatement = hook;
    }

    private void execute(ScriptFile file, Statement s) {
        beforeStatement.run();
        lock.confirm();
        try (var st = connection.createStatement()) {
            st.execute(s.text());
        } catch (SQLException e) {
            if (sessionEnded(e)) {
                throw AdvisoryLock.lost(e);
            }
            int line = s.line();
            String reason = firstLine(e.getMessage());
            if (e instanceof PSQLException pe && pe.getServerErrorMessage() != null) {
                ServerErrorMessage m = pe.getServerErrorMessage();
                line = m.getPosition() > 0 ? s.lineOfPosition(m.getPosition()) : line;
                reason = m.getMessage() + " (SQLSTATE " + m.getSQLState() + ")"
                        + (m.getDetail() != null ? "; " + m.getDetail() : "")
                        + (m.getHint() != null ? "; hint: " + m.getHint() : "");
            }
            throw new SchemaException.ScriptFailed(file.name(), line, reason, e);
        }
    }

    /**
     * Whether a statement failed because its session (and with it the advisory lock) is gone: terminated
     * ({@code 57P01}), a server shutting down, or a connection error (class 08), or the connection closed.
     */
    private boolean sessionEnded(SQLException e) {
        String state = e.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P0"))) {
            return true;
        }
        try {
            return connection.isClosed();
        } catch (SQLException closed) {
            return true;
        }
    }

    enum ExtensionState { INSTALLED, CREATABLE, NOT_PERMITTED, NOT_PROVIDED }

    /**
     * Whether {@code CREATE EXTENSION name} can succeed for this role: installed in the database already, or its
     * files are on the server and the role may create it (a superuser; or, for a trusted extension, a role with
     * CREATE on the database).
     */
    private ExtensionState extensionState(String name) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT "
                + "EXISTS (SELECT 1 FROM pg_extension WHERE extname = ?), "
                + "EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = ?), "
                + "EXISTS (SELECT 1 FROM pg_available_extension_versions v JOIN pg_available_extensions a "
                + "ON a.name = v.name AND a.default_version = v.version WHERE v.name = ? AND ("
                + "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user) "
                + "OR (v.trusted AND has_database_privilege(current_database(), 'CREATE'))))")) {
            ps.setString(1, name);
            ps.setString(2, name);
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return ExtensionState.INSTALLED;
                }
                if (!rs.getBoolean(2)) {
                    return ExtensionState.NOT_PROVIDED;
                }
                return rs.getBoolean(3) ? ExtensionState.CREATABLE : ExtensionState.NOT_PERMITTED;
            }
        } catch (SQLException e) {
            throw failure("checking extension " + name, e);
        }
    }

    private boolean historyExists() {
        try (PreparedStatement ps = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, historyTable());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw failure("looking for " + HISTORY_TABLE, e);
        }
    }

    private void update(String sql) {
        try (var st = connection.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    private String historyTable() {
        return quote(settings.schema()) + "." + HISTORY_TABLE;
    }

    private SchemaException failure(String what, SQLException e) {
        return new SchemaException.StoreFailed(Store.POSTGRES, settings.where(), what + " failed: "
                + firstLine(e.getMessage()), e);
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
