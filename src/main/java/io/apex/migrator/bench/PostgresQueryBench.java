package io.apex.migrator.bench;

import com.pgvector.PGvector;
import io.apex.migrator.schema.MigrationEngine;
import io.apex.migrator.schema.MigrationSource;
import io.apex.migrator.schema.postgres.PostgresAdapter;
import io.apex.migrator.schema.postgres.PostgresSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;

/**
 * The same query mix before the optimisation migration (V001: IVFFlat lists=100, no GIN) and after it (V002: HNSW,
 * GIN, composite), on PostgreSQL + pgvector, applied by the product's own migration engine into a scratch schema
 * ({@value #SCHEMA}) that is dropped afterwards. recall@10 is measured against exact top-10 computed from the
 * generated vectors.
 */
final class PostgresQueryBench {

    private static final Logger LOGGER = Logger.getLogger(PostgresQueryBench.class);
    static final String SCHEMA = "apex_bench";
    private static final int K = 10;

    private final PostgresSettings settings;
    private final SyntheticEmbeddings embeddings;
    private final QueryMix mix;
    private float[][] rowVectors;

    PostgresQueryBench(PostgresSettings settings, SyntheticEmbeddings embeddings, QueryMix mix) {
        this.settings = settings.with(settings.migrationsDir(), SCHEMA);
        this.embeddings = embeddings;
        this.mix = mix;
    }

    List<BenchRow> run() throws SQLException {
        try (Connection c = connect()) {
            exec(c, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            exec(c, "CREATE SCHEMA " + SCHEMA);
            try {
                migrate(c, "001");
                PGvector.addVectorType(c);
                load(c);
                // V001 built its IVFFlat lists on empty tables; rebuild them on the data so IVFFlat gets a fair trial.
                exec(c, "REINDEX INDEX idx_documents_embedding_ivfflat");
                exec(c, "ANALYZE documents");
                List<BenchRow> rows = new ArrayList<>();
                rows.add(vectorQuery(c, "V001 IVFFlat lists=100, probes=1 (default)"));
                rows.addAll(mix.jsonbQueries(c, "postgres+pgvector", "V001 (no GIN)"));
                migrate(c, "002");
                exec(c, "ANALYZE documents");
                rows.add(vectorQuery(c, "V002 HNSW m=16 ef_construction=64, ef_search=40 (default)"));
                rows.addAll(mix.jsonbQueries(c, "postgres+pgvector", "V002 (GIN + composite)"));
                return rows;
            } finally {
                exec(c, "SET search_path TO public");
                exec(c, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }

    /** Upgrades with the product's engine (its own connection), then points this session at the scratch schema. */
    private void migrate(Connection c, String target) throws SQLException {
        try (PostgresAdapter adapter = PostgresAdapter.connect(settings)) {
            new MigrationEngine(adapter, new MigrationSource(settings.migrationsDir(), "sql"), settings.lockWait())
                    .upgrade(Optional.of(target), Optional.empty(), "bench-queries");
        }
        exec(c, "SET search_path TO " + SCHEMA + ", public");
    }

    private void load(Connection c) throws SQLException {
        rowVectors = new float[mix.rows()][];
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO documents (id, document_type, title, metadata, embedding)"
                + " VALUES (?, ?, ?, ?::jsonb, ?)")) {
            for (int i = 0; i < mix.rows(); i++) {
                ps.setObject(1, new UUID(0, i));
                ps.setString(2, QueryMix.documentType(i));
                ps.setString(3, "document " + i);
                ps.setString(4, QueryMix.metadata(i, embeddings.topic(i)));
                rowVectors[i] = embeddings.vector(i);
                ps.setObject(5, new PGvector(rowVectors[i]));
                ps.addBatch();
                if (i % 200 == 199) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        c.commit();
        c.setAutoCommit(true);
        LOGGER.infof("loaded %d documents with %d-d embeddings into %s", mix.rows(), embeddings.dimensions(), SCHEMA);
    }

    private BenchRow vectorQuery(Connection c, String variant) throws SQLException {
        List<Long> nanos = new ArrayList<>();
        List<Double> recalls = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM documents ORDER BY embedding <=> ? LIMIT " + K)) {
            for (int q = 0; q < mix.queries(); q++) {
                float[] query = embeddings.vector((long) mix.rows() + q);
                ps.setObject(1, new PGvector(query));
                long start = System.nanoTime();
                List<Long> got = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        got.add(((UUID) rs.getObject(1)).getLeastSignificantBits());
                    }
                }
                nanos.add(System.nanoTime() - start);
                recalls.add(Recall.atK(exactTopK(query), got, K));
            }
        }
        return new BenchRow("postgres+pgvector", "vector top-10", variant, LatencySummary.ofNanos(nanos),
                OptionalDouble.of(Recall.mean(recalls)));
    }

    private List<Long> exactTopK(float[] query) {
        return IntStream.range(0, mix.rows()).boxed()
                .sorted(Comparator.comparingDouble(i -> -dot(query, rowVectors[i])))
                .limit(K).map(Integer::longValue).toList();
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(settings.jdbcUrl(),
                settings.connectionProperties(java.time.Duration.ofSeconds(10)));
        c.setAutoCommit(true);
        return c;
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
