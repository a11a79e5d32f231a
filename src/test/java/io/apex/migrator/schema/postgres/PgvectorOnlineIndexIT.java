package io.apex.migrator.schema.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.apex.migrator.schema.MigrationEngine;
import io.apex.migrator.schema.MigrationSource;
import io.apex.migrator.schema.SchemaException;
import io.apex.migrator.schema.SchemaResult;
import io.apex.migrator.schema.Version;
import io.apex.migrator.support.LocalStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * V002 on a populated vector table, on real PostgreSQL 15 + pgvector: its HNSW (m=16, ef_construction=64) and GIN
 * indexes are built CONCURRENTLY over {@code apex.online-index.rows} documents with 1536-d embeddings (generated on
 * the server) while other sessions insert, update and run vector and JSONB queries; and a concurrent HNSW build
 * cancelled mid-way leaves an INVALID index that the next run drops and rebuilds. Each test has a database of its
 * own, where V001 creates the extension itself.
 */
class PgvectorOnlineIndexIT {

    /**
     * Rows the zero-downtime build runs over. 10,000 keeps CI's wall time in bounds on 2 shared cores (README
     * "Reliability" quotes a run at 20,000); {@code -Dapex.online-index.rows=100000} for the size.
     */
    private static final int ROWS = Integer.getInteger("apex.online-index.rows", 10_000);
    /**
     * Round trips per second of each writer and reader: an application's steady load, not a flood. Unpaced writers
     * grew the table 4-fold during the build (and with it the build's validation pass) on 2 cores.
     */
    private static final int PER_SECOND = 20;
    private static final int DIMS = 1536;
    private static final String HNSW = "idx_documents_embedding_hnsw";
    private static final List<String> V002_INDEXES = List.of(HNSW, "idx_chunks_embedding_hnsw",
            "idx_structured_data_embedding_hnsw", "idx_documents_metadata_gin", "idx_chunks_metadata_gin",
            "idx_structured_data_raw_json_gin", "idx_structured_data_custom_metadata_gin",
            "idx_documents_type_metadata", "idx_structured_data_type_source", "idx_chunks_document_created");

    private String url;
    /** Ids of seeded documents, which the writers update. */
    private List<java.util.UUID> seededIds;

    @Test
    void v002BuildsHnswAndGinConcurrentlyOverAPopulatedVectorTableWhileWritersAndReadersKeepWorking() throws Exception {
        // given V001 and a populated documents table, and two writers and two readers running on it
        url = database("online_index_build");
        run(e -> e.upgrade(Optional.of("1"), Optional.empty(), "online-v1"));
        long seedStart = System.nanoTime();
        seedDocuments(ROWS);
        long seedMs = (System.nanoTime() - seedStart) / 1_000_000;
        seededIds = ids(1_000);
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Worker> writers = List.of(new Worker("writer-1", this::insertAndUpdate), new Worker("writer-2",
                this::insertAndUpdate));
        List<Worker> readers = List.of(new Worker("vector-reader", this::nearestTen), new Worker("jsonb-reader",
                this::jsonbContainment));
        List<Worker> workers = new ArrayList<>(writers);
        workers.addAll(readers);
        ExecutorService pool = Executors.newFixedThreadPool(workers.size());
        AtomicLong buildStart = new AtomicLong();
        AtomicLong buildEnd = new AtomicLong();
        SchemaResult upgraded;
        try {
            workers.forEach(w -> pool.submit(() -> w.loop(stop, failures)));
            await().atMost(Duration.ofMinutes(2)).until(() -> workers.stream().allMatch(w -> w.done.get() > 0)
                    || !failures.isEmpty());

            // when V002 builds its indexes
            buildStart.set(System.nanoTime());
            upgraded = run(e -> e.upgrade(Optional.empty(), Optional.empty(), "online-v2"));
            buildEnd.set(System.nanoTime());
        } finally {
            stop.set(true);
            pool.shutdown();
            assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
        }

        // then no writer or reader failed, each completed round trips while the build ran, and every index is VALID
        assertThat(failures).isEmpty();
        assertThat(upgraded.migrated()).containsExactly(new Version(2));
        assertThat(workers).allSatisfy(w -> assertThat(w.completedWithin(buildStart.get(), buildEnd.get()))
                .as("%s round trips started and finished during the build", w.name).isPositive());
        assertThat(validity()).containsOnlyKeys(V002_INDEXES).allSatisfy((index, valid) -> assertThat(valid)
                .as(index).isTrue());
        long inserted = writers.stream().mapToLong(w -> w.done.get()).sum();
        assertThat(queryLong("SELECT count(*) FROM documents")).isEqualTo(ROWS + inserted);
        System.out.printf("V002 over %,d documents (%d-d; seeded in %,d ms) with 2 writers and 2 readers (%d round "
                        + "trips/s each at most): build "
                        + "%,d ms; writers %,d insert+update round trips, slowest %,d ms; readers %,d queries, "
                        + "slowest %,d ms (vector top-10) / %,d ms (jsonb @>)%n", ROWS, DIMS, seedMs, PER_SECOND,
                (buildEnd.get() - buildStart.get()) / 1_000_000, inserted,
                writers.stream().mapToLong(Worker::slowestMs).max().orElseThrow(),
                readers.stream().mapToLong(w -> w.done.get()).sum(), readers.get(0).slowestMs(),
                readers.get(1).slowestMs());
    }

