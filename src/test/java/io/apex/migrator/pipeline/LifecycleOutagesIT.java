package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.apex.migrator.qdrant.standin.AliasUpdates;
import io.apex.migrator.support.ServiceProcess;
import io.cloudevents.CloudEvent;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The run lifecycle through outages at its awkward moments, on real processes ({@link LifecycleStack}): Kafka dead
 * while a run completes, Qdrant unavailable while commands for it arrive, a consumer-group rebalance while verify
 * tasks are out. Nothing may be lost or done twice. Times are printed (README "Reliability"), not asserted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LifecycleOutagesIT {

    private static final Logger LOGGER = Logger.getLogger(LifecycleOutagesIT.class);
    private static final int POINTS = LifecycleCrashMatrixIT.POINTS;
    private static final int RANGE = LifecycleCrashMatrixIT.RANGE;
    // long enough for what the outage must outlast (the run's 3-s swap, the 3-s lease, retries at least every second,
    // a producer's reconnect backoff of 1 s) with room to spare on a loaded machine (with the 3-s swap the run completed
    // 3.1 s after the kill at load average ~20); each second of it is CI time (15 s until 2026-12-02, 30 s before)
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    // how long the run's alias swap is held, so that Kafka can be killed while the run cuts over
    private static final Duration SWAP = Duration.ofSeconds(3);

    private final Map<String, String> figures = new LinkedHashMap<>();
    private LifecycleStack stack;

    @BeforeAll
    void startServicesAndOneReplica() {
        // pages and commands retried through an outage try again at least every second (10 s by default): each
        // outage's run goes on within a second of its end
        stack = LifecycleStack.start("outages", Map.of("apex.pipeline.transient-max-backoff", "1s"));
        stack.fleet.start("r1", Map.of());
    }

    @AfterEach
    void clearFaults() {
        stack.qdrant.faults().reset();
    }

    @AfterAll
    void stopServices() {
        StringBuilder table = new StringBuilder("| outage | what happened |\n| --- | --- |\n");
        figures.forEach((k, v) -> table.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        LOGGER.infof("lifecycle outages (%s points of %s-d):%n%s", POINTS, LifecycleStack.DIMS, table);
        System.out.println("Lifecycle outages:\n" + table);
        CrashWork.writeReport("lifecycle-outages.md", table.toString());
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void aRunCompletedWhileKafkaIsDownHasItsSchemaReadyDeliveredWhenKafkaReturns() {
        // given: the swap is held (UpdateAliases latency) so that Kafka can die while the run cuts over
        SeededPair pair = stack.seed("kafkadown", POINTS);
        AliasUpdates before = stack.qdrant.aliasUpdates(pair.alias());
        stack.qdrant.faults().latency("Collections/UpdateAliases", SWAP);
        String commandId = stack.send(pair.migrate(RANGE));
        awaitState(commandId, "cutting-over");

        // when: the broker dies (SIGKILL) at the cutover and stays away for the outage
        stack.broker.kill();
        Instant down = Instant.now();
        LifecycleStack.RunRow run = stack.awaitCompleted(commandId, OUTAGE);
        Instant completed = Instant.now();
        await().during(restOf(down)).atMost(OUTAGE.plusSeconds(5))
                .until(() -> unsent(run.id(), "schema-ready") == 1);
        stack.broker.restart();
        Instant back = Instant.now();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> !stack.events("schema-ready", "runId", run.id().toString()).isEmpty());
        Instant delivered = Instant.now();

        // then
        CrashWork.RunWork.assertEndedOnce(stack, pair, POINTS, commandId, before);
        figures.put("Kafka broker killed at the cutover, back after " + OUTAGE.toSeconds() + " s", String.format(
                "run completed %s s after the kill (Kafka down); schema-ready on the topic %s s after Kafka was back",
                CrashWork.seconds(down, completed), CrashWork.seconds(back, delivered)));
    }

    @Test
    @Order(2)
    void aCutoverAndAMigrateSentWhileQdrantIsUnavailableAreAppliedWhenItReturns() {
        // given: one run waiting for its cutover command, one pair still to migrate
        SeededPair waiting = stack.seed("cutoverdown", POINTS);
        SeededPair later = stack.seed("migratedown", POINTS);
        AliasUpdates waitingBefore = stack.qdrant.aliasUpdates(waiting.alias());
        AliasUpdates laterBefore = stack.qdrant.aliasUpdates(later.alias());
        String waitingId = stack.send(waiting.migrate(RANGE, "\"cutover\":\"manual\""));
        LifecycleStack.RunRow ready = awaitState(waitingId, "ready-for-cutover");

        // when: every Qdrant call answers UNAVAILABLE for the outage, and both commands are sent meanwhile
        stack.qdrant.faults().errorRate(1.0, Status.Code.UNAVAILABLE);
        Instant down = Instant.now();
        String cutoverId = stack.send("{\"schemaVersion\":1,\"commandId\":\"cut-" + UUID.randomUUID()
                + "\",\"type\":\"qdrant.cutover\",\"runId\":\"" + ready.id() + "\"}");
        String laterId = stack.send(later.migrate(RANGE));
        await().during(restOf(down)).atMost(OUTAGE.plusSeconds(5))
                .until(() -> stack.run(waitingId).map(r -> !r.isFinal()).orElse(false)
                        && stack.run(laterId).map(r -> !r.isFinal()).orElse(true));
        long injected = stack.qdrant.faults().injectedCount();
        stack.qdrant.faults().reset();
        Instant back = Instant.now();
        stack.awaitCompleted(waitingId, Duration.ofMinutes(3));
        Instant cutOverAt = Instant.now();
        stack.awaitCompleted(laterId, Duration.ofMinutes(3));
        Instant migratedAt = Instant.now();

        // then: neither command was lost or rejected, both runs ended once
        assertThat(injected).isPositive();
        assertThat(stack.events("migration-rejected", "commandId", cutoverId)).isEmpty();
        assertThat(stack.events("migration-rejected", "commandId", laterId)).isEmpty();
        CrashWork.RunWork.assertEndedOnce(stack, waiting, POINTS, waitingId, waitingBefore);
        CrashWork.RunWork.assertEndedOnce(stack, later, POINTS, laterId, laterBefore);
        figures.put("Qdrant UNAVAILABLE for " + OUTAGE.toSeconds() + " s while a cutover and a migrate command arrive",
                String.format("%s calls refused; the cutover completed %s s and the migration %s s after Qdrant was "
                        + "back", injected, CrashWork.seconds(back, cutOverAt), CrashWork.seconds(back, migratedAt)));
    }

    @Test
    @Order(3)
    void aReplicaJoiningAndLeavingWhileVerifyTasksAreOutNeitherSwapsTwiceNorRepeatsVerified() {
        // given: scroll pages held 1 s each, 3 s once verification began, so that its tasks are out for a while
        SeededPair pair = stack.seed("rebalance", POINTS);
        AliasUpdates before = stack.qdrant.aliasUpdates(pair.alias());
        stack.qdrant.faults().latency("Points/Scroll", Duration.ofSeconds(1));
        String commandId = stack.send(pair.migrate(RANGE));
        LifecycleStack.RunRow verifying = awaitState(commandId, "verifying");
        stack.qdrant.faults().latency("Points/Scroll", Duration.ofSeconds(3));

        // when: a second replica joins the groups while verify tasks are out, then leaves again
        Instant joining = Instant.now();
        ServiceProcess second = stack.fleet.start("r2-" + UUID.randomUUID().toString().substring(0, 4), Map.of());
        WorkerFleet.awaitGroupsStable(stack.broker.bootstrapServers(), 2, "apex-workers", "apex-tracker");
        long pendingAtJoin = pendingVerifyTasks(verifying.id());
        second.close();
        Instant left = Instant.now();
        long pendingAtLeave = pendingVerifyTasks(verifying.id());
        stack.qdrant.faults().reset(); // both rebalances are over: the rest of the verification need not be slow
        LifecycleStack.RunRow run = stack.awaitCompleted(commandId, Duration.ofMinutes(3));

        // then
        assertThat(pendingAtJoin).as("verify tasks still out when the second replica had joined").isPositive();
        CrashWork.RunWork.assertEndedOnce(stack, pair, POINTS, commandId, before);
        List<CloudEvent> verified = stack.eventsToEnd("migration-verified", "runId", run.id().toString());
        assertThat(verified).as("migration-verified records on the topic").hasSize(1);
        assertThat(stack.recordedEvents(run.id(), "migration-verified")).isEqualTo(1);
        figures.put("a second replica joins and leaves during verification", String.format("%s of %s verify tasks "
                + "out when it had joined, %s when it left (%s s after verification began); one swap, one "
                + "migration-verified", pendingAtJoin, POINTS / RANGE, pendingAtLeave, CrashWork.seconds(joining, left)));
    }

    /** What is left of an outage that began at {@code down} (at least a moment). */
    private static Duration restOf(Instant down) {
        Duration rest = Duration.between(Instant.now(), down.plus(OUTAGE));
        return rest.compareTo(Duration.ofMillis(500)) < 0 ? Duration.ofMillis(500) : rest;
    }

    private LifecycleStack.RunRow awaitState(String commandId, String state) {
        return await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> stack.run(commandId).orElse(null), r -> r != null && state.equals(r.state()));
    }

    private long unsent(UUID runId, String type) {
        return stack.count("SELECT count(*) FROM apex_migrator.events WHERE run_id = ? AND type = ? "
                + "AND sent_at IS NULL", runId, type);
    }

    private long pendingVerifyTasks(UUID runId) {
        return stack.count("SELECT count(*) FROM apex_migrator.batches WHERE run_id = ? AND kind = 'verify' "
                + "AND state <> 'done'", runId);
    }
}
