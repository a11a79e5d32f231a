package io.apex.migrator.state;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The run store's side of the cutover hold, shared by the proxy replicas and the run's driver: which replicas are
 * alive (heartbeats), which runs hold their writes now (epoch, set by the driver), which replicas hold them (acks,
 * with the waits of their held writes once released), and whether a run's swap is under way (from then on the
 * workers apply no capture of it: the alias may already serve the target, and a re-sync from the source would undo
 * a newer write made through it).
 */
@ApplicationScoped
public class ProxyHolds {

    private final RunStore runStore;

    @Inject
    public ProxyHolds(RunStore runStore) {
        this.runStore = runStore;
    }

    /** A run whose writes the proxies must hold now. */
    public record Hold(UUID runId, int epoch, String source, String alias, String target) {
    }

    /** Where a run stands, for the proxy releasing its held writes and for the worker applying its captures. */
    public record RunTarget(UUID runId, RunState state, String source, String alias, String target, String holdState) {

        /** The swap is under way or done: captures are no longer applied (the alias may serve the target). */
        public boolean swapping() {
            return "swapping".equals(holdState);
        }
    }

    /** How long a replica's held writes waited, reported once the hold is released. */
    public record HeldWrites(int count, double p50Ms, double p99Ms, double maxMs) {
    }

    public void heartbeat(String replica) {
        runStore.update("recording a proxy heartbeat", "INSERT INTO " + RunStoreSchema.NAME + ".proxy_replicas (id) VALUES (?) "
                + "ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()", ps -> ps.setString(1, replica));
    }

    public void leave(String replica) {
        runStore.update("removing a proxy replica", "DELETE FROM " + RunStoreSchema.NAME + ".proxy_replicas WHERE id = ?",
                ps -> ps.setString(1, replica));
    }

    /** Replicas whose last heartbeat is more recent than {@code expiry}. */
    public Set<String> liveReplicas(Duration expiry) {
        return Set.copyOf(runStore.queryList("reading proxy replicas", "SELECT id FROM " + RunStoreSchema.NAME + ".proxy_replicas "
                + "WHERE heartbeat_at > now() - ? * interval '1 millisecond'", ps -> ps.setLong(1, expiry.toMillis()),
                rs -> rs.getString(1)));
    }

    /** Active runs this replica has not yet said it captures (epoch 0 of the holds: the capture barrier). */
    public List<UUID> unacknowledgedRuns(String replica) {
        return runStore.queryList("reading new runs", "SELECT r.id FROM " + RunStoreSchema.NAME + ".runs r WHERE r.state NOT IN "
                + "('completed', 'failed', 'cancelled') AND NOT EXISTS (SELECT 1 FROM " + RunStoreSchema.NAME + ".proxy_holds h "
                + "WHERE h.run_id = r.id AND h.epoch = 0 AND h.replica = ?)", ps -> ps.setString(1, replica),
                rs -> (UUID) rs.getObject(1));
    }

    /** The runs whose writes are held now (holding, or swapping the alias). */
    public List<Hold> holding() {
        return runStore.queryList("reading held runs", "SELECT id, hold_epoch, source, alias, target FROM "
                + RunStoreSchema.NAME + ".runs WHERE hold_state IN ('holding', 'swapping') AND state NOT IN ('completed', 'failed', 'cancelled')",
                ps -> { }, rs -> new Hold((UUID) rs.getObject(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)));
    }

