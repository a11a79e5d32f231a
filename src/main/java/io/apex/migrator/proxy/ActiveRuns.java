package io.apex.migrator.proxy;

import io.apex.migrator.state.RunStoreSchema;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Which collections are under migration now: the runs of the run store that have not ended, by source collection
 * name and by alias. Read from PostgreSQL at most once per {@link ProxyConfig#runCacheTtl()} (one query for all
 * runs), so the proxy does not query per call. Read-only: the proxy never changes a run.
 */
@ApplicationScoped
public class ActiveRuns {

    /** Undefined table: no worker has created the run store yet, so no run is active. */
    private static final String NO_SUCH_TABLE = "42P01";
    private static final String ACTIVE = "SELECT id, source, alias, target FROM " + RunStoreSchema.NAME + ".runs "
            + "WHERE state NOT IN ('completed', 'failed', 'cancelled')";

    private final DataSource dataSource;
    private final long ttlNanos;
    private volatile Snapshot snapshot;

    @Inject
    public ActiveRuns(DataSource dataSource, ProxyConfig config) {
        this.dataSource = dataSource;
        this.ttlNanos = config.runCacheTtl().toNanos();
    }

    /** A run that migrates data out of a collection, with the names it is addressed by. */
    public record ActiveRun(UUID id, String source, String alias, String target) {
    }

    /**
     * The active run whose source collection is {@code name} or whose alias is {@code name}.
     *
     * @throws CaptureException.RunStoreUnavailable when the run store cannot be read and no fresh answer is cached
     */
    public Optional<ActiveRun> forCollection(String name) {
        return Optional.ofNullable(current().byName().get(name));
    }

    /** Forgets the cached runs: the next lookup reads the run store. */
    public void invalidate() {
        snapshot = null;
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        long now = System.nanoTime();
        if (s != null && now - s.loadedAt() < ttlNanos) {
            return s;
        }
        synchronized (this) {
            s = snapshot;
            if (s != null && System.nanoTime() - s.loadedAt() < ttlNanos) {
                return s;
            }
            s = load();
            snapshot = s;
            return s;
        }
    }

    private Snapshot load() {
        long loadedAt = System.nanoTime();
        Map<String, ActiveRun> byName = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(ACTIVE);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ActiveRun run = new ActiveRun(rs.getObject("id", UUID.class), rs.getString("source"),
                        rs.getString("alias"), rs.getString("target"));
                byName.putIfAbsent(run.source(), run);
                if (run.alias() != null) {
                    byName.putIfAbsent(run.alias(), run);
                }
            }
        } catch (SQLException e) {
            if (!NO_SUCH_TABLE.equals(e.getSQLState())) {
                throw new CaptureException.RunStoreUnavailable(e);
            }
        }
        return new Snapshot(loadedAt, Map.copyOf(byName));
    }

    private record Snapshot(long loadedAt, Map<String, ActiveRun> byName) {
    }
}
