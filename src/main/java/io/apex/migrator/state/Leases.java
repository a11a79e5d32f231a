package io.apex.migrator.state;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;

/**
 * Who drives a run (or a schema job) right now: an owner and a lease expiry on the database clock. A replica takes
 * the lease before it works on the run and lets it go after; while it works, the lease is renewed. A replica that
 * dies stops renewing, its lease expires, and any other replica's reconciler takes the run over from its stored
 * state. A replica that finds the lease held by a live one sets the run's wake flag instead: the holder then drives
 * once more before it lets go, so no change is left unattended.
 */
@ApplicationScoped
public class Leases {

    /** What can be leased: its table, key column and the condition of a row still worth driving. */
    public enum Kind {
        RUN(RunStoreSchema.NAME + ".runs", "id", "state NOT IN ('completed', 'failed', 'cancelled')", "updated_at"),
        SCHEMA_JOB(RunStoreSchema.NAME + ".schema_jobs", "command_id", "state IN ('pending', 'running')", "created_at"),
        // a release waiting for its manual cutover needs no driver until asked
        RELEASE(RunStoreSchema.NAME + ".releases", "id", "state NOT IN ('completed', 'failed', 'cancelled', 'rolled-back', "
                + "'ready-for-cutover')", "updated_at");

        private final String table;
        private final String key;
        private final String active;
        private final String changedAt;

        Kind(String table, String key, String active, String changedAt) {
            this.table = table;
            this.key = key;
            this.active = active;
            this.changedAt = changedAt;
        }
    }

    private final RunStore runStore;

    @Inject
    public Leases(RunStore runStore) {
        this.runStore = runStore;
    }

    /** Takes the lease if it is free, expired or already ours; true when this owner holds it now. */
    public boolean acquire(Kind kind, Object key, String owner, Duration lease) {
        return runStore.update("taking the lease of " + key, "UPDATE " + kind.table + " SET owner = ?, lease_expires_at = "
                + "now() + ? * interval '1 millisecond', wake = false WHERE " + kind.key + " = ? AND " + kind.active
                + " AND (owner IS NULL OR owner = ? OR lease_expires_at < now())", ps -> {
                    ps.setString(1, owner);
                    ps.setLong(2, lease.toMillis());
                    ps.setObject(3, key);
                    ps.setString(4, owner);
                }) == 1;
    }

    /** Asks the live holder of the lease to drive once more; false when no one else holds it (try to take it). */
    public boolean wakeHolder(Kind kind, Object key, String owner) {
        return runStore.update("waking the driver of " + key, "UPDATE " + kind.table + " SET wake = true WHERE "
                + kind.key + " = ? AND " + kind.active + " AND owner IS NOT NULL AND owner <> ? "
                + "AND lease_expires_at >= now()", ps -> {
                    ps.setObject(1, key);
                    ps.setString(2, owner);
                }) == 1;
    }

    /**
     * Lets the lease go; false when someone asked for another round meanwhile (the flag is cleared and the lease
     * kept: drive again, then release again).
     */
    public boolean release(Kind kind, Object key, String owner) {
        int released = runStore.update("releasing the lease of " + key, "UPDATE " + kind.table + " SET owner = NULL, "
                + "lease_expires_at = NULL WHERE " + kind.key + " = ? AND owner = ? AND NOT wake", ps -> {
                    ps.setObject(1, key);
                    ps.setString(2, owner);
                });
        if (released == 1) {
            return true;
        }
        return runStore.update("answering a wake-up of " + key, "UPDATE " + kind.table + " SET wake = false WHERE "
                + kind.key + " = ? AND owner = ? AND wake", ps -> {
                    ps.setObject(1, key);
                    ps.setString(2, owner);
                }) == 0;
    }

    /** Extends the leases this owner holds; returns how many it still held. */
    public int renew(Kind kind, List<?> keys, String owner, Duration lease) {
        if (keys.isEmpty()) {
            return 0;
        }
        return runStore.update("renewing leases", "UPDATE " + kind.table + " SET lease_expires_at = now() + ? * interval "
                + "'1 millisecond' WHERE " + kind.key + "::text = ANY (?) AND owner = ?", ps -> {
                    ps.setLong(1, lease.toMillis());
                    ps.setArray(2, ps.getConnection().createArrayOf("text",
                            keys.stream().map(String::valueOf).toArray()));
                    ps.setString(3, owner);
                });
    }

    /** Whether this owner still holds the lease (checked right before a step that must not run twice). */
    public boolean holds(Kind kind, Object key, String owner) {
        return !runStore.queryList("reading the lease of " + key, "SELECT 1 FROM " + kind.table + " WHERE " + kind.key
                + " = ? AND owner = ? AND lease_expires_at >= now()", ps -> {
                    ps.setObject(1, key);
                    ps.setString(2, owner);
                }, rs -> true).isEmpty();
    }

    /**
     * Active rows nobody drives (oldest first): the lease has expired, or it is free and the row has not changed for
     * {@code idleFor} (a run whose replica died between a change and taking the lease; a run that waits). A run that
     * moves is left to the replicas moving it.
     */
    public List<Object> unattended(Kind kind, int limit, Duration idleFor) {
        return runStore.queryList("finding unattended work", "SELECT " + kind.key + " FROM " + kind.table + " WHERE "
                + kind.active + " AND (lease_expires_at < now() OR (owner IS NULL AND " + kind.changedAt
                + " < now() - ? * interval '1 millisecond')) ORDER BY created_at LIMIT ?", ps -> {
                    ps.setLong(1, idleFor.toMillis());
                    ps.setInt(2, limit);
                }, rs -> rs.getObject(1));
    }
}
