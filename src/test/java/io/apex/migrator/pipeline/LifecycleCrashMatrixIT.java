package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.apex.migrator.support.LocalStack;
import io.apex.migrator.support.ServiceProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The run lifecycle's proof on real processes: for every crash point of the pipeline and of the schema jobs, a
 * replica of the packaged application halts there (like SIGKILL: no shutdown hooks, no offset commits) while it is
 * the only replica, then another one takes over from the stored state. Every run must end once: completed, the
 * alias moved once, one alias-swapped recorded, schema-ready delivered under one CloudEvent id, the target equal to
 * the source point for point. Every schema command must end with schema-ready, each version applied once. A release
 * crashed after its parts, right after its one UpdateAliases, or while recording a release.cutover command must end
 * with its alias moved once and one release-ready. A run whose range failed verification for good, crashed right
 * after that report was stored, must end failed, its alias never moved ({@link CrashWork#failedVerification}). The time
 * from the kill to the work moving again and to its end is printed as a table (README "Reliability"): figures, not
 * assertions.
 *
 * <p>The replica that takes over a scenario is, where it can be, the next scenario's crashing replica: its crash
 * point is scoped to the next scenario's source ({@code apex.crash-point.source}) or is a schema point while a run
 * is taken over, so it cannot trip on the work it takes over; one JVM start per scenario instead of two.
 * {@code -Dapex.crash-matrix.only=after-plan,mid-copy} runs a subset.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LifecycleCrashMatrixIT {

    private static final Logger LOGGER = Logger.getLogger(LifecycleCrashMatrixIT.class);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    static final int POINTS = LifecycleStack.HEAVY ? 6_000 : 3_000;
    static final int RANGE = 300;

    enum Flow {
        AUTO_CUTOVER, MANUAL_CUTOVER, REPLACE_COLLECTION, POSTGRES_SCHEMA, NEO4J_SCHEMA, RELEASE, MANUAL_RELEASE, IN_PLACE,
        /** A range's verify task fails for good: the run must end failed, whoever stored the report. */
        VERIFY_FAILED;

        boolean schema() {
            return this == POSTGRES_SCHEMA || this == NEO4J_SCHEMA;
        }

        boolean release() {
            return this == RELEASE || this == MANUAL_RELEASE;
        }
    }

    /** A crash point and the work that reaches it; pipeline points are scoped to the scenario's own source. */
    record Scenario(String label, String point, Flow flow) {

        /** The pair's name: its source collection is {@code <name>_v1} ({@code <name>} when it is replaced). */
        String pairName() {
            return "m_" + label.replaceAll("[^a-z0-9]+", "_") + "_" + RUN;
        }

        Map<String, String> crashProperties() {
            return flow.schema() || flow.release() ? Map.of("apex.crash-point", point)
                    : Map.of("apex.crash-point", point, "apex.crash-point.source",
                            flow == Flow.REPLACE_COLLECTION ? pairName() : pairName() + "_v1");
        }

        /** Whether a replica crashing here can take over {@code current}'s work without tripping on it. */
        boolean safeWhileTakingOver(Scenario current) {
            // schema and release points are not scoped to a source: such a replica must not take over their like
            return (!flow.schema() || !current.flow.schema()) && (!flow.release() || !current.flow.release());
        }
    }

    static final List<Scenario> ALL = List.of(
            new Scenario("after-plan", "after-plan", Flow.AUTO_CUTOVER),
            new Scenario("after-dispatch", "after-dispatch", Flow.AUTO_CUTOVER),
            new Scenario("mid-copy", "mid-copy", Flow.AUTO_CUTOVER),
            new Scenario("before-backfill-check", "before-backfill-check", Flow.AUTO_CUTOVER),
            new Scenario("after-copied", "after-copied", Flow.AUTO_CUTOVER),
            new Scenario("mid-verification", "mid-verification", Flow.AUTO_CUTOVER),
            new Scenario("after-pass-closed", "after-pass-closed", Flow.AUTO_CUTOVER),
            new Scenario("after-failed-verify-stored", "after-failed-verify-stored", Flow.VERIFY_FAILED),
            new Scenario("after-verified", "after-verified", Flow.AUTO_CUTOVER),
            new Scenario("before-alias-swap", "before-alias-swap", Flow.AUTO_CUTOVER),
            new Scenario("after-alias-swap", "after-alias-swap", Flow.AUTO_CUTOVER),
            new Scenario("after-collection-dropped", "after-collection-dropped", Flow.REPLACE_COLLECTION),
            new Scenario("after-completed", "after-completed", Flow.AUTO_CUTOVER),
            new Scenario("mid-cutover-command", "mid-cutover-command", Flow.MANUAL_CUTOVER),
            new Scenario("mid-schema-migration postgres", "mid-schema-migration", Flow.POSTGRES_SCHEMA),
            new Scenario("release-after-parts", "release-after-parts", Flow.RELEASE),
            new Scenario("mid-schema-migration neo4j", "mid-schema-migration", Flow.NEO4J_SCHEMA),
            new Scenario("release-after-alias-swap", "release-after-alias-swap", Flow.RELEASE),
            new Scenario("mid-release-cutover-command", "mid-release-cutover-command", Flow.MANUAL_RELEASE),
            new Scenario("after-in-place-change", "after-in-place-change", Flow.IN_PLACE));

    private final List<Scenario> selected = selected();
    private final List<String> figures = new ArrayList<>();
    private LifecycleStack stack;
    private CrashWork.SchemaStores schemaStores;
    private CrashWork.ReleaseFolders releaseFolders;
    private ServiceProcess nextCrasher;
    private Scenario nextCrasherFor;
    private int replicas;

    static Stream<Arguments> scenarios() {
        return selected().stream().map(s -> Arguments.argumentSet(s.label(), s));
    }

    private static List<Scenario> selected() {
        Set<String> only = Arrays.stream(System.getProperty("apex.crash-matrix.only", "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        return ALL.stream().filter(s -> only.isEmpty() || only.contains(s.label()) || only.contains(s.point()))
                .toList();
    }

    @BeforeAll
    void startServices() {
        Map<String, String> properties = new HashMap<>();
        if (selected.stream().anyMatch(s -> s.flow().schema())) {
            CompletableFuture<String> neo4j = CompletableFuture.supplyAsync(LocalStack::neo4jUri);
            CompletableFuture<String> pgvector = CompletableFuture.supplyAsync(LocalStack::pgvectorJdbcUrl);
            schemaStores = new CrashWork.SchemaStores(neo4j.join(), pgvector.join(), "apex_crash_" + RUN);
            properties.putAll(schemaStores.properties());
        }
        // releases and in-place changes read collection specs from a folder of their own
        if (selected.stream().anyMatch(s -> s.flow().release() || s.flow() == Flow.IN_PLACE)) {
            releaseFolders = CrashWork.ReleaseFolders.create("crash-matrix");
            properties.putAll(releaseFolders.properties());
        }
        stack = LifecycleStack.start("crash-matrix", properties);
    }

    @AfterAll
    void stopServices() {
        String table = "| crash point | replica up | moving again | done | UpdateAliases (moves) |\n"
                + "| --- | --- | --- | --- | --- |\n" + String.join("\n", figures);
        LOGGER.infof("lifecycle crash matrix (%s points of %s-d, ranges of %s; seconds after the kill):%n%s", POINTS,
                LifecycleStack.DIMS, RANGE, table);
        System.out.println("Lifecycle crash matrix, seconds after the kill:\n" + table);
        CrashWork.writeReport("lifecycle-crash-matrix.md", table);
        if (stack != null) {
            stack.close();
        }
        if (schemaStores != null) {
            // this class's schema is of no use to anyone after it
            pgvector("DROP SCHEMA IF EXISTS " + schemaStores.postgresSchema() + " CASCADE");
        }
    }

    private void pgvector(String sql) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(schemaStores.pgvectorJdbcUrl(), "postgres",
                "postgres"); java.sql.Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("pgvector: " + sql + ": " + e.getMessage(), e);
        }
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void aReplicaTakesOverWhereACrashedOneHaltedAndTheWorkEndsOnce(Scenario scenario) {
        // given: the replica that is to crash at the point runs alone
        ServiceProcess crasher = crasherFor(scenario);
        CrashWork work = scenario.flow() == Flow.VERIFY_FAILED
                ? CrashWork.failedVerification(stack, scenario.pairName(), POINTS, RANGE)
                : scenario.flow() == Flow.IN_PLACE
                ? CrashWork.inPlace(stack, scenario.pairName(), POINTS, releaseFolders)
                : scenario.flow().release()
                ? CrashWork.release(stack, scenario.pairName(), POINTS, RANGE, releaseFolders,
                        scenario.flow() == Flow.MANUAL_RELEASE)
                : scenario.flow().schema()
                ? CrashWork.schema(stack, schemaStores, scenario.flow() == Flow.POSTGRES_SCHEMA)
                : scenario.flow() == Flow.REPLACE_COLLECTION
                ? CrashWork.replacing(stack, scenario.pairName(), POINTS, RANGE)
                : CrashWork.run(stack, scenario.pairName(), POINTS, RANGE, scenario.flow() == Flow.MANUAL_CUTOVER);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (crasher.isAlive() && work.done()) {
                throw new AssertionError(scenario.point() + " was never reached: the work ended with "
                        + crasher + " alive");
            }
            return !crasher.isAlive();
        });

        // when: it has halted; another replica is started and takes over
        Instant killed = Instant.now();
        String atKill = work.progress();
        CompletableFuture<Started> taker = CompletableFuture.supplyAsync(() -> takerAfter(scenario));
        Instant[] moved = {null};
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (moved[0] == null && !work.progress().equals(atKill)) {
                moved[0] = Instant.now();
            }
            if (taker.isDone() && !taker.join().replica().isAlive()) {
                throw new AssertionError("the replica that took over exited; see " + taker.join().replica().log());
            }
            return work.done();
        });
        Instant done = Instant.now();
        Instant up = taker.join().ready();

        // then
        assertThat(crasher.exitCode()).as("exit code of the crashed replica").isEqualTo(137);
        assertThat(WorkerFleet.read(crasher.log())).contains("crash point '" + scenario.point() + "' reached");
        String aliasUpdates = work.assertEndedOnce();
        figures.add(String.format("| %s | %s | %s | %s | %s |", scenario.label(), CrashWork.seconds(killed, up),
                CrashWork.seconds(killed, moved[0]), CrashWork.seconds(killed, done), aliasUpdates));
    }

    /** The replica that crashes in {@code scenario}: started by the previous scenario as its taker, or now. */
    private ServiceProcess crasherFor(Scenario scenario) {
        ServiceProcess crasher = scenario.equals(nextCrasherFor) && nextCrasher.isAlive() ? nextCrasher : null;
        stack.fleet.stopAllExcept(crasher);
        if (crasher == null) {
            crasher = stack.fleet.start("r" + ++replicas + "-" + scenario.point(), scenario.crashProperties());
        }
        nextCrasher = null;
        nextCrasherFor = null;
        return crasher;
    }

    /** A replica that takes over {@code scenario}'s work: the next scenario's crasher when that is safe. */
    private Started takerAfter(Scenario scenario) {
        int at = selected.indexOf(scenario);
        Scenario next = at + 1 < selected.size() ? selected.get(at + 1) : null;
        ServiceProcess replica;
        if (next != null && next.safeWhileTakingOver(scenario)) {
            replica = stack.fleet.start("r" + ++replicas + "-" + next.point(), next.crashProperties());
            nextCrasher = replica;
            nextCrasherFor = next;
        } else {
            replica = stack.fleet.start("r" + ++replicas + "-plain", Map.of());
        }
        return new Started(replica, Instant.now());
    }

    /** A replica and when it was ready (served HTTP). */
    record Started(ServiceProcess replica, Instant ready) {
    }
}
