package io.apex.migrator.schema.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.apex.migrator.schema.MigrationEngine;
import io.apex.migrator.schema.MigrationSource;
import io.apex.migrator.schema.MigrationState;
import io.apex.migrator.schema.SchemaException;
import io.apex.migrator.schema.SchemaResult;
import io.apex.migrator.schema.SchemaStatus;
import io.apex.migrator.schema.Version;
import io.apex.migrator.support.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Locking, zero-downtime builds and failure handling on Debian's real PostgreSQL 15 (real concurrent sessions;
 * no pgvector, so test-only script sets from src/test/resources/db/pg15). Each test gets a database of its own.
 */
class Postgres15MigrationsIT {

    @TempDir
    Path tmp;

    private String url;

    @Test
    void twoRunnersStartedAtOnceApplyEachMigrationExactlyOnce(TestInfo test) throws Exception {
        // given
        url = database(test);
        var settings = settings("classpath:db/pg15/runners");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // when
            List<Future<SchemaResult>> runs = List.of(
                    pool.submit(() -> { start.await(); return run(settings, e -> e.upgrade(Optional.empty(), Optional.empty(), "runner-a")); }),
                    pool.submit(() -> { start.await(); return run(settings, e -> e.upgrade(Optional.empty(), Optional.empty(), "runner-b")); }));
            start.countDown();
            List<SchemaResult> results = List.of(runs.get(0).get(2, TimeUnit.MINUTES), runs.get(1).get(2, TimeUnit.MINUTES));

            // then
            assertThat(results).flatExtracting(SchemaResult::migrated).containsExactly(new Version(1), new Version(2));
            assertThat(results).allSatisfy(r -> assertThat(r.version()).contains(new Version(2)));
            assertThat(queryLong("SELECT count(*) FROM apply_marks WHERE version = 1")).isEqualTo(1);
            assertThat(queryLong("SELECT count(*) FROM apply_marks WHERE version = 2")).isEqualTo(1);
            assertThat(queryLong("SELECT count(*) FROM apex_schema_history")).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRunnerThatCannotGetTheLockInTimeExitsNamingTheHolder(TestInfo test) {
        // given
        url = database(test);
        var settings = settings("classpath:db/pg15/runners");
        try (var holder = PostgresAdapter.connect(settings)) {
            assertThat(holder.lock().tryAcquire()).isTrue();

            // when / then
            assertThatThrownBy(() -> run(settings.withLockWait(Duration.ZERO),
                    e -> e.upgrade(Optional.empty(), Optional.empty(), "late")))
                    .isInstanceOf(SchemaException.LockUnavailable.class)
                    .hasMessageContaining("apex-migrator");
        }
        assertThat(run(settings, MigrationEngine::history)).isEmpty();
    }

    @Test
    void aConcurrentIndexBuildDoesNotBlockWritersAndReaders(TestInfo test) throws Exception {
        // given a table big enough that the build takes a while, and a writer that never stops
        url = database(test);
        var settings = settings("classpath:db/pg15/online");
        run(settings, e -> e.upgrade(Optional.of("1"), Optional.empty(), "online-v1"));
        execute("INSERT INTO events (tenant, payload) SELECT 't' || (g % 50), jsonb_build_object('n', g, "
                + "'tag', 'x' || (g % 1000), 'text', md5(g::text)) FROM generate_series(1, 60000) g");
        execute("ANALYZE events");
        List<long[]> ops = new CopyOnWriteArrayList<>(); // {startNanos, latencyNanos}
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> writerError = new AtomicReference<>();
        Thread writer = new Thread(() -> write(ops, stop, writerError), "writer");
        writer.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> ops.size() >= 20);

        // when
        long buildStart = System.nanoTime();
        SchemaResult result = run(settings, e -> e.upgrade(Optional.empty(), Optional.empty(), "online-v2"));
        long buildEnd = System.nanoTime();
        stop.set(true);
        writer.join(10_000);

        // then
        assertThat(writerError.get()).isNull();
        assertThat(result.migrated()).containsExactly(new Version(2));
        List<long[]> during = ops.stream().filter(o -> o[0] >= buildStart && o[0] + o[1] <= buildEnd).toList();
        long maxLatency = ops.stream().filter(o -> o[0] + o[1] >= buildStart && o[0] <= buildEnd)
                .mapToLong(o -> o[1]).max().orElseThrow();
        Duration build = Duration.ofNanos(buildEnd - buildStart);
        System.out.printf("concurrent build: %d ms; writer ops during it: %d; max writer latency: %.1f ms%n",
                build.toMillis(), during.size(), maxLatency / 1e6);
        assertThat(build).as("the build must take long enough to measure").isGreaterThan(Duration.ofMillis(800));
        assertThat(during).as("writes and reads completed while the index was built").hasSizeGreaterThan(50);
        assertThat(Duration.ofNanos(maxLatency)).as("no writer waited for the build")
                .isLessThan(build.dividedBy(4));
        assertThat(queryLong("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                + "WHERE c.relname IN ('events_payload_gin', 'events_tenant_created') AND i.indisvalid")).isEqualTo(2);
    }

    @Test
    void aFailedConcurrentBuildLeavesAnInvalidIndexThatStatusShowsAndTheNextRunRebuilds(TestInfo test) throws Exception {
        // given duplicates that make the unique build fail
        url = database(test);
        var settings = settings("classpath:db/pg15/failing");
        assertThatThrownBy(() -> run(settings, e -> e.upgrade(Optional.empty(), Optional.empty(), "fail")))
                .isInstanceOf(SchemaException.ScriptFailed.class)
                .hasMessageStartingWith("V002__unique_email.sql:2: could not create unique index");
        SchemaStatus failed = run(settings, MigrationEngine::status);
        assertThat(failed.invalidIndexes()).extracting(i -> i.name()).containsExactly("accounts_email_key");
        assertThat(failed.migrations()).extracting(MigrationState::state)
                .containsExactly(MigrationState.State.APPLIED, MigrationState.State.PENDING);
        execute("DELETE FROM accounts WHERE id = 3");

        // when
        SchemaResult recovered = run(settings, e -> e.upgrade(Optional.empty(), Optional.empty(), "recover"));

        // then
        assertThat(recovered.repaired()).containsExactly("accounts_email_key");
        assertThat(recovered.migrated()).containsExactly(new Version(2));
        assertThat(recovered.indexes()).filteredOn(i -> i.name().equals("accounts_email_key"))
                .singleElement().satisfies(i -> assertThat(i.valid()).isTrue());
        assertThat(run(settings, MigrationEngine::status).invalidIndexes()).isEmpty();
    }

    @Test
    void aSyntaxErrorNamesTheFileAndLineAndRecordsNothing(TestInfo test) throws Exception {
        // given
        url = database(test);
        var settings = settings("classpath:db/pg15/broken");

        // when / then
        assertThatThrownBy(() -> run(settings, e -> e.upgrade(Optional.empty(), Optional.empty(), "broken")))
                .isInstanceOf(SchemaException.ScriptFailed.class)
                .hasMessageStartingWith("V002__broken.sql:4: syntax error");
        assertThat(run(settings, MigrationEngine::history)).extracting(h -> h.version().number()).containsExactly(1);
        assertThat(queryLong("SELECT count(*) FROM pg_class WHERE relname IN ('u', 'w')"))
                .as("the failed script's transaction was rolled back").isZero();
    }

    @Test
    void aDatabaseWithoutPgvectorIsRefusedBeforeAnythingIsApplied(TestInfo test) throws Exception {
        // given
        url = database(test);
        var settings = settings("classpath:db/postgres");

        // when / then
        assertThatThrownBy(() -> run(settings, e -> e.upgrade(Optional.empty(), Optional.empty(), "no-vector")))
                .isInstanceOf(SchemaException.PreconditionFailed.class)
                .hasMessageContaining("V001__baseline.sql:3")
                .hasMessageContaining("'vector' (pgvector)")
                .hasMessageContaining("nothing was applied");
        assertThat(queryLong("SELECT count(*) FROM apex_schema_history")).isZero();
        assertThat(queryLong("SELECT count(*) FROM pg_class WHERE relname = 'documents'")).isZero();
    }

    @Test
    void aBackupIsTakenWithPgDumpBeforeTheUpgrade(TestInfo test) throws Exception {
        // given
        url = database(test);
        var settings = settings("classpath:db/pg15/broken");
        run(settings, e -> e.upgrade(Optional.of("1"), Optional.empty(), "before-backup"));
        Path backup = tmp.resolve("before-v2.sql");

        // when
        assertThatThrownBy(() -> run(settings, e -> e.upgrade(Optional.empty(), Optional.of(backup), "backup")))
                .isInstanceOf(SchemaException.ScriptFailed.class);

        // then the dump was written first and holds the V001 state
        assertThat(Files.readString(backup)).contains("CREATE TABLE public.t", "CREATE TABLE public.apex_schema_history");
    }

    // --- fixture helpers ---

    private PostgresSettings settings(String migrations) {
        return new PostgresSettings(url, "postgres", Optional.empty(), "public", migrations, Duration.ofSeconds(60));
    }

    private static <T> T run(PostgresSettings settings, Function<MigrationEngine, T> work) {
        try (var adapter = PostgresAdapter.connect(settings)) {
            return work.apply(new MigrationEngine(adapter, new MigrationSource(settings.migrationsDir(), "sql"),
                    settings.lockWait()));
        }
    }

    private void write(List<long[]> ops, AtomicBoolean stop, AtomicReference<Throwable> error) {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             PreparedStatement insert = c.prepareStatement("INSERT INTO events (tenant, payload) VALUES (?, ?::jsonb) "
                     + "RETURNING id");
             PreparedStatement read = c.prepareStatement("SELECT payload FROM events WHERE id = ?")) {
            int i = 0;
            while (!stop.get()) {
                long t0 = System.nanoTime();
                insert.setString(1, "t" + (i % 50));
                insert.setString(2, "{\"tag\": \"live\", \"n\": " + i + "}");
                long id;
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
                read.setLong(1, id);
                try (ResultSet rs = read.executeQuery()) {
                    rs.next();
                }
                ops.add(new long[] {t0, System.nanoTime() - t0});
                i++;
            }
        } catch (Throwable t) {
            error.set(t);
        }
    }

    private String database(TestInfo test) {
        String name = "schema_" + test.getTestMethod().orElseThrow().getName().toLowerCase().replaceAll("[^a-z0-9]", "")
                .substring(0, 20);
        try (Connection c = DriverManager.getConnection(LocalStack.postgresJdbcUrl(), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
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
