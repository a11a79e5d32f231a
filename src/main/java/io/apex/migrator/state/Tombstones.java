package io.apex.migrator.state;

import io.apex.migrator.api.PointKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * What the capture stream removed from (or changed by filter in) a run's target, for the backfill to check after
 * each insert-only page: a page read before such an entry may carry a point the stream has since deleted, and
 * insert-only would bring it back. Entries are written under the run's advisory lock, so their sequence numbers are
 * in commit order: an entry not visible when a reader took its {@link #horizon} always gets a number above it.
 */
@ApplicationScoped
public class Tombstones {

    /** Upper half of the advisory lock key space, apart from the run store's own locks. */
    private static final String LOCK = "pg_advisory_xact_lock(hashtextextended(?::text, 20))";
    private static final String SHARED_LOCK = "pg_advisory_xact_lock_shared(hashtextextended(?::text, 20))";

    private final RunStore runStore;

    @Inject
    public Tombstones(RunStore runStore) {
        this.runStore = runStore;
    }

    /**
     * What a page must re-sync: every point when a write by filter came after its horizon, else these ids; and
     * {@code horizon}, the run's highest entry when the check ran, a valid horizon for any page read after it.
     */
    public record Touched(boolean byFilter, Set<PointKey> points, long horizon) {

        public boolean none() {
            return !byFilter && points.isEmpty();
        }
    }

    /** The highest entry of the run now: take it BEFORE reading the source. */
    public long horizon(UUID runId) {
        return runStore.inTransaction("reading the tombstone horizon", c -> {
            lockShared(c, runId);
            return highest(c, runId);
        });
    }

    /** Records that the stream deletes these points from the target: call BEFORE the delete is sent. */
    public void recordDeleted(UUID runId, Collection<PointKey> points) {
        if (!points.isEmpty()) {
            record(runId, points.stream().map(PointKey::text).toArray(String[]::new));
        }
    }

    /** Records that a write by filter is applied to the target: call BEFORE it is sent. */
    public void recordFilterWrite(UUID runId) {
        record(runId, new String[] {null});
    }

    /**
     * Entries after {@code horizon} that concern {@code points} (or any write by filter), and the run's highest entry
     * now, read in the same transaction under the shared lock: the check of one page is also the horizon of the next
     * (one transaction per page instead of two). When nothing was recorded after {@code horizon} (a collection
     * without deletes during the copy: the common case) the points are not sent: under the shared lock no entry can
     * be committed between the two statements.
     */
    public Touched since(UUID runId, long horizon, Collection<PointKey> points) {
        return runStore.inTransaction("reading tombstones", c -> {
            lockShared(c, runId);
            long highest = highest(c, runId);
            if (highest <= horizon) {
                return new Touched(false, Set.of(), horizon);
            }
            boolean byFilter = false;
            Set<PointKey> touched = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT point_key FROM " + RunStoreSchema.NAME
                    + ".live_tombstones WHERE run_id = ? AND seq > ? AND (point_key IS NULL OR point_key = ANY (?))")) {
                ps.setObject(1, runId);
                ps.setLong(2, horizon);
                ps.setArray(3, c.createArrayOf("text", points.stream().map(PointKey::text).distinct().toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String key = rs.getString(1);
                        if (key == null) {
                            byFilter = true;
                        } else {
                            touched.add(PointKey.parse(key));
                        }
                    }
                }
            }
            return new Touched(byFilter, touched, highest);
        });
    }

    private static void lockShared(Connection c, UUID runId) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT " + SHARED_LOCK)) {
            lock.setString(1, runId.toString());
            lock.execute();
        }
    }

    private static long highest(Connection c, UUID runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(max(seq), 0) FROM " + RunStoreSchema.NAME + ".live_tombstones WHERE run_id = ?")) {
            ps.setObject(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void record(UUID runId, String[] keys) {
        runStore.inTransaction("recording tombstones", c -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT " + LOCK)) {
                lock.setString(1, runId.toString());
                lock.execute();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + RunStoreSchema.NAME + ".live_tombstones (run_id, point_key) "
                    + "SELECT ?, k FROM unnest(?::text[]) AS k")) {
                ps.setObject(1, runId);
                ps.setArray(2, c.createArrayOf("text", keys));
                ps.executeUpdate();
            }
            return null;
        });
    }
}
