package io.apex.migrator.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** The dashboard's read model over the run store (read-only queries). */
@ApplicationScoped
class RunViews {

    private static final int LIST_LIMIT = 50;

    private final RunStore runStore;
    private final DataSource dataSource;
    private final ObjectMapper json;

    RunViews(RunStore runStore, DataSource dataSource, ObjectMapper json) {
        this.runStore = runStore;
        this.dataSource = dataSource;
        this.json = json;
    }

    List<RunView> list() {
        Instant now = Instant.now();
        return runStore.listRuns(LIST_LIMIT).stream().map(r -> RunView.of(r, now)).toList();
    }

    Optional<RunDetail> detail(UUID id) throws SQLException {
        Optional<Run> run = runStore.findRun(id);
        if (run.isEmpty()) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection()) {
            return Optional.of(new RunDetail(RunView.of(run.get(), Instant.now()), counts(c, id), throughput(c, id),
                    verification(run.get()), deadLetters(c, id)));
        }
    }

    private RunDetail.BatchCounts counts(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FILTER (WHERE state = 'done'),"
                + " count(*) FILTER (WHERE reports > 1), count(*) FILTER (WHERE state = 'failed'),"
                + " count(*) FILTER (WHERE state = 'pending') FROM apex_migrator.batches WHERE run_id = ? AND kind = 'copy'")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new RunDetail.BatchCounts(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4));
            }
        }
    }

    private List<RunDetail.ThroughputPoint> throughput(Connection c, UUID id) throws SQLException {
        List<RunDetail.ThroughputPoint> points = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT extract(epoch FROM date_trunc('second', updated_at))::bigint,"
                + " sum(points) FROM apex_migrator.batches WHERE run_id = ? AND kind = 'copy' AND state = 'done'"
                + " GROUP BY 1 ORDER BY 1")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    points.add(new RunDetail.ThroughputPoint(rs.getLong(1), rs.getLong(2)));
                }
            }
        }
        return points;
    }

    private List<RunDetail.DeadLetter> deadLetters(Connection c, UUID id) throws SQLException {
        List<RunDetail.DeadLetter> dead = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT batch_index, start_id, end_id, reason FROM"
                + " apex_migrator.batches WHERE run_id = ? AND state = 'failed' ORDER BY batch_index")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    dead.add(new RunDetail.DeadLetter(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return dead;
    }

    private JsonNode verification(Run run) {
        if (run.summaryJson() == null) {
            return null;
        }
        try {
            return json.readTree(run.summaryJson());
        } catch (java.io.IOException e) {
            return json.getNodeFactory().textNode(run.summaryJson());
        }
    }
}
