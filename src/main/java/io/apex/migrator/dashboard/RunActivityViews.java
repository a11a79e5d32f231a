package io.apex.migrator.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.apex.migrator.state.RunStoreSchema;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** The dashboard's read model of what happens inside a run: its range map, its workers, its event timeline. */
@ApplicationScoped
class RunActivityViews {

    private static final String S = RunStoreSchema.NAME;
    /** A batches row's facts for a cell, as {@code b.}-prefixed columns (13 of them, read by {@link #work}). */
    private static final String WORK = "b.state, b.started_at IS NOT NULL, b.last_error, b.dead_lettered, b.worker,"
            + " b.attempts, b.failed_attempts, b.duration_ms, b.points, b.reason, CASE WHEN b.state = 'pending' AND"
            + " b.started_at IS NOT NULL THEN (extract(epoch FROM now() - b.started_at) * 1000)::bigint END, b.pass,"
            + " (b.verification->>'equal')::boolean";
    private static final int WORK_COLUMNS = 13;

    private final DataSource dataSource;
    private final ObjectMapper json;

    RunActivityViews(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** Every planned range of the run with its state, in plan order (empty before the run is planned). */
    List<RunActivity.RangeCell> ranges(UUID runId) throws SQLException {
        List<RunActivity.RangeCell> cells = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT"
                + " b.batch_index, b.start_id, b.end_id, " + WORK + ", " + WORK.replace("b.", "v.")
                + ", coalesce(v.repaired_points, 0) FROM " + S + ".batches b LEFT JOIN " + S + ".batches v"
                + " ON v.run_id = b.run_id AND v.kind = 'verify' AND v.batch_index = b.batch_index"
                + " WHERE b.run_id = ? AND b.kind = 'copy' ORDER BY b.batch_index")) {
            ps.setObject(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int copyAt = 4;
                    int verifyAt = copyAt + WORK_COLUMNS;
                    long repaired = rs.getLong(verifyAt + WORK_COLUMNS);
                    RangeState.Row copyRow = row(rs, copyAt);
                    RangeState.Row verifyRow = rs.getString(verifyAt) == null ? null : row(rs, verifyAt);
                    cells.add(new RunActivity.RangeCell(rs.getInt(1), rs.getString(2), rs.getString(3),
                            RangeState.of(copyRow, verifyRow, repaired), work(rs, copyAt, false),
                            verifyRow == null ? null : work(rs, verifyAt, true), repaired));
                }
            }
        }
        return cells;
    }

    /** The worker replicas that took the run's ranges, with their share. */
    RunActivity.Workers workers(UUID runId) throws SQLException {
        List<RunActivity.WorkerView> workers = new ArrayList<>();
        String copied = "kind = 'copy' AND state = 'done'";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT worker,"
                + " count(*) FILTER (WHERE " + copied + "), count(*) FILTER (WHERE kind = 'verify' AND state = 'done'),"
                + " count(*) FILTER (WHERE state = 'pending' AND started_at IS NOT NULL),"
                + " coalesce(sum(points) FILTER (WHERE " + copied + "), 0),"
                // from its first range taken (older rows: reported time minus duration) to its last copy reported
                + " extract(epoch FROM max(updated_at) FILTER (WHERE " + copied + ") - min(coalesce(started_at,"
                + " updated_at - coalesce(duration_ms, 0) * interval '1 millisecond')) FILTER (WHERE " + copied + ")),"
                + " coalesce(sum(failed_attempts), 0), max(updated_at)"
                + " FROM " + S + ".batches WHERE run_id = ? AND worker IS NOT NULL GROUP BY worker ORDER BY worker")) {
            ps.setObject(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long points = rs.getLong(5);
                    double seconds = rs.getDouble(6);
                    workers.add(new RunActivity.WorkerView(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4),
                            points, seconds > 0 ? Math.round(points / seconds * 10) / 10.0 : 0, rs.getInt(7),
                            rs.getTimestamp(8).toInstant()));
                }
            }
        }
        return new RunActivity.Workers(workers.size(), workers);
    }

    /** The run's lifecycle events, oldest first. */
    List<RunActivity.TimelineEntry> timeline(UUID runId) throws SQLException {
        List<RunActivity.TimelineEntry> entries = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT seq,"
                + " created_at, type, data::text, sent_at IS NOT NULL FROM " + S + ".events WHERE run_id = ?"
                + " ORDER BY seq")) {
            ps.setObject(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JsonNode data = parse(rs.getString(4));
                    entries.add(new RunActivity.TimelineEntry(rs.getLong(1), rs.getTimestamp(2).toInstant(),
                            rs.getString(3), EventSummary.of(data), text(data, "reason"), rs.getBoolean(5)));
                }
            }
        }
        return entries;
    }

    private static RangeState.Row row(ResultSet rs, int at) throws SQLException {
        return new RangeState.Row(rs.getString(at), rs.getBoolean(at + 1), rs.getString(at + 2),
                rs.getBoolean(at + 3), (Boolean) rs.getObject(at + 12));
    }

    private static RunActivity.Work work(ResultSet rs, int at, boolean verify) throws SQLException {
        Long reported = (Long) rs.getObject(at + 7);
        Long held = (Long) rs.getObject(at + 10);
        String reason = rs.getString(at + 9);
        return new RunActivity.Work(rs.getString(at), rs.getString(at + 4), rs.getInt(at + 5), rs.getInt(at + 6),
                held != null ? held : reported, (Long) rs.getObject(at + 8), reason != null ? reason : rs.getString(at + 2),
                verify ? rs.getInt(at + 11) : null);
    }

    private JsonNode parse(String text) {
        try {
            return text == null ? json.nullNode() : json.readTree(text);
        } catch (IOException e) {
            return json.nullNode();
        }
    }

    private static String text(JsonNode data, String field) {
        JsonNode v = data.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
