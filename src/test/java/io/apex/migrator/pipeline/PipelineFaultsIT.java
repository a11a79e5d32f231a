package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.Messages;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantSettings;
import io.apex.migrator.qdrant.standin.Faults;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.state.BatchRecord;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.support.FreePort;
import io.apex.migrator.support.KafkaBroker;
import io.apex.migrator.support.Postgres15Server;
import io.apex.migrator.support.ScratchDirs;
import io.apex.migrator.support.ServiceProcess;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Breaks the pipeline on purpose, on real processes: worker JVMs of the packaged application, a Kafka broker
 * and a PostgreSQL 15 run store of this test's own (so they can be killed and restarted), and the Qdrant stand-in
 * (with an API key, the one test double). Every run must end with the target equal to the source, point for
 * point, or fail clearly. Secrets are configured as in a deployment (environment) and looked for everywhere at
 * the end. {@code -Preliability-heavy} runs the same faults on 1536-d points.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineFaultsIT {

    private static final Logger LOGGER = Logger.getLogger(PipelineFaultsIT.class);
    private static final boolean HEAVY = Boolean.getBoolean("apex.reliability.heavy");
    private static final int DIMS = HEAVY ? 1536 : 64;
    /** Tasks in flight per worker process (apex.pipeline.worker.concurrency, default). */
    private static final int CONCURRENCY = 4;

    private static final String QDRANT_API_KEY = "qdrant-key-" + UUID.randomUUID();
    private static final String RUN_STORE_PASSWORD = "runstore-pw-" + UUID.randomUUID();
    private static final String POSTGRES_PASSWORD = "memorydb-pw-" + UUID.randomUUID();
    private static final String NEO4J_PASSWORD = "neo4j-pw-" + UUID.randomUUID();
    /** In the SASL login config every Kafka client receives (unused by this PLAINTEXT broker, but configured). */
    private static final String KAFKA_PASSWORD = "kafka-pw-" + UUID.randomUUID();
    private static final List<String> SECRETS = List.of(QDRANT_API_KEY, RUN_STORE_PASSWORD, POSTGRES_PASSWORD,
            NEO4J_PASSWORD, KAFKA_PASSWORD);
    private static final Map<String, String> SECRET_ENV = Map.of("APEX_QDRANT_API_KEY", QDRANT_API_KEY,
            "APEX_RUNSTORE_PASSWORD", RUN_STORE_PASSWORD,
            "APEX_POSTGRES_PASSWORD", POSTGRES_PASSWORD,
            "APEX_NEO4J_PASSWORD", NEO4J_PASSWORD,
            "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                    + "username=\"apex\" password=\"" + KAFKA_PASSWORD + "\";");

    private KafkaBroker broker;
    private Postgres15Server postgres;
    private QdrantStandIn qdrant;
    private QdrantGateway gateway;
    private PGSimpleDataSource runStoreDb;
    private RunStore runStore;
    private WorkerFleet fleet;
    private PipelineTopics topics;
    private final Map<String, String> figures = new LinkedHashMap<>();

    @BeforeAll
    void startServicesAndThreeWorkers() throws IOException {
        Path kafkaDir = ScratchDirs.create("apex-faults-kafka-");
        Path pgDir = ScratchDirs.create("apex-faults-pg-");
        CompletableFuture<KafkaBroker> kafka = CompletableFuture.supplyAsync(() -> KafkaBroker.start(kafkaDir));
        CompletableFuture<Postgres15Server> pg = CompletableFuture.supplyAsync(() -> Postgres15Server.start(pgDir));
        broker = kafka.join();
        postgres = pg.join();
        qdrant = QdrantStandIn.startWithApiKey(0, QDRANT_API_KEY);
        gateway = QdrantGateway.connect(QdrantSettings.of(qdrant.host(), qdrant.port())
                .withApiKey(Optional.of(QDRANT_API_KEY)));
        runStoreDb = new PGSimpleDataSource();
        runStoreDb.setURL(postgres.jdbcUrl());
        runStoreDb.setUser(postgres.user());
        runStore = new RunStore(runStoreDb, Duration.ofSeconds(60));

        Map<String, String> properties = LifecycleStack.endpoints(broker, postgres, qdrant);
        properties.put("apex.postgres.jdbc-url", postgres.jdbcUrl());
        properties.put("apex.postgres.username", postgres.user());
        // no Neo4j runs here: the readiness check tries the password against a closed port
        properties.put("apex.neo4j.uri", "bolt://127.0.0.1:" + FreePort.pick());
        properties.put("apex.neo4j.username", "neo4j");
        properties.putAll(LifecycleStack.FAST_RETRIES_AND_TAKEOVERS);
        // a page or command retried through an outage tries again at least every second (10 s by default), so the
        // run goes on within a second of Qdrant's return instead of up to 10 s later
        properties.put("apex.pipeline.transient-max-backoff", "1s");
        fleet = new WorkerFleet(ScratchDirs.create("apex-faults-workers-"), properties, SECRET_ENV);
        CompletableFuture.allOf(
                CompletableFuture.runAsync(() -> fleet.start("w1", Map.of())),
                CompletableFuture.runAsync(() -> fleet.start("w2", Map.of())),
                CompletableFuture.runAsync(() -> fleet.start("w3", Map.of()))).join();
        // Commands are sent once the three workers' groups have settled: a rebalance of the commands partition while
        // a command is handled hands it to a second coordinator too (it waits for the first's claim and then does
        // nothing, see CoordinatorClaimIT), and rebalances of the workers' group would blur what the worker-kill
        // test counts.
        awaitGroupsStable(3, "apex-coordinator", "apex-workers", "apex-tracker");
        topics = new PipelineTopics(broker.bootstrapServers(), "apex.").awaitEventsTopic(Duration.ofSeconds(60));
    }

    @AfterAll
    void stopEverything() {
        LOGGER.infof("reliability figures (%s-d points): %s", DIMS, figures);
        close(topics);
        close(fleet);
        close(gateway);
        close(qdrant);
        close(broker);
        close(postgres);
    }

    @Test
    @Order(1)
    void aWorkerKilledMidRunLosesNoPointAndRedoesOnlyUncommittedRanges() {
        // given: 50,000 points in 100 ranges, three worker JVMs
        SeededPair c = seed("crash", 50_000);
        String commandId = send(migrate(c, 500));
        await().atMost(Duration.ofMinutes(3)).until(() -> doneBatches(commandId) >= 10
                && reportedSince(runId(commandId), "w2", Instant.EPOCH) >= 2);

        // when: one worker dies with SIGKILL mid-run, while it is copying
        ServiceProcess victim = fleet.get("w2");
        int doneAtKill = doneBatches(commandId);
        Instant killedAt = Instant.now();
        victim.kill();
        JsonNode completed = awaitEvent(commandId, "migration-completed", Duration.ofMinutes(4));
        Duration afterKill = Duration.between(killedAt, Instant.now());

        // then
        assertThat(victim.isAlive()).isFalse();
        assertThat(doneAtKill).isLessThan(100);
        Run run = runStore.findByCommand(commandId).orElseThrow();
        List<BatchRecord> batches = runStore.batches(run.id(), BatchKind.COPY);
        assertThat(batches).hasSize(100).allSatisfy(b -> assertThat(b.state()).isEqualTo("done"));
        assertThat(batches.stream().mapToLong(BatchRecord::points).sum()).isEqualTo(50_000);
        assertThat(batches).filteredOn(b -> "w2".equals(b.worker())).isNotEmpty();
        assertThat(run.copiedPoints()).isEqualTo(50_000);
        assertThat(completed.get("targetPoints").asLong()).isEqualTo(50_000);
        assertThat(TestCollections.assertSameContent(gateway, c.source(), c.target())).isEqualTo(50_000);
        // Kafka redelivers what was in flight (the victim's tasks, and the survivors' on a revoked partition) and
        // what the victim finished after its last offset commit (1 s interval, 5 s allowed): nothing more.
        // A range can be redelivered once per rebalance it is in flight through, and the kill can cause two (the
        // victim's session expiring, then the survivors' partitions settling): in flight counts twice.
        List<BatchRecord> redone = batches.stream().filter(b -> b.reports() > 1).toList();
        int extraReports = redone.stream().mapToInt(b -> b.reports() - 1).sum();
        int victimsLastSeconds = reportedSince(run.id(), "w2", killedAt.minusSeconds(5));
        int bound = 2 * 3 * CONCURRENCY + victimsLastSeconds;
        assertThat(extraReports).isLessThanOrEqualTo(bound);
        figures.put("worker SIGKILL", String.format("50,000 x %s-d, 100 ranges, killed at %s done; completed %s s "
                + "after the kill; %s ranges redone, %s extra reports (bound %s); run %s ms", DIMS, doneAtKill,
                afterKill.toSeconds(), redone.size(), extraReports, bound,
                completed.get("durationMs")));
    }

    @Test
    @Order(2)
    void aKafkaBrokerRestartMidRunNeedsNoManualAction() {
        // given
        SeededPair c = seed("kafka", 20_000);
        String commandId = send(migrate(c, 500));
        await().atMost(Duration.ofMinutes(2)).until(() -> doneBatches(commandId) >= 5);

        // when: the broker stops and starts again on the same port and log dir
        int doneAtRestart = doneBatches(commandId);
        Instant stopped = Instant.now();
        broker.restart();
        Duration restart = Duration.between(stopped, Instant.now());
        awaitEvent(commandId, "migration-completed", Duration.ofMinutes(4));
        Duration afterRestart = Duration.between(stopped, Instant.now());

        // then
        assertThat(doneAtRestart).isLessThan(40);
        Run run = runStore.findByCommand(commandId).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.COMPLETED);
        assertThat(run.copiedPoints()).isEqualTo(20_000);
        assertThat(TestCollections.assertSameContent(gateway, c.source(), c.target())).isEqualTo(20_000);
        long redone = runStore.batches(run.id(), BatchKind.COPY).stream().filter(b -> b.reports() > 1).count();
        figures.put("Kafka broker restart", String.format("20,000 points, 40 ranges, restart at %s done took %s s; "
                + "completed %s s after the stop; %s ranges reported twice", doneAtRestart, restart.toSeconds(),
                afterRestart.toSeconds(), redone));
    }

    @Test
    @Order(3)
    void theRunStoreAwayForAWhileIsWaitedOutAndTheRunCompletes() {
        // given
        SeededPair c = seed("pgdown", 20_000);
        String commandId = send(migrate(c, 500));
        await().atMost(Duration.ofMinutes(2)).until(() -> doneBatches(commandId) >= 5);
        UUID runId = runStore.findByCommand(commandId).orElseThrow().id();

        // when: PostgreSQL goes away for 15 s; the workers must hold (stay up, nothing dead-lettered)
        Instant stopped = Instant.now();
        postgres.stop();
        await().during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(20))
                .until(() -> fleet.get("w1").isAlive() && fleet.get("w3").isAlive());
        postgres.startAgain();
        Instant back = Instant.now();
        awaitEvent(commandId, "migration-completed", Duration.ofMinutes(3));
        Duration afterReturn = Duration.between(back, Instant.now());

        // then
        Run run = runStore.findRun(runId).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.COMPLETED);
        assertThat(run.copiedPoints()).isEqualTo(20_000);
        assertThat(run.failedBatches()).isZero();
        assertThat(TestCollections.assertSameContent(gateway, c.source(), c.target())).isEqualTo(20_000);
        assertThat(deadLettersOf(runId.toString())).isEmpty();
        figures.put("run store outage", String.format("20,000 points, PostgreSQL down %s s mid-run; completed %s s "
                + "after it returned; 0 dead letters", Duration.between(stopped, back).toSeconds(),
                afterReturn.toSeconds()));
    }

    @Test
    @Order(4)
    void qdrantLatencyRateLimitsAndAThirtySecondOutageAreWaitedOut() {
        // given: slow reads and writes, three rate-limited upserts asking for 2 s, 40 ranges
        SeededPair c = seed("outage", 10_000);
        Faults faults = qdrant.faults().latency("Points/Scroll", Duration.ofMillis(200))
                .latency("Points/Upsert", Duration.ofMillis(50))
                .retryAfter(Duration.ofSeconds(2)).failNext("Points/Upsert", 3, Status.Code.RESOURCE_EXHAUSTED);
        String commandId = send(migrate(c, 250));
        await().atMost(Duration.ofMinutes(2)).until(() -> doneBatches(commandId) >= 3);

        // when: every Qdrant call fails with UNAVAILABLE for 30 s; the run must not fail meanwhile
        int doneAtOutage = doneBatches(commandId);
        faults.errorRate(1.0, Status.Code.UNAVAILABLE);
        await().during(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(35)).until(() ->
                runStore.findByCommand(commandId).map(r -> !r.state().isFinal()).orElse(false));
        long injected = faults.injectedCount();
        faults.reset();
        Instant back = Instant.now();
        awaitEvent(commandId, "migration-completed", Duration.ofMinutes(3));
        Duration afterOutage = Duration.between(back, Instant.now());

        // then
        assertThat(doneAtOutage).isLessThan(40);
        assertThat(injected).isGreaterThan(3);
        Run run = runStore.findByCommand(commandId).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.COMPLETED);
        assertThat(run.failedBatches()).isZero();
        assertThat(gateway.aliases()).containsEntry(c.alias(), c.target());
        assertThat(TestCollections.assertSameContent(gateway, c.source(), c.target())).isEqualTo(10_000);
        figures.put("Qdrant latency + RESOURCE_EXHAUSTED + 30 s outage", String.format("10,000 points, 40 ranges, "
                + "outage at %s done, %s calls failed by injection; completed %s s after Qdrant returned",
                doneAtOutage, injected, afterOutage.toSeconds()));
    }

    @Test
    @Order(5)
    void aCorpusOfMalformedCommandsIsRejectedNamingEachProblemAndTouchesNoStore() throws Exception {
        // given
        SeededPair c = seed("corpus", 300);
        List<MalformedCommands.Entry> corpus = MalformedCommands.corpus(c.source(), c.target());
        long runsBefore = count("SELECT count(*) FROM apex_migrator.runs");
        long commandsBefore = count("SELECT count(*) FROM apex_migrator.processed_commands");
        List<String> collectionsBefore = collections();
        Map<String, String> aliasesBefore = gateway.aliases();
        int rejectionsBefore = topics.eventsOfType("migration-rejected").size();

        // when: the whole corpus, then one valid command (commands are consumed in order, one partition)
        for (MalformedCommands.Entry e : corpus) {
            send(e.json());
        }
        SeededPair after = c.withoutAlias();
        String valid = send(migrate(after, 100));
        awaitEvent(valid, "migration-completed", Duration.ofMinutes(2));

        // then: one rejection per entry, each naming a field and a reason of reasonable size
        List<JsonNode> rejections = topics.eventsOfType("migration-rejected").stream().skip(rejectionsBefore)
                .toList();
        assertThat(rejections).hasSize(corpus.size());
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < corpus.size(); i++) {
            MalformedCommands.Entry entry = corpus.get(i);
            JsonNode rejection = rejections.get(i);
            assertThat(rejection.path("field").asText("")).as(entry.label()).startsWith("$");
            assertThat(rejection.path("reason").asText("")).as(entry.label()).isNotBlank().hasSizeLessThan(2_000);
            if (entry.commandId() != null && entry.commandId().length() < 100) {
                assertThat(rejection.path("commandId").asText(null)).as(entry.label()).isEqualTo(entry.commandId());
            }
            if (entry.field() != null && !entry.field().equals(rejection.path("field").asText())) {
                mismatches.add(entry.label() + ": expected " + entry.field() + ", got " + rejection.get("field")
                        + " (" + rejection.path("reason").asText() + ")");
            }
        }
        assertThat(mismatches).as("rejections naming another field than the faulty one").isEmpty();
        assertThat(count("SELECT count(*) FROM apex_migrator.runs")).isEqualTo(runsBefore + 1);
        assertThat(count("SELECT count(*) FROM apex_migrator.processed_commands")).isEqualTo(commandsBefore + 1);
        assertThat(collections()).isEqualTo(collectionsBefore);
        assertThat(gateway.aliases()).isEqualTo(aliasesBefore);
        figures.put("malformed commands", corpus.size() + " commands rejected, each naming its field; 0 runs, "
                + "0 collections, 0 aliases written; the valid command after them completed");
    }

    @Test
    @Order(6)
    void qdrantRefusingDuringPlanningFailsTheRunClearlyAndLeavesTheAlias() {
        // given: the planner's first id scroll is refused for good
        SeededPair c = seed("refused", 1_000);
        qdrant.faults().failNext("Points/Scroll", 1, Status.Code.INVALID_ARGUMENT);

        // when
        String commandId = send(migrate(c, 100));
        JsonNode failed = awaitEvent(commandId, "migration-failed", Duration.ofMinutes(2));

        // then: failed, not left 'accepted'; nothing copied, the alias where it was
        Run run = runStore.findByCommand(commandId).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.failure()).contains("before the copy started").contains("Qdrant refused");
        assertThat(failed.get("reason").asText()).isEqualTo(run.failure());
        assertThat(gateway.aliases()).containsEntry(c.alias(), c.source());
        assertThat(gateway.count(c.target())).isZero();
        assertThat(typesOf(commandId)).doesNotContain("migration-planned", "alias-swapped", "migration-completed");
    }

    @Test
    @Order(7)
    void aCoordinatorCrashAfterPlanningAndAgainAfterPublishingResumesTheStoredPlan() {
        // given: only a coordinator that halts right after planning (w1 and w3 leave the groups, side by side)
        fleet.stopAllExcept(null);
        SeededPair c = seed("coord", 5_000);
        ServiceProcess afterPlan = fleet.start("c1", Map.of("apex.crash-point", "after-plan"));
        String commandId = send(migrate(c, 250));

        // when: it halts with the plan stored and nothing published
        await().atMost(Duration.ofMinutes(2)).until(() -> !afterPlan.isAlive());
        Run planned = runStore.findByCommand(commandId).orElseThrow();
        List<BatchRecord> plan = runStore.batches(planned.id(), BatchKind.COPY);
        assertThat(planned.state()).isEqualTo(RunState.PLANNED);
        assertThat(plan).hasSize(20);
        assertThat(tasksPublished(planned.id())).isZero();
        // a second coordinator resumes the plan, publishes it, and halts before any batch is reported
        ServiceProcess afterDispatch = fleet.start("c2", Map.of("apex.crash-point", "after-dispatch"));
        await().atMost(Duration.ofMinutes(2)).until(() -> !afterDispatch.isAlive());
        assertThat(runStore.findRun(planned.id()).orElseThrow().state()).isEqualTo(RunState.COPYING);
        long published = tasksPublished(planned.id());
        // a third, plain one finishes the run
        fleet.start("c3", Map.of());
        awaitEvent(commandId, "migration-completed", Duration.ofMinutes(3));

        // then: the same ranges, one plan, nothing lost
        Run run = runStore.findRun(planned.id()).orElseThrow();
        List<BatchRecord> batches = runStore.batches(run.id(), BatchKind.COPY);
        assertThat(batches).extracting(BatchRecord::range).isEqualTo(plan.stream().map(BatchRecord::range).toList());
        assertThat(batches).allSatisfy(b -> assertThat(b.state()).isEqualTo("done"));
        assertThat(published).isEqualTo(20);
        assertThat(runStore.eventTypes(run.id())).filteredOn(t -> t.contains("planned")).hasSize(1);
        assertThat(typesOf(commandId)).filteredOn("migration-planned"::equals).hasSize(1);
        assertThat(WorkerFleet.read(afterPlan.log())).contains("crash point 'after-plan' reached");
        assertThat(WorkerFleet.read(afterDispatch.log())).contains("crash point 'after-dispatch' reached");
        assertThat(run.copiedPoints()).isEqualTo(5_000);
        assertThat(TestCollections.assertSameContent(gateway, c.source(), c.target())).isEqualTo(5_000);
        figures.put("coordinator crashes", "5,000 points, 20 ranges: halted after the plan, then after publishing; "
                + "same 20 ranges, one plan, completed");
    }

    @Test
    @Order(8)
    void noSecretAppearsInLogsEventsMessagesTheRunStoreOrHelp() throws Exception {
        // given: every run above used the secrets (from the environment, as deployed)
        List<Path> logs = fleet.logs();
        String help = help();

        // then
        for (Path log : logs) {
            String text = WorkerFleet.read(log);
            assertThat(text).as("%s is a worker log with content", log).contains("\"loggerName\"");
            for (String secret : SECRETS) {
                assertThat(text).as("log %s", log.getFileName()).doesNotContain(secret);
            }
        }
        // every run above wrote commands, tasks, reports and events: an empty topic means it was not read
        List<String> written = List.of("apex.events", "apex.progress", "apex.batches", "apex.commands");
        for (String topic : List.of("apex.events", "apex.progress", "apex.batches", "apex.dead-letter",
                "apex.commands")) {
            try (TopicReader<String> reader = TopicReader.strings(broker.bootstrapServers(), topic)) {
                List<ConsumerRecord<String, String>> records = reader.pollToEnd(Duration.ofSeconds(60));
                if (written.contains(topic)) {
                    assertThat(records).as("records on topic %s", topic).isNotEmpty();
                }
                String all = String.join("\n", records.stream().map(PipelineFaultsIT::asText).toList());
                for (String secret : SECRETS) {
                    assertThat(all).as("topic %s", topic).doesNotContain(secret);
                }
            }
        }
        String stored = String.join("\n", strings("SELECT coalesce(command::text, '') || coalesce(failure, '') || "
                + "coalesce(summary::text, '') FROM apex_migrator.runs UNION ALL SELECT data::text FROM "
                + "apex_migrator.events UNION ALL SELECT coalesce(reason, '') FROM apex_migrator.batches"));
        assertThat(help).contains("Usage");
        for (String secret : SECRETS) {
            assertThat(stored).as("run store").doesNotContain(secret);
            assertThat(help).as("--help").doesNotContain(secret);
        }
        figures.put("secrets", logs.size() + " worker logs, 5 topics, the run store and --help searched for "
                + SECRETS.size() + " secrets: none found");
    }

    // --- helpers ---------------------------------------------------------------------------------------

    /** A record's key, value and headers as text (header values decoded: their toString shows bytes as numbers). */
    private static String asText(ConsumerRecord<String, String> record) {
        StringBuilder text = new StringBuilder().append(record.key()).append(' ').append(record.value());
        for (Header h : record.headers()) {
            text.append(' ').append(h.key()).append('=')
                    .append(h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    /** A source with {@code points} synthetic points behind an alias, and an empty compatible target. */
    private SeededPair seed(String base, int points) {
        return SeededPair.seed(gateway, qdrant, SeededPair.unique(base), points, DIMS);
    }

    private static String migrate(SeededPair p, int batchSize) {
        return p.migrate(batchSize);
    }

    /** Sends a command; returns its id when it has a readable one. */
    private String send(String json) {
        topics.send(json);
        return Messages.get().peekCommandId(json).orElse(null);
    }

    private UUID runId(String commandId) {
        return runStore.findByCommand(commandId).map(Run::id).orElse(new UUID(0, 0));
    }

    private int doneBatches(String commandId) {
        return runStore.findByCommand(commandId).map(Run::doneBatches).orElse(0);
    }

    /** Waits for the run's event; a run that fails meanwhile fails the test at once, with its reason. */
    private JsonNode awaitEvent(String commandId, String shortType, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(500)).until(() -> {
            Optional<JsonNode> failed = event(commandId, "migration-failed");
            if (failed.isPresent() && !shortType.equals("migration-failed")) {
                throw new AssertionError("run of " + commandId + " failed: " + failed.get());
            }
            return event(commandId, shortType).isPresent();
        });
        return event(commandId, shortType).orElseThrow();
    }

    private Optional<JsonNode> event(String commandId, String shortType) {
        return topics.eventsOf(commandId, shortType).stream().findFirst();
    }

    private List<String> typesOf(String commandId) {
        return topics.typesOf(commandId);
    }

    private void awaitGroupsStable(int members, String... groups) {
        WorkerFleet.awaitGroupsStable(broker.bootstrapServers(), members, groups);
    }

    private long tasksPublished(UUID runId) {
        try (TopicReader<String> tasks = TopicReader.strings(broker.bootstrapServers(), "apex.batches")) {
            return tasks.pollToEnd(Duration.ofSeconds(30)).stream().filter(r -> r.value().contains(runId.toString()))
                    .count();
        }
    }

    private List<String> deadLettersOf(String runId) {
        try (TopicReader<String> dead = TopicReader.strings(broker.bootstrapServers(), "apex.dead-letter")) {
            return dead.poll().stream().map(r -> r.value()).filter(v -> v.contains(runId)).toList();
        }
    }

    private int reportedSince(UUID runId, String worker, Instant since) {
        try (Connection c = runStoreDb.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM apex_migrator.batches WHERE run_id = ? AND worker = ? AND state = 'done' "
                + "AND updated_at >= ?")) {
            ps.setObject(1, runId);
            ps.setString(2, worker);
            ps.setTimestamp(3, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql) {
        return Long.parseLong(strings(sql).get(0));
    }

    private List<String> strings(String sql) {
        try (Connection c = runStoreDb.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> collections() throws Exception {
        try (io.qdrant.client.QdrantClient client = new io.qdrant.client.QdrantClient(
                io.qdrant.client.QdrantGrpcClient.newBuilder(qdrant.host(), qdrant.port(), false)
                        .withApiKey(QDRANT_API_KEY).build())) {
            return client.listCollectionsAsync().get(30, TimeUnit.SECONDS).stream().sorted().toList();
        }
    }

    /** The packaged application's --help, with the secrets in its environment. */
    private String help() throws Exception {
        Path out = Files.createTempFile("apex-help-", ".txt");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", WorkerFleet.jar().toString(), "--help").redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().putAll(SECRET_ENV);
        try {
            Process p = pb.start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            return Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void close(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                LOGGER.warnf("closing %s: %s", c, e.getMessage());
            }
        }
    }
}
