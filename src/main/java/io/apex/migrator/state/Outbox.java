package io.apex.migrator.state;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The events table as a transactional outbox: rows are inserted in the transaction of the state change they report
 * ({@link #insert}), and {@link #relay} hands the pending ones, oldest first, to a sender and marks each sent only
 * after the sender returned (Kafka acknowledged). One relay at a time across all replicas (a transaction-scoped
 * advisory lock), so rows leave in the order they were recorded.
 */
@ApplicationScoped
public class Outbox {

    /** First key of the relay's two-key advisory lock ("apev"); the command claims use another first key. */
    private static final int RELAY_LOCK = 0x61706576;

    private final RunStore runStore;

    @Inject
    public Outbox(RunStore runStore) {
        this.runStore = runStore;
    }

    /** Sends one pending event; returns only once Kafka acknowledged it, throws otherwise. */
    @FunctionalInterface
    public interface Sender {
        void send(PendingEvent event);
    }

    /** What one relay round did. */
    public record Round(int sent, boolean more, boolean lockHeldElsewhere, RuntimeException failure) {
    }

    /** Inserts the events in the caller's transaction; a once-keyed event recorded before is skipped (false). */
    static boolean insert(Connection c, OutboxEvent e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + RunStoreSchema.NAME + ".events (id, run_id, command_id, type, "
                + "once_key, data) VALUES (?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING")) {
            ps.setObject(1, e.id());
            ps.setObject(2, e.runId());
            ps.setString(3, e.commandId());
            ps.setString(4, e.type());
            ps.setString(5, e.onceKey());
            ps.setString(6, e.dataJson());
            return ps.executeUpdate() == 1;
        }
    }

    /** Records events in a transaction of their own; true for each one recorded now (not before). */
    public List<Boolean> record(List<OutboxEvent> events) {
        return runStore.inTransaction("recording events", c -> {
            List<Boolean> recorded = new ArrayList<>();
            for (OutboxEvent e : events) {
                recorded.add(insert(c, e));
            }
            return recorded;
        });
    }

    /** Sends up to {@code limit} pending events in order; stops at the first one the sender could not send. */
    public Round relay(int limit, Sender sender) {
        return runStore.inTransaction("relaying events", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?, 0)")) {
                ps.setInt(1, RELAY_LOCK);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        return new Round(0, false, true, null);
                    }
                }
            }
            List<PendingEvent> pending = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, id, run_id, command_id, type, data::text, "
                    + "created_at FROM " + RunStoreSchema.NAME + ".events WHERE sent_at IS NULL ORDER BY seq LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        pending.add(new PendingEvent(rs.getLong(1), (java.util.UUID) rs.getObject(2),
                                (java.util.UUID) rs.getObject(3), rs.getString(4), rs.getString(5), rs.getString(6),
                                rs.getTimestamp(7).toInstant()));
                    }
                }
            }
            int sent = 0;
            try (PreparedStatement mark = c.prepareStatement("UPDATE " + RunStoreSchema.NAME + ".events SET sent_at = now() "
                    + "WHERE id = ?")) {
                for (PendingEvent e : pending) {
                    try {
                        sender.send(e);
                    } catch (RuntimeException failure) {
                        return new Round(sent, true, false, failure);
                    }
                    mark.setObject(1, e.id());
                    mark.executeUpdate();
                    sent++;
                }
            }
            return new Round(sent, pending.size() == limit, false, null);
        });
    }

    /** Events recorded and not yet acknowledged by Kafka. */
    public long pendingCount() {
        return runStore.queryList("counting unsent events", "SELECT count(*) FROM " + RunStoreSchema.NAME + ".events "
                + "WHERE sent_at IS NULL", ps -> { }, rs -> rs.getLong(1)).get(0);
    }
}
