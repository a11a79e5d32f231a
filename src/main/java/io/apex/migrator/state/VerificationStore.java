package io.apex.migrator.state;

import io.apex.migrator.api.BatchProgress;
import io.apex.migrator.api.Messages;
import io.apex.migrator.api.PointKey;
import io.apex.migrator.api.PointRange;
import io.apex.migrator.api.RangeVerification;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The run store's part for verification (tables of {@code db/runstore/V2__verification.sql}): passes, the
 * verify row of every range and what its task reported, the run's report and its cutover request. Like the
 * rest of the run store, every change is conditional: a pass starts once, a report counts once and only for
 * its own pass, a pass closes once.
 */
@ApplicationScoped
public class VerificationStore {

    private final RunStore runStore;

    @Inject
    public VerificationStore(RunStore runStore) {
        this.runStore = runStore;
    }

    /** A verify row: the range and what its task reported in the current pass (null while pending). */
    public record RangeResult(int batchIndex, PointRange range, String state, RangeVerification verification) {
    }

    /** One pass of a run. */
    public record Pass(int pass, boolean firstOfRound, Instant startedAt, Instant closedAt, String summaryJson,
            Long updatedCopied, Instant dispatchedAt) {
    }

    /**
     * Starts pass {@code pass}: every range gets a pending verify row of that pass. True for the one caller
     * that started it; false when it was started before.
     */
    public boolean startPass(UUID runId, int pass, boolean firstOfRound) {
        return runStore.inTransaction("starting verification pass " + pass, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + RunStoreSchema.NAME + ".verify_passes (run_id, pass, "
                    + "first_of_round) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setObject(1, runId);
                ps.setInt(2, pass);
                ps.setBoolean(3, firstOfRound);
                if (ps.executeUpdate() == 0) {
                    c.rollback();
                    return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + RunStoreSchema.NAME + ".batches (run_id, kind, batch_index, "
                    + "start_id, end_id, pass) SELECT run_id, 'verify', batch_index, start_id, end_id, ? FROM "
                    + RunStoreSchema.NAME + ".batches WHERE run_id = ? AND kind = 'copy' ON CONFLICT DO NOTHING")) {
                ps.setInt(1, pass);
                ps.setObject(2, runId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + RunStoreSchema.NAME + ".batches SET pass = ?, state = 'pending', "
                    + "points = NULL, duration_ms = NULL, worker = NULL, reason = NULL, checksum = NULL, "
                    + "verification = NULL, reports = 0, started_at = NULL, attempts = 0, failed_attempts = 0, "
                    + "last_error = NULL, dead_lettered = false, updated_at = now() WHERE run_id = ? AND kind = 'verify' "
                    + "AND pass < ?")) {
                ps.setInt(1, pass);
                ps.setObject(2, runId);
                ps.setInt(3, pass);
                ps.executeUpdate();
            }
            return true;
        });
    }

    /** Applies a verify task's report once, and only to the pass it belongs to (a stale report is a duplicate). */
    public RunStore.ProgressOutcome apply(BatchProgress p) {
        return apply(List.of(p)).get(0);
    }

    /**
     * Applies a poll of verify reports in one transaction, each as {@link #apply(BatchProgress)} would (a report
     * repeated within the list counts once); the outcomes are in the reports' order.
     */
    public List<RunStore.ProgressOutcome> apply(List<BatchProgress> reports) {
        return runStore.inTransaction("applying verification progress", c -> {
            RunStore.ProgressOutcome[] outcomes = new RunStore.ProgressOutcome[reports.size()];
            for (FirstRangeReport form : List.of(FirstRangeReport.VERIFY, FirstRangeReport.VERIFY_OF_PASS)) {
                List<Integer> ofForm = new ArrayList<>();
                for (int i = 0; i < reports.size(); i++) {
                    if (FirstRangeReport.ofVerify(reports.get(i)) == form) {
                        ofForm.add(i);
                    }
                }
                if (ofForm.isEmpty()) {
                    continue;
                }
                try (PreparedStatement ps = c.prepareStatement(form.sql())) {
                    for (int i : ofForm) {
                        form.bind(ps, reports.get(i), UUID.fromString(reports.get(i).runId()));
                        ps.addBatch();
                    }
                    int[] changed = ps.executeBatch();
                    for (int k = 0; k < changed.length; k++) {
                        outcomes[ofForm.get(k)] = changed[k] == 1 ? RunStore.ProgressOutcome.APPLIED
                                : RunStore.ProgressOutcome.DUPLICATE;
                    }
                }
            }
            return List.of(outcomes);
        });
    }

    /** Closes the run's current pass if every range reported; true once, for the caller that closed it. */
    public Optional<Integer> closePassIfComplete(UUID runId) {
        return runStore.queryList("closing a verification pass", "UPDATE " + RunStoreSchema.NAME + ".verify_passes p SET closed_at = now() "
                + "WHERE run_id = ? AND closed_at IS NULL AND pass = (SELECT max(pass) FROM " + RunStoreSchema.NAME + ".verify_passes "
                + "WHERE run_id = p.run_id) AND NOT EXISTS (SELECT 1 FROM " + RunStoreSchema.NAME + ".batches b WHERE b.run_id = p.run_id "
                + "AND b.kind = 'verify' AND (b.state = 'pending' OR b.pass <> p.pass)) RETURNING pass",
                ps -> ps.setObject(1, runId), rs -> rs.getInt(1)).stream().findFirst();
    }

    /** The verify rows of the run with what their tasks reported. */
    public List<RangeResult> results(UUID runId) {
        return runStore.queryList("reading verification results", "SELECT batch_index, start_id, end_id, state, verification::text "
                + "FROM " + RunStoreSchema.NAME + ".batches WHERE run_id = ? AND kind = 'verify' ORDER BY batch_index",
                ps -> ps.setObject(1, runId), rs -> new RangeResult(rs.getInt(1),
                        new PointRange(PointKey.parse(rs.getString(2)),
                                rs.getString(3) == null ? null : PointKey.parse(rs.getString(3))), rs.getString(4),
                        rs.getString(5) == null ? null : readVerification(rs.getString(5))));
    }

    /** The run's passes, oldest first. */
    public List<Pass> passes(UUID runId) {
        return runStore.queryList("reading verification passes", "SELECT pass, first_of_round, started_at, closed_at, summary::text, updated_copied, dispatched_at FROM "
                + RunStoreSchema.NAME + ".verify_passes WHERE run_id = ? ORDER BY pass", ps -> ps.setObject(1, runId),
                rs -> new Pass(rs.getInt(1), rs.getBoolean(2), instant(rs.getTimestamp(3)), instant(rs.getTimestamp(4)),
                        rs.getString(5), (Long) rs.getObject(6), instant(rs.getTimestamp(7))));
    }

    /** Stores what a closed pass found (JSON). */
    public void savePassSummary(UUID runId, int pass, String summaryJson) {
        runStore.update("saving a pass summary", "UPDATE " + RunStoreSchema.NAME + ".verify_passes SET summary = ?::jsonb WHERE run_id = ? "
                + "AND pass = ?", ps -> {
                    ps.setString(1, summaryJson);
                    ps.setObject(2, runId);
                    ps.setInt(3, pass);
                });
    }

    /** Records how many points the pass copied by the spec's updated-at field before its checksums. */
    public void saveUpdatedCopied(UUID runId, int pass, long points) {
        runStore.update("saving the updated-at catch-up", "UPDATE " + RunStoreSchema.NAME + ".verify_passes SET updated_copied = ? "
                + "WHERE run_id = ? AND pass = ?", ps -> {
                    ps.setLong(1, points);
                    ps.setObject(2, runId);
                    ps.setInt(3, pass);
                });
    }

    /** Records that every task of the pass was handed to the workers (a pass without it is dispatched again). */
    public void markDispatched(UUID runId, int pass) {
        runStore.update("recording a dispatched pass", "UPDATE " + RunStoreSchema.NAME + ".verify_passes SET dispatched_at = now() "
                + "WHERE run_id = ? AND pass = ?", ps -> {
                    ps.setObject(1, runId);
                    ps.setInt(2, pass);
                });
    }

    /**
     * Records, with the command that asked for it, that an operator asked for the cutover of a run waiting for it in
     * ready-for-cutover. The run's row is locked while its state is read, so the state cannot change between that
     * read and the request: a run in any other state (whatever its caller read before) is refused naming the state
     * read here, and its command's processed mark is rolled back with it, so the command is no more "seen". The
     * request holds until the run swaps or, the readiness gate having timed out, waits in ready-for-cutover again
     * ({@link RunStore#transition} clears it then).
     */
    public CutoverRequest requestCutover(UUID runId, String commandId, String commandType) {
        return runStore.inTransaction("requesting a cutover", c -> {
            if (!RunStore.markProcessed(c, commandId, commandType)) {
                return CutoverRequest.SEEN_BEFORE;
            }
            RunState state;
            try (PreparedStatement ps = c.prepareStatement("SELECT state FROM " + RunStoreSchema.NAME
                    + ".runs WHERE id = ? FOR UPDATE")) {
                ps.setObject(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("no run " + runId);
                    }
                    state = RunState.fromDb(rs.getString(1));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + RunStoreSchema.NAME + ".runs SET "
                    + "cutover_requested = true, updated_at = now() WHERE id = ? AND state = ?")) {
                ps.setObject(1, runId);
                ps.setString(2, RunState.READY_FOR_CUTOVER.db());
                if (ps.executeUpdate() == 0) {
                    c.rollback();
                    return CutoverRequest.refused(state);
                }
            }
            return CutoverRequest.RECORDED;
        });
    }

    public boolean cutoverRequested(UUID runId) {
        return runStore.queryList("reading a cutover request", "SELECT cutover_requested FROM " + RunStoreSchema.NAME + ".runs WHERE id = ?",
                ps -> ps.setObject(1, runId), rs -> rs.getBoolean(1)).stream().findFirst().orElse(false);
    }

    /** Stores the run's verification report (JSON), replacing an earlier one. */
    public void saveReport(UUID runId, String reportJson) {
        runStore.update("saving the verification report", "UPDATE " + RunStoreSchema.NAME + ".runs SET verification = ?::jsonb, "
                + "updated_at = now() WHERE id = ?", ps -> {
                    ps.setString(1, reportJson);
                    ps.setObject(2, runId);
                });
    }

    /** The run's last verification report (JSON), if it has one. */
    public Optional<String> report(UUID runId) {
        return runStore.queryList("reading the verification report", "SELECT verification::text FROM " + RunStoreSchema.NAME + ".runs WHERE id = ? "
                + "AND verification IS NOT NULL", ps -> ps.setObject(1, runId), rs -> rs.getString(1)).stream().findFirst();
    }

    private static RangeVerification readVerification(String json) {
        try {
            return Messages.get().mapper().readValue(json, RangeVerification.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable verification row: " + json, e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
