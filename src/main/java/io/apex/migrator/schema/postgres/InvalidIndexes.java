package io.apex.migrator.schema.postgres;

import io.apex.migrator.schema.IndexState;
import io.apex.migrator.schema.SchemaException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Indexes of the migrated schema from the catalog, and the repair of INVALID ones. A failed
 * {@code CREATE INDEX CONCURRENTLY} leaves an index with {@code pg_index.indisvalid = false} that a re-run's
 * {@code IF NOT EXISTS} would silently skip: it is unused by queries yet still maintained on every write.
 * Repair drops it concurrently and rebuilds it concurrently from its own definition.
 */
final class InvalidIndexes {

    private static final Logger LOGGER = Logger.getLogger(InvalidIndexes.class);

    private final Connection connection;
    private final String schema;

    InvalidIndexes(Connection connection, String schema) {
        this.connection = connection;
        this.schema = schema;
    }

    List<IndexState> all() {
        String sql = "SELECT c.relname, t.relname, pg_get_indexdef(i.indexrelid), i.indisvalid FROM pg_index i "
                + "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND t.relname <> ? ORDER BY 1";
        List<IndexState> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, schema);
            ps.setString(2, PostgresAdapter.HISTORY_TABLE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new IndexState(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new SchemaException.StoreFailed(io.apex.migrator.schema.Store.POSTGRES, "schema " + schema,
                    "reading the index catalog failed: " + e.getMessage(), e);
        }
    }

    /** Drops and rebuilds every INVALID index; runs with the migration lock held and autocommit on. */
    List<String> dropAndRebuild(String runId) {
        List<String> repaired = new ArrayList<>();
        for (IndexState index : all()) {
            if (index.valid()) {
                continue;
            }
            String qualified = PostgresAdapter.quote(schema) + "." + PostgresAdapter.quote(index.name());
            String rebuild = index.definition().replaceFirst("^CREATE (UNIQUE )?INDEX ", "CREATE $1INDEX CONCURRENTLY ");
            LOGGER.warnf("[run %s] index %s is INVALID (a concurrent build failed); dropping and rebuilding it", runId,
                    qualified);
            try (var st = connection.createStatement()) {
                st.execute("DROP INDEX CONCURRENTLY IF EXISTS " + qualified);
                st.execute(rebuild);
            } catch (SQLException e) {
                throw new SchemaException.RepairFailed("rebuilding INVALID index " + qualified + " failed: "
                        + e.getMessage().lines().findFirst().orElse("") + ". Fix the cause (e.g. duplicate rows for a "
                        + "unique index) and run upgrade again; nothing else was applied.", e);
            }
            repaired.add(index.name());
        }
        return repaired;
    }
}