    @Test
    void aConcurrentHnswBuildCancelledMidWayLeavesAnInvalidIndexThatTheNextRunRebuilds() throws Exception {
        // given V001 over enough documents that the HNSW build takes a while, and V002 running
        url = database("online_index_cancel");
        run(e -> e.upgrade(Optional.of("1"), Optional.empty(), "cancel-v1"));
        seedDocuments(5_000);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<SchemaResult> upgrade = pool.submit(() -> run(e -> e.upgrade(Optional.empty(), Optional.empty(),
                    "cancel-v2")));

            // when the HNSW build is cancelled while it builds the graph
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> upgrade.isDone() || hnswBuildPhase().filter(p -> p.startsWith("building index"))
                            .isPresent());
            assertThat(hnswBuildPhase()).as("the HNSW build is in progress").isPresent();
            assertThat(queryLong("SELECT count(pg_cancel_backend(pid)) FROM pg_stat_progress_create_index "
                    + "WHERE index_relid = '" + HNSW + "'::regclass")).isEqualTo(1);

            // then the run fails on that statement and leaves the index INVALID
            assertThatThrownBy(() -> upgrade.get(2, TimeUnit.MINUTES))
                    .cause().isInstanceOf(SchemaException.ScriptFailed.class)
                    .hasMessageContaining("V002__optimize_pgvector_and_jsonb.sql")
                    .hasMessageContaining("canceling statement due to user request");
        } finally {
            pool.shutdownNow();
        }
        assertThat(validity()).containsEntry(HNSW, false);
        assertThat(run(MigrationEngine::status).invalidIndexes()).extracting(i -> i.name()).containsExactly(HNSW);

        // when the next run comes
        SchemaResult next = run(e -> e.upgrade(Optional.empty(), Optional.empty(), "cancel-again"));

        // then it dropped and rebuilt the index, and applied V002
        assertThat(next.repaired()).containsExactly(HNSW);
        assertThat(next.migrated()).containsExactly(new Version(2));
        assertThat(validity()).containsOnlyKeys(V002_INDEXES).allSatisfy((index, valid) -> assertThat(valid)
                .as(index).isTrue());
    }

    // --- workload ---

    /** One session doing one kind of round trip in a loop; it records how many and when. */
    private final class Worker {
        final String name;
        final RoundTrip roundTrip;
        final AtomicLong done = new AtomicLong();
        final ConcurrentLinkedQueue<long[]> spans = new ConcurrentLinkedQueue<>();
        final dev.failsafe.RateLimiter<Object> pace = dev.failsafe.RateLimiter.smoothBuilder(PER_SECOND,
                Duration.ofSeconds(1)).build();

        Worker(String name, RoundTrip roundTrip) {
            this.name = name;
            this.roundTrip = roundTrip;
        }

        void loop(AtomicBoolean stop, ConcurrentLinkedQueue<Throwable> failures) {
            try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
                long i = 0;
                while (!stop.get()) {
                    pace.acquirePermit();
                    long start = System.nanoTime();
                    roundTrip.run(c, i++);
                    spans.add(new long[] {start, System.nanoTime()});
                    done.incrementAndGet();
                }
            } catch (Throwable t) {
                failures.add(new AssertionError(name + " failed", t));
            }
        }

        long completedWithin(long from, long to) {
            return spans.stream().filter(s -> s[0] >= from && s[1] <= to).count();
        }

        long slowestMs() {
            return spans.stream().mapToLong(s -> s[1] - s[0]).max().orElse(0) / 1_000_000;
        }
    }

    @FunctionalInterface
    private interface RoundTrip {
        void run(Connection c, long i) throws SQLException;
    }

    /** Inserts a document, then updates the metadata and embedding of an existing one. */
    private void insertAndUpdate(Connection c, long i) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO documents (document_type, title, metadata, "
                + "embedding) VALUES ('live', ?, '{\"source\": \"live\"}', ?::vector)");
             PreparedStatement update = c.prepareStatement("UPDATE documents SET metadata = metadata || "
                     + "'{\"touched\": true}', embedding = ?::vector, updated_at = now() WHERE id = ?")) {
            insert.setString(1, "live " + i);
            insert.setString(2, vector(i));
            insert.executeUpdate();
            update.setString(1, vector(i + 1));
            update.setObject(2, seededIds.get((int) Math.floorMod(i * 7919, (long) seededIds.size())));
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    private void nearestTen(Connection c, long i) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM documents ORDER BY embedding <=> ?::vector "
                + "LIMIT 10")) {
            ps.setString(1, vector(i));
            try (ResultSet rs = ps.executeQuery()) {
                int n = 0;
                while (rs.next()) {
                    n++;
                }
                assertThat(n).isEqualTo(10);
            }
        }
    }

    private void jsonbContainment(Connection c, long i) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM (SELECT id FROM documents WHERE "
                + "metadata @> ?::jsonb LIMIT 50) m")) {
            ps.setString(1, "{\"source\": \"" + SOURCES[(int) (i % SOURCES.length)] + "\"}");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isPositive();
            }
        }
    }

    private static final String[] SOURCES = {"wiki", "mail", "crm", "web"};

    private static String vector(long seed) {
        return IntStream.range(0, DIMS).mapToObj(d -> Float.toString((((d * 31 + seed * 7) % 97) - 48) / 97f))
                .collect(Collectors.joining(",", "[", "]"));
    }

    /**
     * {@code rows} documents with random 1536-d embeddings, generated by the server in one statement (the subquery
     * refers to the row, so it runs once per row).
     */
    private void seedDocuments(int rows) throws SQLException {
        execute("INSERT INTO documents (document_type, title, metadata, embedding) "
                + "SELECT (ARRAY['note', 'wiki', 'mail'])[1 + g % 3], 'document ' || g, "
                + "jsonb_build_object('source', (ARRAY['wiki', 'mail', 'crm', 'web'])[1 + g % 4], 'n', g), "
                + "(SELECT array_agg(random() - 0.5)::vector FROM generate_series(1, " + DIMS + ") WHERE g > 0) "
                + "FROM generate_series(1, " + rows + ") g");
        execute("ANALYZE documents");
    }

    // --- fixture helpers ---

    private List<java.util.UUID> ids(int limit) throws SQLException {
        List<java.util.UUID> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM documents LIMIT " + limit)) {
            while (rs.next()) {
                out.add((java.util.UUID) rs.getObject(1));
            }
        }
        return out;
    }

    private <T> T run(Function<MigrationEngine, T> work) {
        var settings = new PostgresSettings(url, "postgres", Optional.empty(), "public", "classpath:db/postgres",
                Duration.ofSeconds(60));
        try (var adapter = PostgresAdapter.connect(settings)) {
            return work.apply(new MigrationEngine(adapter, new MigrationSource(settings.migrationsDir(), "sql"),
                    settings.lockWait()));
        }
    }

    /** Phase of the HNSW build on documents in progress, if one is. */
    private Optional<String> hnswBuildPhase() throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT p.phase FROM pg_stat_progress_create_index p "
                     + "JOIN pg_class i ON i.oid = p.index_relid WHERE i.relname = '" + HNSW + "'")) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    /** The V002-named indexes of the database and whether each is valid. */
    private java.util.Map<String, Boolean> validity() throws SQLException {
        java.util.Map<String, Boolean> out = new java.util.TreeMap<>();
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c "
                     + "ON c.oid = i.indexrelid WHERE c.relname LIKE 'idx\\_%' AND c.relname NOT LIKE '%ivfflat'")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getBoolean(2));
            }
        }
        return out;
    }

    private static String database(String name) {
        try (Connection c = DriverManager.getConnection(LocalStack.postgresJdbcUrl(), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
            // the HNSW graph of 1536-d rows is large: let the build keep it in memory, as a DBA would for a build
            s.execute("ALTER DATABASE " + name + " SET maintenance_work_mem = '1GB'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return LocalStack.postgresJdbcUrl().replaceFirst("/postgres$", "/" + name);
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private long queryLong(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
