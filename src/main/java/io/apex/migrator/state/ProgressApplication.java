package io.apex.migrator.state;

import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.BatchProgress;
import io.apex.migrator.state.RunStore.ProgressOutcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Applies a poll of progress reports in the caller's transaction, each statement prepared once for the poll and sent
 * as one JDBC batch: the first report of a range marks it (pending to its reported state), every later one only
 * counts as a report, and each run's counters then move once by what its ranges added in the poll; that update returns
 * the run's state and counters, so the tracker's "all ranges copied?" needs no read of the run afterwards.
 */
final class ProgressApplication {

    private static final String COUNT_REPEATED_REPORT = "UPDATE " + RunStoreSchema.NAME + ".batches SET reports = reports + 1 "
            + "WHERE run_id = ? AND kind = ? AND batch_index = ?";
    private static final String ADD_TO_RUN = "UPDATE " + RunStoreSchema.NAME + ".runs SET "
            + "copied_points = copied_points + ?, done_batches = done_batches + ?, "
            + "failed_batches = failed_batches + ?, updated_at = now() WHERE id = ? "
            + "RETURNING state, planned_batches, done_batches, failed_batches";

    private ProgressApplication() {
    }

    /**
     * The outcome of each report, in the reports' order (a range reported twice in the poll counts once), and the
     * tally of each run whose counters moved.
     */
    static RunStore.ProgressApplied apply(Connection c, List<BatchProgress> reports) throws SQLException {
        List<UUID> runIds = reports.stream().map(p -> UUID.fromString(p.runId())).toList();
        int[] marked = markFirstReports(c, reports, runIds);
        List<Integer> repeated = new ArrayList<>();
        for (int i = 0; i < marked.length; i++) {
            if (marked[i] == 0) {
                repeated.add(i);
            }
        }
        int[] counted = countRepeatedReports(c, reports, runIds, repeated);
        List<ProgressOutcome> outcomes = new ArrayList<>(reports.size());
        // a run's counters in a sorted map: two polls touching the same runs lock their rows in one order
        Map<UUID, RunCounters> added = new TreeMap<>();
        int next = 0;
        for (int i = 0; i < reports.size(); i++) {
            if (marked[i] != 0) {
                outcomes.add(ProgressOutcome.APPLIED);
                BatchProgress p = reports.get(i);
                if (p.kind() == BatchKind.COPY) {
                    added.computeIfAbsent(runIds.get(i), id -> new RunCounters()).add(p);
                }
            } else {
                outcomes.add(counted[next++] == 0 ? ProgressOutcome.UNKNOWN : ProgressOutcome.DUPLICATE);
            }
        }
        return new RunStore.ProgressApplied(outcomes, addToRuns(c, added));
    }

    /** Per report: 1 when it was its range's first report (the range is marked), 0 otherwise. */
    private static int[] markFirstReports(Connection c, List<BatchProgress> reports, List<UUID> runIds)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FirstRangeReport.COPY.sql())) {
            for (int i = 0; i < reports.size(); i++) {
                FirstRangeReport.COPY.bind(ps, reports.get(i), runIds.get(i));
                ps.addBatch();
            }
            return ps.executeBatch();
        }
    }

    /** Per repeated report (by its index in {@code reports}): 0 when its range is of no known run. */
    private static int[] countRepeatedReports(Connection c, List<BatchProgress> reports, List<UUID> runIds,
            List<Integer> repeated) throws SQLException {
        if (repeated.isEmpty()) {
            return new int[0];
        }
        try (PreparedStatement ps = c.prepareStatement(COUNT_REPEATED_REPORT)) {
            for (int i : repeated) {
                ps.setObject(1, runIds.get(i));
                ps.setString(2, reports.get(i).kind().wireName());
                ps.setInt(3, reports.get(i).batchIndex());
                ps.addBatch();
            }
            return ps.executeBatch();
        }
    }

    /** Moves each run's counters (in the map's order) and returns their tallies after the move. */
    private static Map<UUID, CopyTally> addToRuns(Connection c, Map<UUID, RunCounters> added) throws SQLException {
        if (added.isEmpty()) {
            return Map.of();
        }
        Map<UUID, CopyTally> tallies = new HashMap<>();
        // one statement per run (a poll rarely holds more than one run): each returns the run's tally
        try (PreparedStatement ps = c.prepareStatement(ADD_TO_RUN)) {
            for (Map.Entry<UUID, RunCounters> run : added.entrySet()) {
                ps.setLong(1, run.getValue().copiedPoints);
                ps.setInt(2, run.getValue().doneBatches);
                ps.setInt(3, run.getValue().failedBatches);
                ps.setObject(4, run.getKey());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        tallies.put(run.getKey(), new CopyTally(RunState.fromDb(rs.getString(1)),
                                (Integer) rs.getObject(2), rs.getInt(3), rs.getInt(4)));
                    }
                }
            }
        }
        return tallies;
    }

    /** What a poll's first reports of copy ranges add to one run. */
    private static final class RunCounters {
        long copiedPoints;
        int doneBatches;
        int failedBatches;

        void add(BatchProgress p) {
            if (p.status() == BatchProgress.Status.FAILED) {
                failedBatches++;
            } else {
                copiedPoints += p.points();
                doneBatches++;
            }
        }
    }
}
