package io.apex.migrator.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.BatchProgress;
import io.apex.migrator.api.MigrateCommand;
import io.apex.migrator.api.Messages;
import io.apex.migrator.api.PointKey;
import io.apex.migrator.api.PointRange;
import io.apex.migrator.api.RangeVerification;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.state.OutboxEvent;
import io.apex.migrator.state.RangeActivity;
import io.apex.migrator.state.ReleaseStore;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.state.VerificationStore;
import io.apex.migrator.support.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
@WithTestResource(DashboardIT.Token.class)
class DashboardIT {

    static final String TOKEN = "op-" + UUID.randomUUID();
    static final String COMMANDS = "it-dashboard.commands";

    @Inject
    RunStore runStore;
    @Inject
    ReleaseStore releases;
    @Inject
    RangeActivity activity;
    @Inject
    VerificationStore verifications;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    /** Operator token and a commands topic of this test's own. */
    public static final class Token implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of("apex.dashboard.operator-token", TOKEN, "apex.topics.commands", COMMANDS);
        }

        @Override
        public void stop() {
        }
    }

    @Test
    void thePageIsServed() {
        given().get("/migrations/").then().statusCode(200).body(containsString("live migrations"));
        given().get("/migrations/app.js").then().statusCode(200).body(containsString("/api/migrations"));
    }

    @Test
    void aRunShowsItsProgressBatchesThroughputAndDeadLetters() {
        // given a planned run of 3 ranges: two copied, one failed for good
        Run run = plannedRun(3);
        report(run, 0, BatchProgress.Status.DONE, 1000, null);
        report(run, 1, BatchProgress.Status.DONE, 1000, null);
        report(run, 2, BatchProgress.Status.FAILED, 0, "UNAVAILABLE after 3 attempts");

        // when / then
        given().get("/api/migrations").then().statusCode(200).body("id", hasItem(run.id().toString()));
        given().get("/api/migrations/" + run.id()).then().statusCode(200)
                .body("run.copiedPoints", equalTo(2000))
                .body("run.progress", equalTo(2000f / 3000f))
                .body("batches.ok", equalTo(2))
                .body("batches.failed", equalTo(1))
                .body("throughput.size()", not(equalTo(0)))
                .body("deadLetters[0].batchIndex", equalTo(2))
                .body("deadLetters[0].reason", equalTo("UNAVAILABLE after 3 attempts"));
        given().get("/api/migrations/" + UUID.randomUUID()).then().statusCode(404);
        given().get("/api/migrations/not-a-uuid").then().statusCode(400).body("error", containsString("not a run id"));
    }

    @Test
    void theRangeMapShowsEachRangesStateWithItsWorkerAttemptsAndDuration() {
        // given: 8 ranges; 0 to 4 copied or not, then a verification pass for 5 to 7
        Run run = plannedRun(8);
        UUID id = run.id();
        taken(id, BatchKind.COPY, 1, null, "worker-a");
        taken(id, BatchKind.COPY, 2, null, "worker-a");
        activity.attemptFailed(id, BatchKind.COPY, 2, null, "upsert: UNAVAILABLE: try again");
        taken(id, BatchKind.COPY, 3, null, "worker-b");
        report(run, 3, BatchProgress.Status.DONE, 1000, null, "worker-b");
        taken(id, BatchKind.COPY, 4, null, "worker-b");
        activity.deadLettered(id, BatchKind.COPY, 4, null, "INVALID_ARGUMENT: bad vector");
        report(run, 4, BatchProgress.Status.FAILED, 0, "INVALID_ARGUMENT: bad vector", "worker-b");
        for (int i = 5; i < 8; i++) {
            taken(id, BatchKind.COPY, i, null, "worker-a");
            report(run, i, BatchProgress.Status.DONE, 1000, null, "worker-a");
        }
        taken(id, BatchKind.COPY, 5, null, "worker-c"); // a redelivery of a reported range: no change
        verifications.startPass(id, 1, true);
        taken(id, BatchKind.VERIFY, 5, 1, "worker-b");
        taken(id, BatchKind.VERIFY, 6, 1, "worker-a");
        verified(run, 6, 0, "worker-a");
        taken(id, BatchKind.VERIFY, 7, 1, "worker-b");
        verified(run, 7, 4, "worker-b");

        // when / then
        given().get("/api/migrations/" + id + "/ranges").then().statusCode(200)
                .body("state", contains("pending", "copying", "failed", "copied", "dead-lettered", "verifying",
                        "verified", "repaired"))
                .body("[0].start", equalTo("0")).body("[0].end", equalTo("1000"))
                .body("[7].start", equalTo("7000")).body("[7].end", equalTo(null))
                .body("[1].copy.worker", equalTo("worker-a")).body("[1].copy.attempts", equalTo(1))
                .body("[1].copy.durationMs", not(equalTo(null)))
                .body("[2].copy.failedAttempts", equalTo(1))
                .body("[2].copy.error", equalTo("upsert: UNAVAILABLE: try again"))
                .body("[3].copy.durationMs", equalTo(5)).body("[3].copy.points", equalTo(1000))
                .body("[4].copy.error", equalTo("INVALID_ARGUMENT: bad vector"))
                .body("[5].copy.worker", equalTo("worker-a")).body("[5].copy.attempts", equalTo(1))
                .body("[5].verify.worker", equalTo("worker-b")).body("[5].verify.pass", equalTo(1))
                .body("[7].repairedPoints", equalTo(4));
        given().get("/api/migrations/" + id + "/workers").then().statusCode(200)
                .body("replicas", equalTo(2))
                .body("workers.worker", contains("worker-a", "worker-b"))
                .body("workers[0].rangesCopied", equalTo(3)).body("workers[0].rangesVerified", equalTo(1))
                .body("workers[0].inFlight", equalTo(2)).body("workers[0].pointsCopied", equalTo(3000))
                .body("workers[0].failedAttempts", equalTo(1))
                .body("workers[0].pointsPerSecond", greaterThan(0f))
                .body("workers[1].rangesCopied", equalTo(1)).body("workers[1].inFlight", equalTo(1));
        given().get("/api/migrations/" + UUID.randomUUID() + "/ranges").then().statusCode(404);
        given().get("/api/migrations/nope/workers").then().statusCode(400);
    }

    @Test
    void theTimelineListsTheRunsEventsInOrderWithTheirFacts() {
        // given
        Run run = plannedRun(2);
        runStore.fail(run.id(), "range 1 failed: INVALID_ARGUMENT", r -> List.of(new OutboxEvent(UUID.randomUUID(),
                r.id(), r.commandId(), "migration-indexing", null, "{\"runId\":\"" + r.id() + "\",\"details\":"
                + "{\"readiness\":{\"ready\":false,\"indexedVectors\":1200,\"requiredIndexed\":3800}}}"),
                new OutboxEvent(UUID.randomUUID(), r.id(), r.commandId(), "migration-failed", null, "{\"runId\":\""
                        + r.id() + "\",\"copiedPoints\":1000,\"reason\":\"range 1 failed: INVALID_ARGUMENT\"}")));

        // when / then
        given().get("/api/migrations/" + run.id() + "/events").then().statusCode(200)
                .body("type", contains("migration-planned", "migration-indexing", "migration-failed"))
                .body("[0].summary", equalTo("2,000 source points, 2 ranges"))
                .body("[1].summary", equalTo("1,200 of 3,800 vectors indexed"))
                .body("[2].summary", equalTo("1,000 points copied"))
                .body("[2].reason", equalTo("range 1 failed: INVALID_ARGUMENT"))
                .body("[2].time", not(equalTo(null)));
    }

    @Test
    void anActionWithoutTheOperatorTokenIsRefusedAndTheTokenIsNeverEchoed() {
        Run run = plannedRun(1);
        String missing = given().post("/api/migrations/" + run.id() + "/actions/pause").then().statusCode(403)
                .body("error", containsString("missing operator token")).extract().asString();
        String wrong = given().header("X-Operator-Token", "guess").post("/api/migrations/" + run.id() + "/actions/pause")
                .then().statusCode(403).body("error", equalTo("wrong operator token")).extract().asString();
        assertThat(missing + wrong).doesNotContain(TOKEN);
    }

    @Test
    void anAuthorisedActionSendsTheSameKafkaCommandAsTheCli() {
        // given
        Run run = plannedRun(1);

        // when
        String commandId = given().header("X-Operator-Token", TOKEN)
                .post("/api/migrations/" + run.id() + "/actions/pause").then().statusCode(202)
                .body("type", equalTo("run.pause")).extract().path("commandId");

        // then
        List<String> seen = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                "group.id", "dashboard-it-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(COMMANDS));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> seen.add(r.value()));
                return seen.stream().anyMatch(v -> v.contains(commandId));
            });
        }
        String json = seen.stream().filter(v -> v.contains(commandId)).findFirst().orElseThrow();
        assertThat(Messages.get().readCommand(json).type().wireName()).isEqualTo("run.pause");
        assertThat(json).contains(run.id().toString()).doesNotContain(TOKEN);
    }

    @Test
    void aReleaseIsListedWithItsPartsTheirProgressAndTheActionsItsStateAllows() {
        // given: a release waiting for its manual cutover, its schema part done and its copy two thirds through
        String name = "dash-" + UUID.randomUUID().toString().substring(0, 8);
        UUID id = waitingRelease(name);
        try {
            // when / then
            given().get("/api/releases").then().statusCode(200)
                    .body("find { it.name == '" + name + "' }.state", equalTo("ready-for-cutover"))
                    .body("find { it.name == '" + name + "' }.actions", equalTo(List.of("cutover", "cancel")))
                    .body("find { it.name == '" + name + "' }.parts.store", equalTo(List.of("postgres", "qdrant")))
                    .body("find { it.name == '" + name + "' }.parts[0].subject", equalTo("postgres"))
                    .body("find { it.name == '" + name + "' }.parts[0].target", equalTo("V002"))
                    .body("find { it.name == '" + name + "' }.parts[0].state", equalTo("done"))
                    .body("find { it.name == '" + name + "' }.parts[1].subject", equalTo("docs_" + name))
                    .body("find { it.name == '" + name + "' }.parts[1].state", equalTo("running"))
                    .body("find { it.name == '" + name + "' }.parts[1].progress", equalTo(2000f / 3000f))
                    .body("find { it.name == '" + name + "' }.parts[1].progressText",
                            containsString("2,000 / 3,000 points"));
            given().get("/migrations/releases.js").then().statusCode(200).body(containsString("/api/releases"));
        } finally {
            releases.transition(id, "failed", "ready-for-cutover");
        }
    }

    @Test
    void aReleaseActionSendsTheReleaseCommandAndOneItsStateDoesNotAllowIsRefused() {
        // given
        String name = "dash-" + UUID.randomUUID().toString().substring(0, 8);
        UUID id = waitingRelease(name);
        try {
            // when: rolling back a release that is not over is refused, nothing sent; a cutover is sent
            given().header("X-Operator-Token", TOKEN).post("/api/releases/" + name + "/actions/rollback").then()
                    .statusCode(409).body("error", containsString("ready-for-cutover"));
            given().post("/api/releases/" + name + "/actions/cutover").then().statusCode(403);
            String commandId = given().header("X-Operator-Token", TOKEN)
                    .post("/api/releases/" + name + "/actions/cutover").then().statusCode(202)
                    .body("type", equalTo("release.cutover")).extract().path("commandId");

            // then
            List<String> seen = new ArrayList<>();
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                    "group.id", "dashboard-it-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(COMMANDS));
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    consumer.poll(Duration.ofMillis(500)).forEach(r -> seen.add(r.value()));
                    return seen.stream().anyMatch(v -> v.contains(commandId));
                });
            }
            String json = seen.stream().filter(v -> v.contains(commandId)).findFirst().orElseThrow();
            assertThat(Messages.get().readCommand(json)).isEqualTo(
                    io.apex.migrator.api.ReleaseCommand.cutover(commandId, name));
            assertThat(seen).noneMatch(v -> v.contains("release.rollback") && v.contains(name));
        } finally {
            releases.transition(id, "failed", "ready-for-cutover");
        }
    }

    /** A release of a PostgreSQL part (done) and a Qdrant copy two thirds through, waiting for its cutover. */
    private UUID waitingRelease(String name) {
        UUID id = releases.create(name, "cmd-" + name, "release.apply", "{}", List.of(
                new ReleaseStore.NewPart("postgres", "postgres", "V002"),
                new ReleaseStore.NewPart("qdrant", "docs_" + name, "docs_" + name + "_v2"))).orElseThrow();
        releases.notePrevious(id, 1, "V001");
        releases.partState(id, 1, "done", "at V002");
        Run run = plannedRun(3);
        report(run, 0, BatchProgress.Status.DONE, 1000, null);
        report(run, 1, BatchProgress.Status.DONE, 1000, null);
        releases.linkRun(id, 2, run.id());
        releases.transition(id, "ready-for-cutover", "accepted");
        return id;
    }

    private Run plannedRun(int ranges) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        MigrateCommand command = (MigrateCommand) Messages.get().readCommand("{\"schemaVersion\":1,\"commandId\":\"dash-"
                + suffix + "\",\"type\":\"qdrant.migrate\",\"source\":\"docs_" + suffix + "_v1\",\"target\":\"docs_"
                + suffix + "_v2\",\"alias\":\"docs_" + suffix + "\",\"batchSize\":1000}");
        Run run = runStore.createRun(command);
        List<PointRange> plan = new ArrayList<>();
        for (int i = 0; i < ranges; i++) {
            plan.add(new PointRange(PointKey.parse(Long.toString(i * 1000L)),
                    i == ranges - 1 ? null : PointKey.parse(Long.toString((i + 1) * 1000L))));
        }
        runStore.savePlan(run.id(), ranges * 1000L, plan);
        runStore.transition(run.id(), RunState.COPYING, r -> List.of(new OutboxEvent(UUID.randomUUID(), r.id(),
                r.commandId(), "migration-planned", null, "{\"runId\":\"" + r.id() + "\",\"sourcePoints\":"
                + ranges * 1000L + ",\"batches\":" + ranges + "}")), RunState.ACCEPTED, RunState.PLANNED);
        return run;
    }

    private void report(Run run, int index, BatchProgress.Status status, long points, String reason) {
        report(run, index, status, points, reason, "dashboard-it");
    }

    private void report(Run run, int index, BatchProgress.Status status, long points, String reason, String worker) {
        runStore.applyProgress(new BatchProgress(run.id().toString(), index, BatchKind.COPY, status, points, 5,
                worker, reason, null));
    }

    private void verified(Run run, int index, long repairedPoints, String worker) {
        RangeVerification v = new RangeVerification(1, "c", "c", 1000, 1000, repairedPoints > 0,
                repairedPoints > 0 ? 1 : 0, repairedPoints, true, repairedPoints, 0, repairedPoints, List.of());
        verifications.apply(new BatchProgress(run.id().toString(), index, BatchKind.VERIFY, BatchProgress.Status.DONE,
                1000, 7, worker, null, "c", v));
    }

    /** A worker takes a range as workers do: the run's look-up records it (RunStore.findRunTakingRanges). */
    private void taken(UUID runId, BatchKind kind, int batchIndex, Integer pass, String worker) {
        runStore.findRunTakingRanges(runId, kind, new Integer[] {batchIndex}, pass, worker);
    }
}
