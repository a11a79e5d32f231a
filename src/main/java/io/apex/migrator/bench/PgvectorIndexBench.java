package io.apex.migrator.bench;

import com.pgvector.PGvector;
import io.apex.migrator.schema.postgres.PostgresSettings;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * The seed's index claims at scale: one table of N documents with d-dimensional clustered embeddings and JSONB
 * metadata, loaded by binary COPY into the scratch schema {@value PostgresQueryBench#SCHEMA} (dropped afterwards);
 * then the same vector top-10 queries by exact scan (no index), IVFFlat (lists=100, probes 1 and 10) and HNSW
 * (m=16, ef_construction=64; ef_search 40 and 100), recall@10 against the exact top-10 computed on the client while
 * the rows stream, and JSONB containment without and with GIN. Every index is built with a plain
 * {@code CREATE INDEX} (timed, sized) and only one vector index exists at a time, so each variant is the plan it names.
 */
final class PgvectorIndexBench {

    /** What to build and measure. */
    record Options(int rows, int dimensions, int queries, long seed, String maintenanceWorkMem) {

        private static final Pattern MEMORY = Pattern.compile("[1-9][0-9]{0,6}(kB|MB|GB)");

        Options {
            if (rows < 20 || dimensions < 2 || dimensions > 16000 || queries < 1) {
                throw new IllegalArgumentException("index bench needs rows >= 20, 2 <= dimensions <= 16000, queries >= 1");
            }
            // interpolated into SET: only a plain PostgreSQL memory size is accepted
            if (!MEMORY.matcher(maintenanceWorkMem).matches()) {
                throw new IllegalArgumentException("maintenance_work_mem must look like 512MB or 2GB, got '"
                        + maintenanceWorkMem + "'");
            }
        }
    }

    /** The measured rows and the indexes built for them. */
    record Result(List<BenchRow> rows, List<IndexBuild> builds) {
    }

    private static final Logger LOGGER = Logger.getLogger(PgvectorIndexBench.class);
    private static final String SCHEMA = PostgresQueryBench.SCHEMA;
    private static final int K = 10;
    static final int IVFFLAT_LISTS = 100;
    private static final int WARM_UP_QUERIES = 5;

    private final PostgresSettings settings;
    private final Options options;
    private final SyntheticEmbeddings embeddings;
    private final QueryMix mix;
    private final String store;

    PgvectorIndexBench(PostgresSettings settings, Options options) {
        this.settings = settings;
        this.options = options;
        this.embeddings = new SyntheticEmbeddings(options.dimensions(), 64, options.seed());
        this.mix = new QueryMix(options.rows(), options.queries());
        this.store = String.format("pgvector %,d x %d", options.rows(), options.dimensions());
    }

    Result run() throws SQLException, IOException {
        try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.connectionProperties(Duration.ofSeconds(10)))) {
            c.setAutoCommit(true);
            PostgresQueryBench.exec(c, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            PostgresQueryBench.exec(c, "CREATE SCHEMA " + SCHEMA);
            try {
                PostgresQueryBench.exec(c, "SET search_path TO " + SCHEMA + ", public");
                PostgresQueryBench.exec(c, "SET maintenance_work_mem = '" + options.maintenanceWorkMem() + "'");
                PGvector.addVectorType(c);
                // UNLOGGED: no WAL for the load and the builds (build times are a little lower than on a logged table)
                PostgresQueryBench.exec(c, "CREATE UNLOGGED TABLE documents (id bigint PRIMARY KEY, document_type text NOT NULL,"
                        + " metadata jsonb NOT NULL, embedding vector(" + options.dimensions() + ") NOT NULL)");
                ExactTopK truth = load(c);
                PostgresQueryBench.exec(c, "VACUUM ANALYZE documents");
                List<BenchRow> rows = new ArrayList<>();
                List<IndexBuild> builds = new ArrayList<>();
                rows.add(withWarmUp(() -> mix.containment(c, store, "no GIN (sequential scan)")));
                rows.add(vectorQuery(c, truth, "exact scan (no index)"));

                builds.add(build(c, "idx_bench_ivfflat", "USING ivfflat (embedding vector_cosine_ops) WITH (lists = "
                        + IVFFLAT_LISTS + ")"));
                for (int probes : new int[] {1, 10}) {
                    PostgresQueryBench.exec(c, "SET ivfflat.probes = " + probes);
                    rows.add(vectorQuery(c, truth, "IVFFlat lists=" + IVFFLAT_LISTS + ", probes=" + probes));
                }
                PostgresQueryBench.exec(c, "DROP INDEX idx_bench_ivfflat");

                builds.add(build(c, "idx_bench_hnsw", "USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)"));
                for (int efSearch : new int[] {40, 100}) {
                    PostgresQueryBench.exec(c, "SET hnsw.ef_search = " + efSearch);
                    rows.add(vectorQuery(c, truth, "HNSW m=16 ef_construction=64, ef_search=" + efSearch));
                }

                builds.add(build(c, "idx_bench_metadata_gin", "USING gin (metadata)"));
                rows.add(withWarmUp(() -> mix.containment(c, store, "GIN")));
                return new Result(rows, builds);
            } finally {
                PostgresQueryBench.exec(c, "SET search_path TO public");
                PostgresQueryBench.exec(c, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }

    /** Streams the rows by binary COPY and feeds each to the exact top-10 of every query on the way. */
    private ExactTopK load(Connection c) throws SQLException, IOException {
        float[][] queries = new float[options.queries()][];
        for (int q = 0; q < queries.length; q++) {
            queries[q] = embeddings.vector((long) options.rows() + q);
        }
        ExactTopK truth = new ExactTopK(queries, K);
        long start = System.nanoTime();
        try (PGCopyOutputStream stream = new PGCopyOutputStream(c.unwrap(PGConnection.class),
                "COPY documents (id, document_type, metadata, embedding) FROM STDIN (FORMAT binary)", 1 << 20)) {
            try (VectorRowsCopy copy = new VectorRowsCopy(stream)) {
                for (int i = 0; i < options.rows(); i++) {
                    float[] vector = embeddings.vector(i);
                    copy.row(i, QueryMix.documentType(i), QueryMix.metadata(i, embeddings.topic(i)), vector);
                    truth.offer(i, vector);
                }
            }
        }
        LOGGER.infof("loaded %,d documents with %d-d embeddings into %s by binary COPY in %.1f s", options.rows(),
                options.dimensions(), SCHEMA, (System.nanoTime() - start) / 1e9);
        return truth;
    }

    private IndexBuild build(Connection c, String name, String method) throws SQLException {
        String definition = "CREATE INDEX " + name + " ON documents " + method;
        long start = System.nanoTime();
        PostgresQueryBench.exec(c, definition);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        PostgresQueryBench.exec(c, "ANALYZE documents");
        long bytes;
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_relation_size(?::regclass)")) {
            ps.setString(1, SCHEMA + "." + name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                bytes = rs.getLong(1);
            }
        }
        LOGGER.infof("%s: built in %.1f s, %,d bytes", name, took.toMillis() / 1000.0, bytes);
        return new IndexBuild("documents", definition, took, bytes);
    }

    private BenchRow vectorQuery(Connection c, ExactTopK truth, String variant) throws SQLException {
        List<Long> nanos = new ArrayList<>();
        List<Double> recalls = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM documents ORDER BY embedding <=> ? LIMIT " + K)) {
            for (int q = 0; q < Math.min(WARM_UP_QUERIES, truth.queryCount()); q++) {
                top(ps, truth.query(q));
            }
            for (int q = 0; q < truth.queryCount(); q++) {
                long start = System.nanoTime();
                List<Long> got = top(ps, truth.query(q));
                nanos.add(System.nanoTime() - start);
                recalls.add(Recall.atK(truth.ids(q), got, K));
            }
        }
        BenchRow row = new BenchRow(store, "vector top-10", variant, LatencySummary.ofNanos(nanos),
                OptionalDouble.of(Recall.mean(recalls)));
        LOGGER.infof("%s / %s: %s, recall@10 %.3f", store, variant, row.latency(), row.recallAt10().getAsDouble());
        return row;
    }

    private static List<Long> top(PreparedStatement ps, float[] query) throws SQLException {
        ps.setObject(1, new PGvector(query));
        List<Long> ids = new ArrayList<>(K);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    private interface Measurement {
        BenchRow run() throws SQLException;
    }

    /** Runs the measurement twice and keeps the second: the first pays for a cold cache and plan. */
    private static BenchRow withWarmUp(Measurement measurement) throws SQLException {
        measurement.run();
        BenchRow row = measurement.run();
        LOGGER.infof("%s / %s: %s", row.store(), row.variant(), row.latency());
        return row;
    }
}
