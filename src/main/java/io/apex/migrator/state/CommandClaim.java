package io.apex.migrator.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The exclusive right to handle one command, so that exactly one coordinator plans and dispatches it even when
 * Kafka hands the same command to two of them (a rebalance of the commands partition while it is handled gives it
 * to a second coordinator from the last committed offset). Held as a PostgreSQL session advisory lock on a
 * connection of its own, for as long as the command is handled: a second coordinator waits for it, then reads the
 * run again and finds it dispatched. A coordinator that dies (crash, SIGKILL, halt) closes its connection and
 * PostgreSQL drops the lock with the session, so the next one takes over from the stored plan; no lease to expire.
 */
public final class CommandClaim implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(CommandClaim.class);
    /**
     * First key of the two-key advisory lock space ("apcm"); the schema lock uses the one-key space, which the
     * two-key one never overlaps. The second key is the command id's hash: a collision only makes two commands
     * wait for each other.
     */
    static final int NAMESPACE = 0x6170636d;
    /** How long one wait for the lock lasts before it is logged and begun again. */
    private static final String WAIT_ROUND = "10s";
    /** SQLSTATE lock_not_available: the round's lock_timeout ran out. */
    private static final String LOCK_TIMEOUT = "55P03";

    private final Connection connection;
    private final String commandId;

    private CommandClaim(Connection connection, String commandId) {
        this.connection = connection;
        this.commandId = commandId;
    }

    /** The second key of a command's lock (the first is {@link #NAMESPACE}); public for tests that watch pg_locks. */
    public static int key(String commandId) {
        return commandId.hashCode();
    }

    /** Blocks until this session holds the command's lock. */
    static CommandClaim acquire(DataSource dataSource, String commandId) {
        Connection c = null;
        try {
            c = dataSource.getConnection();
            long started = System.nanoTime();
            while (!tryRound(c, commandId)) {
                LOGGER.infof("command %s is being handled by another coordinator; waiting for it (%s s so far)",
                        commandId, (System.nanoTime() - started) / 1_000_000_000L);
            }
            return new CommandClaim(c, commandId);
        } catch (SQLException e) {
            closeQuietly(c);
            throw new RunStoreException("claiming command " + commandId, e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** Takes the command's lock only if it is free at once (a reconciler never waits for a live coordinator). */
    static java.util.Optional<CommandClaim> tryAcquire(DataSource dataSource, String commandId) {
        Connection c = null;
        try {
            c = dataSource.getConnection();
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
                lock.setInt(1, NAMESPACE);
                lock.setInt(2, key(commandId));
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        closeQuietly(c);
                        return java.util.Optional.empty();
                    }
                }
            }
            return java.util.Optional.of(new CommandClaim(c, commandId));
        } catch (SQLException e) {
            closeQuietly(c);
            throw new RunStoreException("claiming command " + commandId, e);
        }
    }

    /**
     * One bounded wait (a blocking {@code pg_advisory_lock}, which shows as a waiting lock in {@code pg_locks}, under
     * a transaction-local {@code lock_timeout}, so the pooled connection keeps its settings); the session-level lock
     * outlives the transaction.
     */
    private static boolean tryRound(Connection c, String commandId) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement(); PreparedStatement lock = c.prepareStatement(
                "SELECT pg_advisory_lock(?, ?)")) {
            s.execute("SET LOCAL lock_timeout = '" + WAIT_ROUND + "'");
            lock.setInt(1, NAMESPACE);
            lock.setInt(2, key(commandId));
            lock.execute();
            c.commit();
            return true;
        } catch (SQLException e) {
            c.rollback();
            if (LOCK_TIMEOUT.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * Fails unless the lock is still this session's: a connection lost meanwhile (run store restart) lost the lock
     * with it, and another coordinator may have taken the command. Called before the tasks are handed over; the
     * failure is an unreachable store, so the command is held and handled again under a new claim.
     */
    public void confirm() {
        try (PreparedStatement ps = connection.prepareStatement("SELECT count(*) FROM pg_locks WHERE locktype = "
                + "'advisory' AND pid = pg_backend_pid() AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 2 AND granted")) {
            ps.setLong(1, Integer.toUnsignedLong(NAMESPACE));
            ps.setLong(2, Integer.toUnsignedLong(key(commandId)));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    throw new SQLException("the advisory lock of the command is no longer held", "08003");
                }
            }
        } catch (SQLException e) {
            throw new RunStoreException("confirming the claim of command " + commandId, e);
        }
    }

    /** Gives the lock up; a connection that cannot say so is dropped rather than pooled with the lock held. */
    @Override
    public void close() {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            ps.setInt(1, NAMESPACE);
            ps.setInt(2, key(commandId));
            ps.execute();
        } catch (SQLException e) {
            LOGGER.warnf("command %s: releasing its claim failed (%s); dropping the connection", commandId,
                    e.getMessage());
            try {
                connection.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
                // the session is gone or going: PostgreSQL drops the lock with it
            }
        } finally {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOGGER.debugf("closing a claim connection: %s", e.getMessage());
            }
        }
    }
}
