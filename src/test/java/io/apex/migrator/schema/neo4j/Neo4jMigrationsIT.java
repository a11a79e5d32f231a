package io.apex.migrator.schema.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.apex.migrator.schema.Checksum;
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
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;

/**
 * The db/neo4j migrations and the engine's guarantees on a real Neo4j 5 (harness, community edition: one
 * database, so each test starts from an empty graph and schema).
 */
class Neo4jMigrationsIT {

    private static final String MIGRATIONS = "classpath:db/neo4j";
    private static final Set<String> ENGINE_CONSTRAINTS = Set.of("apex_schema_version", "apex_migration_lock_name");
    private static final Set<String> V001_CONSTRAINTS = Set.of("document_id", "chunk_id", "entity_id", "topic_name");
    private static final Set<String> V001_INDEXES = Set.of("document_type", "chunk_document_id", "entity_name",
            "entity_type", "chunk_content");

    private static Driver driver;

    @TempDir
    Path tmp;

    @BeforeAll
    static void connect() {
        driver = GraphDatabase.driver(LocalStack.neo4jUri(), AuthTokens.none());
    }

    @AfterAll
    static void disconnect() {
        wipe();
        driver.close();
    }

    @BeforeEach
    void emptyGraph() {
        wipe();
    }

    @Test
    void upStatusDownUpRoundTripsLeaveTheExpectedSchemaAtEachStep() {
        // given an entity whose name V002 normalizes
        cypher("CREATE (:Entity {id: 'e1', name: '  Alice Smith '})");

        // when up
        SchemaResult up = run(MIGRATIONS, e -> e.upgrade(Optional.empty(), Optional.empty(), "it-up"));

        // then
        assertThat(up.migrated()).containsExactly(new Version(1), new Version(2));
        assertThat(constraints()).isEqualTo(union(ENGINE_CONSTRAINTS, V001_CONSTRAINTS));
        assertThat(indexes()).isEqualTo(union(V001_INDEXES, Set.of("entity_normalized_name")));
        assertThat(cypherString("MATCH (e:Entity {id: 'e1'}) RETURN e.normalized_name")).isEqualTo("alice smith");
        SchemaStatus status = run(MIGRATIONS, MigrationEngine::status);
        assertThat(status.current()).contains(new Version(2));
        assertThat(status.migrations()).extracting(MigrationState::state)
                .containsExactly(MigrationState.State.APPLIED, MigrationState.State.APPLIED);
        assertThat(status.migrations().get(0).applied().orElseThrow().appliedBy()).contains("pid");

        // when down 1
        run(MIGRATIONS, e -> e.downgrade(1, "it-down-1"));

        // then V002's index and data change are gone
        assertThat(constraints()).isEqualTo(union(ENGINE_CONSTRAINTS, V001_CONSTRAINTS));
        assertThat(indexes()).isEqualTo(V001_INDEXES);
        assertThat(cypherString("MATCH (e:Entity {id: 'e1'}) RETURN coalesce(e.normalized_name, 'none')")).isEqualTo("none");
        assertThat(run(MIGRATIONS, MigrationEngine::status).in(MigrationState.State.PENDING))
                .extracting(MigrationState::version).containsExactly(new Version(2));

        // when down the rest
        SchemaResult down = run(MIGRATIONS, e -> e.downgrade(1, "it-down-2"));

        // then only the engine's own constraints remain
        assertThat(down.version()).isEmpty();
        assertThat(constraints()).isEqualTo(ENGINE_CONSTRAINTS);
        assertThat(indexes()).isEmpty();
        assertThat(cypherLong("MATCH (v:SchemaVersion) RETURN count(v)")).isZero();

        // when up again
        run(MIGRATIONS, e -> e.upgrade(Optional.empty(), Optional.empty(), "it-up-again"));

        // then
        assertThat(constraints()).isEqualTo(union(ENGINE_CONSTRAINTS, V001_CONSTRAINTS));
        assertThat(indexes()).isEqualTo(union(V001_INDEXES, Set.of("entity_normalized_name")));
        assertThat(cypherLong("MATCH (v:SchemaVersion) RETURN count(v)")).isEqualTo(2);
    }

