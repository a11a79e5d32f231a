package io.apex.migrator.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The JSONB query mix an AI-memory service runs against {@code documents}: a containment filter on metadata
 * (served by GIN after V002) and a type + source filter (served by the composite index after V002).
 */
record QueryMix(int rows, int queries) {

    static final int TENANTS = 50;
    private static final String[] TYPES = {"pdf", "email", "slack", "web", "note"};
    private static final String[] SOURCES = {"upload", "gmail", "slack", "crawler", "api", "import"};

    QueryMix {
        if (rows < 20 || queries < 1) {
            throw new IllegalArgumentException("need at least 20 rows and 1 query, got " + rows + " / " + queries);
        }
    }

    static String documentType(int i) {
        return TYPES[i % TYPES.length];
    }

    static String metadata(int i, int topic) {
        return "{\"tenant\":\"tenant-" + (i % TENANTS) + "\",\"source\":\"" + SOURCES[(i / 7) % SOURCES.length]
                + "\",\"topic\":" + topic + ",\"tags\":[\"t" + (i % 13) + "\"],\"lang\":\"en\"}";
    }

    List<BenchRow> jsonbQueries(Connection c, String store, String variant) throws SQLException {
        List<BenchRow> rows = new ArrayList<>();
        rows.add(containment(c, store, variant));
        rows.add(time(c, store, "type + source (composite)", variant,
                "SELECT id FROM documents WHERE document_type = ? AND metadata ->> 'source' = ? LIMIT 50",
                q -> TYPES[q % TYPES.length], q -> SOURCES[q % SOURCES.length]));
        return rows;
    }

    /** {@code metadata @> '{"tenant": ...}'}: one tenant of {@value #TENANTS}, counted. */
    BenchRow containment(Connection c, String store, String variant) throws SQLException {
        return time(c, store, "jsonb containment (@>)", variant,
                "SELECT count(*) FROM documents WHERE metadata @> ?::jsonb",
                q -> "{\"tenant\":\"tenant-" + (q % TENANTS) + "\"}", null);
    }

    private BenchRow time(Connection c, String store, String query, String variant, String sql,
            java.util.function.IntFunction<String> first, java.util.function.IntFunction<String> second)
            throws SQLException {
        List<Long> nanos = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int q = 0; q < queries; q++) {
                ps.setString(1, first.apply(q));
                if (second != null) {
                    ps.setString(2, second.apply(q));
                }
                long start = System.nanoTime();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getObject(1);
                    }
                }
                nanos.add(System.nanoTime() - start);
            }
        }
        return new BenchRow(store, query, variant, LatencySummary.ofNanos(nanos), OptionalDouble.empty());
    }
}
