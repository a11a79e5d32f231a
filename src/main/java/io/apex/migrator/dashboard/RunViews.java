package io.apex.migrator.dashboard;

import io.apex.migrator.state.RunStoreSchema;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.apex.migrator.qdrant.QdrantException;
import io.apex.migrator.qdrant.QdrantGateway;
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
import org.jboss.logging.Logger;

/** The dashboard's read model over the run store (read-only queries). */
@ApplicationScoped
class RunViews {

    private static final Logger LOGGER = Logger.getLogger(RunViews.class);
    private static final int LIST_LIMIT = 50;

    private final RunStore runStore;
    private final DataSource dataSource;
    private final ObjectMapper json;
    private final QdrantGateway gateway;

    RunViews(RunStore runStore, DataSource dataSource, ObjectMapper json, QdrantGateway gateway) {
        this.runStore = runStore;
        this.dataSource = dataSource;
        this.json = json;
        this.gateway = gateway;
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
                    verification(c, run.get()), deadLetters(c, id), aliasTarget(run.get())));
        }
    }

    private RunDetail.BatchCounts counts(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FILTER (WHERE state = 'done'),"
                + " count(*) FILTER (WHERE reports > 1), count(*) FILTER (WHERE state = 'failed'),"
                + " count(*) FILTER (WHERE state = 'pending') FROM " + RunStoreSchema.NAME + ".batches WHERE run_id = ? AND kind = 'copy'")) {
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
                + " sum(points) FROM " + RunStoreSchema.NAME + ".batches WHERE run_id = ? AND kind = 'copy' AND state = 'done'"
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
                + " " + RunStoreSchema.NAME + ".batches WHERE run_id = ? AND state = 'failed' ORDER BY batch_index")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    dead.add(new RunDetail.DeadLetter(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return dead;
    }

    /** Where the run's alias points now: the page shows an operator the cutover (or rollback) take effect. */
    private String aliasTarget(Run run) {
        if (run.alias() == null) {
            return null;
        }
        try {
            return gateway.aliases().get(run.alias());
        } catch (QdrantException e) {
            LOGGER.debugf("alias %s: Qdrant did not answer (%s)", run.alias(), e.getMessage());
            return null;
        }
    }

    /** The details of the run's latest migration-verified event (what was checked), else its summary. */
    private JsonNode verification(Connection c, Run run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT data->'details' FROM " + RunStoreSchema.NAME + ".events"
                + " WHERE run_id = ? AND type = 'migration-verified' ORDER BY created_at DESC LIMIT 1")) {
            ps.setObject(1, run.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getString(1) != null) {
                    return parse(rs.getString(1));
                }
            }
        }
        return run.summaryJson() == null ? null : parse(run.summaryJson());
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            return json.getNodeFactory().textNode(text);
        }
    }
}
