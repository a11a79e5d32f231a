package io.apex.migrator.state;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;

/**
 * How many captured writes the workers applied to each run's target (column {@code runs.captured_writes}): what
 * the verification report sets beside the points its checksums repaired, and how a run tells whether writes reach
 * it through the capture at all.
 */
@ApplicationScoped
public class CapturedWrites {

    private final RunStore runStore;

    @Inject
    public CapturedWrites(RunStore runStore) {
        this.runStore = runStore;
    }

    /**
     * Adds applied captures to their runs, in one transaction. A statistic, not a ledger: a retry after a commit
     * whose acknowledgement was lost would count a batch twice.
     */
    public void add(Map<UUID, Long> applied) {
        if (applied.isEmpty()) {
            return;
        }
        runStore.inTransaction("counting applied captures", c -> {
            try (var ps = c.prepareStatement("UPDATE " + RunStoreSchema.NAME + ".runs SET captured_writes = captured_writes + ? "
                    + "WHERE id = ?")) {
                // in one order, so two appliers adding to the same runs never wait for each other crosswise
                for (Map.Entry<UUID, Long> e : new java.util.TreeMap<>(applied).entrySet()) {
                    ps.setLong(1, e.getValue());
                    ps.setObject(2, e.getKey());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Captured writes applied to the run's target so far (as last added; an applier adds about once a second). */
    public long of(UUID runId) {
        return runStore.queryList("reading applied captures", "SELECT captured_writes FROM " + RunStoreSchema.NAME + ".runs "
                + "WHERE id = ?", ps -> ps.setObject(1, runId), rs -> rs.getLong(1)).stream().findFirst().orElse(0L);
    }
}