    @Test
    void twoRunnersStartedAtOnceApplyV001Once() throws Exception {
        // given
        String once = "classpath:db/neo4j-once";
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // when
            List<Future<SchemaResult>> runs = List.of(
                    pool.submit(() -> { start.await(); return run(once, e -> e.upgrade(Optional.empty(), Optional.empty(), "a")); }),
                    pool.submit(() -> { start.await(); return run(once, e -> e.upgrade(Optional.empty(), Optional.empty(), "b")); }));
            start.countDown();
            List<SchemaResult> results = List.of(runs.get(0).get(2, TimeUnit.MINUTES), runs.get(1).get(2, TimeUnit.MINUTES));

            // then
            assertThat(results).flatExtracting(SchemaResult::migrated).containsExactly(new Version(1));
            assertThat(cypherLong("MATCH (m:ApplyMark) RETURN count(m)")).isEqualTo(1);
            assertThat(cypherLong("MATCH (v:SchemaVersion {version: 1}) RETURN count(v)")).isEqualTo(1);
            assertThat(cypherLong("MATCH (l:ApexMigrationLock) RETURN count(l)")).as("lock released").isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aKilledRunnersLockExpiresAndTheNextRunnerTakesOver() {
        // given a runner that took the lock with a 2 s lease and then died (stopped renewing, never released)
        Neo4jSettings settings = settings(MIGRATIONS);
        String deadOwner;
        try (var crashed = Neo4jAdapter.connect(settings.withLock(Duration.ZERO, Duration.ofSeconds(2)))) {
            assertThat(crashed.lock().tryAcquire()).isTrue();
            crashed.leaseLock().stopHeartbeat();
            deadOwner = crashed.leaseLock().owner();
        }

        // then a runner that will not wait is refused, naming the holder
        assertThatThrownBy(() -> run(settings.withLock(Duration.ZERO, Duration.ofSeconds(60)), MIGRATIONS,
                e -> e.upgrade(Optional.empty(), Optional.empty(), "impatient")))
                .isInstanceOf(SchemaException.LockUnavailable.class)
                .hasMessageContaining(deadOwner);

        // when a runner that waits longer than the lease tries
        long started = System.nanoTime();
        SchemaResult result = run(settings.withLock(Duration.ofSeconds(30), Duration.ofSeconds(60)), MIGRATIONS,
                e -> e.upgrade(Optional.empty(), Optional.empty(), "patient"));

        // then it took over the expired lock and applied everything
        assertThat(result.migrated()).containsExactly(new Version(1), new Version(2));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        assertThat(cypherLong("MATCH (l:ApexMigrationLock) RETURN count(l)")).isZero();
    }

    @Test
    void aRunnerPausedPastItsLeaseStopsBeforeItsNextStatementWhileTheRunnerThatTookOverAppliesTheRest()
            throws Exception {
        // given three data migrations, and a runner with a 2 s lease that freezes (its heartbeat too, like a
        // process stopped by a long GC pause or SIGSTOP) right before the statement of V002
        Path dir = Files.createDirectories(tmp.resolve("fenced"));
        for (int v = 1; v <= 3; v++) {
            Files.writeString(dir.resolve("V00" + v + "__mark_" + v + ".cypher"), "CREATE (:FenceMark {v: " + v + "});\n");
        }
        Neo4jSettings settings = settings(dir.toString());
        CountDownLatch frozen = new CountDownLatch(1);
        CountDownLatch thawed = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        SchemaResult second;
        try (var paused = Neo4jAdapter.connect(settings.withLock(Duration.ZERO, Duration.ofSeconds(2)))) {
            int[] statements = {0};
            paused.beforeEachStatement(() -> {
                if (++statements[0] == 2) {
                    paused.leaseLock().stopHeartbeat();
                    frozen.countDown();
                    awaitQuietly(thawed);
                }
            });
            Future<SchemaResult> first = pool.submit(() -> new MigrationEngine(paused,
                    new MigrationSource(dir.toString(), "cypher"), Duration.ZERO)
                    .upgrade(Optional.empty(), Optional.empty(), "frozen"));
            assertThat(frozen.await(2, TimeUnit.MINUTES)).as("the first runner reached V002").isTrue();

            // when its lease runs out and a second runner takes the lock over and applies what is left
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                    cypherLong("MATCH (l:ApexMigrationLock) WHERE l.expires_at < datetime() RETURN count(l)") == 1);
            second = run(settings.withLock(Duration.ofSeconds(30), Duration.ofSeconds(60)),
                    dir.toString(), e -> e.upgrade(Optional.empty(), Optional.empty(), "took-over"));
            thawed.countDown();

            // then the first runner, thawed, stops before its next statement with a clear message ...
            assertThatThrownBy(() -> first.get(2, TimeUnit.MINUTES)).hasCauseInstanceOf(SchemaException.LockLost.class)
                    .cause().hasMessageContaining("lost the neo4j migration lock")
                    .hasMessageContaining(paused.leaseLock().owner())
                    .hasMessageContaining("stopped before the next statement");
        } finally {
            thawed.countDown();
            pool.shutdownNow();
        }

        // ... having applied nothing more: each migration's statement ran once, by the first runner or the second
        assertThat(second.migrated()).containsExactly(new Version(2), new Version(3));
        for (int v = 1; v <= 3; v++) {
            assertThat(cypherLong("MATCH (m:FenceMark {v: " + v + "}) RETURN count(m)")).as("V00" + v).isEqualTo(1);
        }
        assertThat(cypherLong("MATCH (v:SchemaVersion) RETURN count(v)")).isEqualTo(3);
    }

