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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
        // given: an open transaction that has written to the table holds the concurrent build in its "waiting for
        // writers" phase for as long as the test wants, so "during the build" is a state, not a stopwatch reading
        url = database(test);
        var settings = settings("classpath:db/pg15/online");
        run(settings, e -> e.upgrade(Optional.of("1"), Optional.empty(), "online-v1"));
        execute("INSERT INTO events (tenant, payload) SELECT 't' || (g % 50), jsonb_build_object('n', g, "
                + "'tag', 'x' || (g % 1000), 'text', md5(g::text)) FROM generate_series(1, 5000) g");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection holder = DriverManager.getConnection(url, "postgres", "");
             Connection writer = DriverManager.getConnection(url, "postgres", "")) {
            holder.setAutoCommit(false);
            execute(holder, "INSERT INTO events (tenant, payload) VALUES ('holder', '{}')");
            Future<SchemaResult> build = pool.submit(() -> run(settings,
                    e -> e.upgrade(Optional.empty(), Optional.empty(), "online-v2")));
            await().atMost(Duration.ofSeconds(60)).until(() -> build.isDone()
                    || buildPhase().filter(phase -> phase.contains("waiting for writers")).isPresent());
            assertThat(buildPhase()).as("the build waits for the open writer").hasValueSatisfying(phase ->
                    assertThat(phase).startsWith("CREATE INDEX CONCURRENTLY: waiting for writers"));
            long writerPid = queryLong(writer, "SELECT pg_backend_pid()");

            // when: another session inserts and reads while the build is in progress
            Future<String> written = pool.submit(() -> {
                long id = queryLong(writer, "INSERT INTO events (tenant, payload) VALUES ('live', "
                        + "'{\"tag\": \"live\"}') RETURNING id");
                return queryString(writer, "SELECT payload->>'tag' FROM events WHERE id = " + id);
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> written.isDone() || waitsForALock(writerPid));

            // then: it committed without ever waiting for a lock, and the build was still going on
            assertThat(waitsForALock(writerPid)).as("the writer waits for a lock the build holds").isFalse();
            assertThat(written.get()).isEqualTo("live");
            assertThat(buildPhase()).as("the build is still in progress").isPresent();
            assertThat(build).isNotDone();
            holder.commit();
            assertThat(build.get(2, TimeUnit.MINUTES).migrated()).containsExactly(new Version(2));
        } finally {
            pool.shutdownNow();
        }
        assertThat(queryLong("SELECT count(*) FROM events WHERE tenant IN ('live', 'holder')")).isEqualTo(2);
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

    /**
     * "pgvector cannot be created here", made deterministic on every machine: this server has pgvector's files
     * (scripts/install-deps builds them), but pgvector is not a trusted extension, so a role that is not a superuser
     * may not create it. That is also the common production case (the migrator's role is not a superuser).
     */
    @Test
    void aRoleThatMayNotCreatePgvectorIsRefusedBeforeAnythingIsApplied(TestInfo test) throws Exception {
        // given a database without the extension and a role that may not create it
        url = database(test);
        execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'apex_not_superuser') THEN "
                + "CREATE ROLE apex_not_superuser LOGIN; END IF; END $$");
        execute("GRANT ALL ON SCHEMA public TO apex_not_superuser");
        var settings = new PostgresSettings(url, "apex_not_superuser", Optional.empty(), "public",
                "classpath:db/postgres", Duration.ofSeconds(60));

        // when / then
        assertThatThrownBy(() -> run(settings, e -> e.upgrade(Optional.empty(), Optional.empty(), "no-vector")))
                .isInstanceOf(SchemaException.PreconditionFailed.class)
                .hasMessageContaining("V001__baseline.sql:3")
                .hasMessageContaining("'vector' (pgvector)")
                .hasMessageContaining("role apex_not_superuser may not create")
                .hasMessageContaining("nothing was applied");
        // not even the history table: the preflight comes before anything is created
        assertThat(queryLong("SELECT count(*) FROM pg_class WHERE relname IN ('apex_schema_history', 'documents')"))
                .isZero();
        assertThat(queryLong("SELECT count(*) FROM pg_extension WHERE extname = 'vector'")).isZero();
    }

    @Test
    void anExtensionTheServerDoesNotProvideIsRefusedBeforeAnythingIsApplied(TestInfo test) throws Exception {
        // given a migration that needs an extension no PostgreSQL server ships
        url = database(test);
        Path dir = Files.createDirectories(tmp.resolve("missing-extension"));
        Files.writeString(dir.resolve("V001__needs_extension.sql"),
                "CREATE TABLE before_extension (id integer);\nCREATE EXTENSION IF NOT EXISTS apex_no_such_extension;\n");

        // when / then
        assertThatThrownBy(() -> run(settings(dir.toString()), e -> e.upgrade(Optional.empty(), Optional.empty(),
                "no-extension")))
                .isInstanceOf(SchemaException.PreconditionFailed.class)
                .hasMessageContaining("V001__needs_extension.sql:2")
                .hasMessageContaining("'apex_no_such_extension', which the server at")
                .hasMessageContaining("does not provide")
                .hasMessageContaining("nothing was applied");
        assertThat(queryLong("SELECT count(*) FROM pg_class WHERE relname IN ('apex_schema_history', "
                + "'before_extension')")).isZero();
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

    @Test
    void aRunnerWhoseLockSessionIsTerminatedStopsBeforeItsNextStatementWhileTheNextRunnerAppliesTheRest(TestInfo test)
            throws Exception {
        // given three migrations, and a runner held right before the statement of V002
        url = database(test);
        Path dir = Files.createDirectories(tmp.resolve("fenced"));
        Files.writeString(dir.resolve("V001__marks.sql"), "CREATE TABLE fence_marks (v integer NOT NULL);\n");
        Files.writeString(dir.resolve("V002__mark_2.sql"), "INSERT INTO fence_marks VALUES (2);\n");
        Files.writeString(dir.resolve("V003__mark_3.sql"), "INSERT INTO fence_marks VALUES (3);\n");
        var settings = settings(dir.toString());
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        SchemaResult second;
        try (var first = PostgresAdapter.connect(settings)) {
            int[] statements = {0};
            first.beforeEachStatement(() -> {
                if (++statements[0] == 2) {
                    held.countDown();
                    try {
                        released.await(5, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            Future<SchemaResult> firstRun = pool.submit(() -> new MigrationEngine(first,
                    new MigrationSource(dir.toString(), "sql"), Duration.ZERO)
                    .upgrade(Optional.empty(), Optional.empty(), "terminated"));
            assertThat(held.await(2, TimeUnit.MINUTES)).as("the first runner reached V002").isTrue();

            // when the session holding its lock is terminated, and the next runner takes the lock and goes on
            long key = ((AdvisoryLock) first.lock()).key();
            assertThat(queryLong("SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' "
                    + "AND granted AND classid::bigint = " + (key >>> 32) + " AND objid::bigint = "
                    + (key & 0xffffffffL) + " AND objsubid = 1")).isEqualTo(1);
            second = run(settings, e -> e.upgrade(Optional.empty(), Optional.empty(), "next"));
            released.countDown();

            // then the first runner stops before its next statement, saying why
            assertThatThrownBy(() -> firstRun.get(2, TimeUnit.MINUTES))
                    .hasCauseInstanceOf(SchemaException.LockLost.class)
                    .cause().hasMessageContaining("lost the postgres migration lock")
                    .hasMessageContaining("session");
        } finally {
            released.countDown();
            pool.shutdownNow();
        }

        // and applied nothing more: V002 and V003 ran once, by the next runner
        assertThat(second.migrated()).containsExactly(new Version(2), new Version(3));
        assertThat(queryLong("SELECT count(*) FROM fence_marks WHERE v = 2")).isEqualTo(1);
        assertThat(queryLong("SELECT count(*) FROM fence_marks WHERE v = 3")).isEqualTo(1);
        assertThat(queryLong("SELECT count(*) FROM apex_schema_history")).isEqualTo(3);
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

    /** The command and phase of the index build on {@code events} in progress, if one is. */
    private Optional<String> buildPhase() throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT command || ': ' || phase FROM pg_stat_progress_create_index "
                     + "WHERE relid = 'events'::regclass")) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    /** Whether the session {@code pid} waits for a lock it has not been granted. */
    private boolean waitsForALock(long pid) throws SQLException {
        return queryLong("SELECT count(*) FROM pg_locks WHERE NOT granted AND pid = " + pid) > 0;
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
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            return queryLong(c, sql);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String queryString(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