    public Optional<RunTarget> target(UUID runId) {
        return runStore.queryList("reading a run's target", "SELECT id, state, source, alias, target, hold_state FROM "
                + RunStoreSchema.NAME + ".runs WHERE id = ?", ps -> ps.setObject(1, runId),
                rs -> new RunTarget((UUID) rs.getObject(1), RunState.fromDb(rs.getString(2)), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6))).stream().findFirst();
    }

    /** A replica holds the run's writes of this epoch and has none of them in flight. */
    public void ack(UUID runId, int epoch, String replica) {
        runStore.update("acknowledging a hold", "INSERT INTO " + RunStoreSchema.NAME + ".proxy_holds (run_id, epoch, replica) "
                + "VALUES (?, ?, ?) ON CONFLICT DO NOTHING", ps -> {
                    ps.setObject(1, runId);
                    ps.setInt(2, epoch);
                    ps.setString(3, replica);
                });
    }

    public Set<String> acks(UUID runId, int epoch) {
        return runStore.queryList("reading hold acks", "SELECT replica FROM " + RunStoreSchema.NAME + ".proxy_holds WHERE run_id = ? "
                + "AND epoch = ?", ps -> {
                    ps.setObject(1, runId);
                    ps.setInt(2, epoch);
                }, rs -> rs.getString(1)).stream().collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Records how long this replica's held writes waited, in its hold row and in the run's summary
     * ({@code heldWrites.<replica>}: count, p50/p99/max in ms), where {@code status} and the dashboard show it.
     */
    public void reportHeld(UUID runId, int epoch, String replica, HeldWrites held) {
        runStore.update("reporting held writes", "UPDATE " + RunStoreSchema.NAME + ".proxy_holds SET held_writes = ?, p50_ms = ?, "
                + "p99_ms = ?, max_ms = ? WHERE run_id = ? AND epoch = ? AND replica = ?", ps -> {
                    ps.setInt(1, held.count());
                    ps.setDouble(2, held.p50Ms());
                    ps.setDouble(3, held.p99Ms());
                    ps.setDouble(4, held.maxMs());
                    ps.setObject(5, runId);
                    ps.setInt(6, epoch);
                    ps.setString(7, replica);
                });
        runStore.update("reporting held writes", "UPDATE " + RunStoreSchema.NAME + ".runs SET summary = jsonb_set(coalesce(summary, "
                + "'{}'::jsonb) || jsonb_build_object('heldWrites', coalesce(summary->'heldWrites', '{}'::jsonb)), "
                + "ARRAY['heldWrites', ?], jsonb_build_object('epoch', ?, 'writes', ?, 'p50Ms', ?, 'p99Ms', ?, "
                + "'maxMs', ?)) WHERE id = ?", ps -> {
                    ps.setString(1, replica);
                    ps.setInt(2, epoch);
                    ps.setInt(3, held.count());
                    ps.setDouble(4, Math.round(held.p50Ms() * 10) / 10.0);
                    ps.setDouble(5, Math.round(held.p99Ms() * 10) / 10.0);
                    ps.setDouble(6, Math.round(held.maxMs() * 10) / 10.0);
                    ps.setObject(7, runId);
                });
    }

    /** The held writes the replicas reported for a run's hold epoch. */
    public List<HeldWrites> heldWrites(UUID runId, int epoch) {
        return runStore.queryList("reading held writes", "SELECT held_writes, p50_ms, p99_ms, max_ms FROM "
                + RunStoreSchema.NAME + ".proxy_holds WHERE run_id = ? AND epoch = ? AND held_writes IS NOT NULL", ps -> {
                    ps.setObject(1, runId);
                    ps.setInt(2, epoch);
                }, rs -> new HeldWrites(rs.getInt(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)));
    }

    /** Starts a new hold epoch of a cutting-over run; empty when the run is not cutting over. */
    public Optional<Integer> startHold(UUID runId) {
        return runStore.queryList("starting a hold", "UPDATE " + RunStoreSchema.NAME + ".runs SET hold_epoch = hold_epoch + 1, "
                + "hold_state = 'holding', hold_started_at = now() WHERE id = ? AND state = 'cutting-over' "
                + "RETURNING hold_epoch", ps -> ps.setObject(1, runId), rs -> rs.getInt(1)).stream().findFirst();
    }

    /** From now on the run's captures are not applied: the alias is about to serve the target. */
    public boolean markSwapping(UUID runId, int epoch) {
        return runStore.update("marking a swap", "UPDATE " + RunStoreSchema.NAME + ".runs SET hold_state = 'swapping' WHERE id = ? "
                + "AND hold_epoch = ? AND hold_state = 'holding'", ps -> {
                    ps.setObject(1, runId);
                    ps.setInt(2, epoch);
                }) == 1;
    }

    /** Ends the hold (the proxies release the run's writes); {@code swapping} is cleared too when the swap failed. */
    public void release(UUID runId) {
        runStore.update("releasing a hold", "UPDATE " + RunStoreSchema.NAME + ".runs SET hold_state = NULL WHERE id = ?",
                ps -> ps.setObject(1, runId));
    }

    /** Whether a run's last hold reached the swap (a driver that died there left it so). */
    public boolean wasSwapping(UUID runId) {
        return target(runId).map(RunTarget::swapping).orElse(false);
    }
}
