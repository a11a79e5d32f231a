package io.apex.migrator.state;

import io.apex.migrator.api.BatchKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * What workers do with a range between its plan and its report, kept for the dashboard's range map and workers
 * panel (columns of {@code db/runstore/V9__range_activity.sql}): an attempt failed, it went to the dead-letter
 * topic. (That a worker took it is recorded by its look-up of the run, {@link RunStore#findRunTakingRanges}.)
 * Observations only: each is written once, without the run store's retries, and a failure to write one is logged
 * and ignored, so watching a run never holds or fails its copy. Only a range that has not reported yet is touched
 * (a redelivered task of a finished range changes nothing).
 */
@ApplicationScoped
public class RangeActivity {

    private static final Logger LOGGER = Logger.getLogger(RangeActivity.class);

    private final RunStore runStore;

    @Inject
    public RangeActivity(RunStore runStore) {
        this.runStore = runStore;
    }

    /** An attempt on the range failed with {@code error}; the worker tries again. */
    public void attemptFailed(UUID runId, BatchKind kind, int batchIndex, Integer pass, String error) {
        observe("recording a failed attempt", "failed_attempts = failed_attempts + 1, last_error = ?, "
                + "updated_at = now()", runId, kind, batchIndex, pass, error);
    }

    /** The range failed for good and its task goes to the dead-letter topic. */
    public void deadLettered(UUID runId, BatchKind kind, int batchIndex, Integer pass, String reason) {
        observe("recording a dead-lettered range", "dead_lettered = true, last_error = ?, updated_at = now()",
                runId, kind, batchIndex, pass, reason);
    }

    private void observe(String operation, String set, UUID runId, BatchKind kind, int batchIndex, Integer pass,
            String value) {
        try {
            runStore.updateOnce(operation, "UPDATE " + RunStoreSchema.NAME + ".batches SET " + set
                    + " WHERE run_id = ? AND kind = ? AND batch_index = ? AND state = 'pending'"
                    + (pass == null ? "" : " AND pass = ?"), ps -> {
                        ps.setString(1, value);
                        ps.setObject(2, runId);
                        ps.setString(3, kind.wireName());
                        ps.setInt(4, batchIndex);
                        if (pass != null) {
                            ps.setInt(5, pass);
                        }
                    });
        } catch (RuntimeException e) {
            LOGGER.debugf("run %s: range %s: %s not recorded (%s)", runId, batchIndex, operation, e.getMessage());
        }
    }
}