    @Test
    void aDataTransactionOfARunnerWhoseLeaseWasTakenOverCannotCommit() {
        // given a runner whose lease (1 s) ran out while its data transaction was open, and a second runner that
        // took the lock over
        Neo4jSettings settings = settings(MIGRATIONS);
        try (var first = Neo4jAdapter.connect(settings.withLock(Duration.ZERO, Duration.ofSeconds(1)));
             var second = Neo4jAdapter.connect(settings.withLock(Duration.ZERO, Duration.ofSeconds(60)));
             var session = driver.session(); var tx = session.beginTransaction()) {
            assertThat(first.lock().tryAcquire()).isTrue();
            first.leaseLock().stopHeartbeat();
            tx.run("CREATE (:FenceMark {v: 99})").consume();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> second.lock().tryAcquire());

            // when / then: the fence before its commit refuses it, and the transaction ends without committing
            assertThatThrownBy(() -> first.leaseLock().fence(tx)).isInstanceOf(SchemaException.LockLost.class)
                    .hasMessageContaining(second.leaseLock().owner());
            second.lock().release();
        }
        assertThat(cypherLong("MATCH (m:FenceMark {v: 99}) RETURN count(m)")).isZero();
    }

    @Test
    void anEditedAppliedFileIsRefusedWithItsNameAndBothChecksums() throws Exception {
        // given
        Path dir = copyScripts();
        run(dir.toString(), e -> e.upgrade(Optional.of("V001"), Optional.empty(), "edit-1"));
        Path v1 = dir.resolve("V001__initial_schema.cypher");
        String applied = Checksum.of(Files.readString(v1)).hex();
        Files.writeString(v1, Files.readString(v1).replace("entity_type", "entity_kind"));
        String edited = Checksum.of(Files.readString(v1)).hex();

        // when / then
        assertThatThrownBy(() -> run(dir.toString(), e -> e.upgrade(Optional.empty(), Optional.empty(), "edit-2")))
                .isInstanceOf(SchemaException.ChecksumMismatch.class)
                .hasMessageContaining("V001__initial_schema.cypher")
                .hasMessageContaining(applied).hasMessageContaining(edited);
        assertThat(cypherLong("MATCH (v:SchemaVersion) RETURN count(v)")).isEqualTo(1);
    }

    @Test
    void aSyntaxErrorLeavesNoSchemaVersionAndNamesTheFileAndLine() throws Exception {
        // given
        Path dir = copyScripts();
        Files.delete(dir.resolve("V002__normalize_entity_names.cypher"));
        Files.delete(dir.resolve("V002__normalize_entity_names_rollback.cypher"));
        Files.writeString(dir.resolve("V002__broken.cypher"), "// a data migration with a typo\n"
                + "MATCH (e:Entity)\n"
                + "SET e.flag = true;\n"
                + "MATCH (d:Document)\n"
                + "SETT d.flag = true;\n");

        // when / then
        assertThatThrownBy(() -> run(dir.toString(), e -> e.upgrade(Optional.empty(), Optional.empty(), "broken")))
                .isInstanceOf(SchemaException.ScriptFailed.class)
                .hasMessageStartingWith("V002__broken.cypher:5: ")
                .hasMessageContaining("SyntaxError");
        assertThat(cypherLong("MATCH (v:SchemaVersion) RETURN count(v)")).isEqualTo(1);
        assertThat(cypherLong("MATCH (v:SchemaVersion {version: 2}) RETURN count(v)")).isZero();
    }

    // --- fixture helpers ---

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Neo4jSettings settings(String migrations) {
        return new Neo4jSettings(LocalStack.neo4jUri(), Optional.empty(), Optional.empty(), Optional.empty(), migrations,
                Duration.ofSeconds(60), Duration.ofSeconds(60));
    }

    private static <T> T run(String migrations, Function<MigrationEngine, T> work) {
        return run(settings(migrations), migrations, work);
    }

    private static <T> T run(Neo4jSettings settings, String migrations, Function<MigrationEngine, T> work) {
        try (var adapter = Neo4jAdapter.connect(settings)) {
            return work.apply(new MigrationEngine(adapter, new MigrationSource(migrations, "cypher"), settings.lockWait()));
        }
    }

    private Path copyScripts() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("neo4j"));
        for (String name : List.of("V001__initial_schema.cypher", "V001__initial_schema_rollback.cypher",
                "V002__normalize_entity_names.cypher", "V002__normalize_entity_names_rollback.cypher")) {
            try (var in = getClass().getClassLoader().getResourceAsStream("db/neo4j/" + name)) {
                Files.write(dir.resolve(name), in.readAllBytes());
            }
        }
        return dir;
    }

    private static Set<String> constraints() {
        return names("SHOW CONSTRAINTS YIELD name RETURN name");
    }

    /** Indexes that are not LOOKUP indexes and not backing a constraint. */
    private static Set<String> indexes() {
        return names("SHOW INDEXES YIELD name, type, owningConstraint WHERE type <> 'LOOKUP' AND owningConstraint IS NULL "
                + "RETURN name");
    }

    private static Set<String> names(String query) {
        try (var session = driver.session()) {
            return session.run(query).list(r -> r.get("name").asString()).stream().collect(Collectors.toSet());
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).collect(Collectors.toSet());
    }

    private static void cypher(String query) {
        try (var session = driver.session()) {
            session.run(query).consume();
        }
    }

    private static long cypherLong(String query) {
        try (var session = driver.session()) {
            return session.run(query).single().get(0).asLong();
        }
    }

    private static String cypherString(String query) {
        try (var session = driver.session()) {
            return session.run(query).single().get(0).asString();
        }
    }

    /** Empty graph and schema (the community edition has one database, shared by the test classes). */
    private static void wipe() {
        try (var session = driver.session()) {
            session.run("MATCH (n) DETACH DELETE n").consume();
            for (String c : session.run("SHOW CONSTRAINTS YIELD name RETURN name").list(r -> r.get(0).asString())) {
                session.run("DROP CONSTRAINT `" + c + "` IF EXISTS").consume();
            }
            for (String i : session.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name")
                    .list(r -> r.get(0).asString())) {
                session.run("DROP INDEX `" + i + "` IF EXISTS").consume();
            }
        }
    }
}
