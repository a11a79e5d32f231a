package io.apex.migrator.schema.postgres;

import io.apex.migrator.schema.SchemaException;
import io.apex.migrator.schema.Store;
import io.apex.migrator.schema.StoreLock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A session-level advisory lock per migrated schema, tried with {@code pg_try_advisory_lock} on an autocommit
 * connection so a waiting runner never holds a transaction open (which would block the holder's
 * {@code CREATE INDEX CONCURRENTLY}). It is released explicitly, or by PostgreSQL when the session ends.
 *
 * <p>The lock lives and dies with the session that also runs the scripts: a session that ends (terminated by an
 * administrator, a server restart, a network cut) takes the lock with it and cannot run another statement, and the
 * driver never reconnects it. {@link #confirm()} asks the server before every statement that this session still
 * holds the lock, so the runner stops with {@link SchemaException.LockLost} instead of an I/O error.
 */
final class AdvisoryLock implements StoreLock {

    private final Connection connection;
    private final long key;

    AdvisoryLock(Connection connection, String schema) {
        this.connection = connection;
        this.key = keyOf("apex-migrator:" + schema);
    }

    @Override
    public boolean tryAcquire() {
        return queryBoolean("SELECT pg_try_advisory_lock(?)");
    }

    @Override
    public void release() {
        queryBoolean("SELECT pg_advisory_unlock(?)");
    }

    @Override
    public void confirm() {
        try (PreparedStatement ps = connection.prepareStatement("SELECT count(*) FROM pg_locks WHERE locktype = "
                + "'advisory' AND granted AND pid = pg_backend_pid() AND classid::bigint = ? AND objid::bigint = ? "
                + "AND objsubid = 1")) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xffffffffL);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    throw new SchemaException.LockLost(Store.POSTGRES, "this session no longer holds it", null);
                }
            }
        } catch (SQLException e) {
            throw lost(e);
        }
    }

    /** The lock lost with its session: the failure {@code e} of a statement or of the check. */
    static SchemaException.LockLost lost(SQLException e) {
        return new SchemaException.LockLost(Store.POSTGRES, "the session holding it ended: "
                + (e.getMessage() == null ? e.getSQLState() : e.getMessage().lines().findFirst().orElse("")), e);
    }

    @Override
    public String holder() {
        String sql = "SELECT a.pid, a.application_name, a.client_addr, a.backend_start FROM pg_locks l "
                + "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                + "AND l.classid::bigint = ? AND l.objid::bigint = ? AND l.objsubid = 1";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xffffffffL);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return "backend pid " + rs.getInt(1) + ", application '" + rs.getString(2) + "', client "
                            + rs.getString(3) + ", connected since " + rs.getTimestamp(4).toInstant();
                }
                return "a session that has since released it";
            }
        } catch (SQLException e) {
            return "advisory lock key " + key;
        }
    }

    long key() {
        return key;
    }

    private boolean queryBoolean(String sql) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("advisory lock query failed: " + e.getMessage(), e);
        }
    }

    private static long keyOf(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
