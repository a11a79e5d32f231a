package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.api.Messages;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.VerificationStore;
import io.apex.migrator.support.LocalStackResource;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.QuantizationConfig;
import io.qdrant.client.grpc.Collections.QuantizationType;
import io.qdrant.client.grpc.Collections.ScalarQuantization;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The verified cutover end to end (real Kafka, PostgreSQL 15, the stand-in; the same worker setup as
 * {@link QdrantMigrationIT}): range checksums find and repair a corrupted point before the swap, a range that
 * stays different fails the run, writes made to the source during the copy are caught up, a badly quantized
 * target fails the recall gate, a manual cutover waits, catches up and swaps on command, and a Qdrant outage
 * during verification is waited out.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
@WithTestResource(PipelineWorkerResource.class)
class VerifiedCutoverIT extends StandInPipelineRuns {

    private static final Logger LOGGER = Logger.getLogger(VerifiedCutoverIT.class);
    private static final int DIMS = 128;

    @Inject
    VerificationStore verifications;
    @Inject
    javax.sql.DataSource dataSource;
    @Inject
    MeterRegistry registry;
    @Inject
    LocalPipeline localPipeline;

    @Test
    void aPointCorruptedOnItsWayIntoTheTargetIsRepairedBeforeTheSwap() throws Exception {
        // given: a quantized target, and the stand-in silently corrupts the first write of one point into it
        Names n = Names.create("repair");
        seedSource(n, 3_000, 4);
        createQuantizedTarget(n.v2);
        pointAlias(n.alias, n.v1);
        QdrantStandIn.shared().faults().corruptPoint(n.v2, 1_000_000L + 1234 * 7L, 1);
        String commandId = "c-" + UUID.randomUUID();

        // when
        send(migrate(commandId, n, 500, "auto"));
        JsonNode verified = awaitEvent(commandId, "migration-verified", Duration.ofMinutes(3));
        awaitEvent(commandId, "migration-completed", Duration.ofMinutes(1));

        // then
        JsonNode report = verified.path("details").path("verification");
        assertThat(report.path("differing").asInt()).isEqualTo(1);
        assertThat(report.path("repaired").asInt()).isEqualTo(1);
        assertThat(report.path("stillDiffering")).isEmpty();
        assertThat(report.path("rangesChecked").asInt()).isEqualTo(12); // 6 ranges in pass 1, 6 in the clean pass 2
        assertThat(report.path("sourcePoints").asLong()).isEqualTo(3_000);
        assertThat(report.path("recall").path("checked").asBoolean()).isTrue();
        assertThat(report.path("recall").path("passed").asBoolean()).isTrue();
        assertThat(gateway.aliases()).containsEntry(n.alias, n.v2);
        assertThat(TestCollections.assertSameContent(gateway, n.v1, n.v2)).isEqualTo(3_000);
        Run run = runStore.findByCommand(commandId).orElseThrow();
        JsonNode stored = Messages.get().mapper().readTree(verifications.report(run.id()).orElseThrow());
        assertThat(stored.path("repaired").asInt()).isEqualTo(1);
        LOGGER.infof("repair: %s", report);
    }

    @Test
    void aRangeThatStaysDifferentFailsTheRunNamingItAndLeavesTheAlias() {
        // given: every write of one point into the target is corrupted, so no re-copy can fix its range
        Names n = Names.create("unrepairable");
        seedSource(n, 2_000, 5);
        TestCollections.create(gateway, n.v2, DIMS, false);
        pointAlias(n.alias, n.v1);
        QdrantStandIn.shared().faults().corruptPoint(n.v2, 1_000_000L + 1_700 * 7L, 100);
        String commandId = "c-" + UUID.randomUUID();

        // when
        send(migrate(commandId, n, 500, "auto"));
        JsonNode failed = awaitEvent(commandId, "migration-failed", Duration.ofMinutes(3));

        // then: range 3 holds points 1500..1999
        assertThat(failed.path("reason").asText()).contains("ranges still differ after 3 repairs").contains("[3 ");
        assertThat(failed.path("details").path("verification").path("stillDiffering")).hasSize(1);
        assertThat(gateway.aliases()).containsEntry(n.alias, n.v1);
        assertThat(typesOf(commandId)).doesNotContain("migration-verified", "alias-swapped", "migration-completed");
    }

    @Test
    void writesToTheSourceDuringTheCopyAreCaughtUpAndTheTargetEqualsTheSource() throws Exception {
        // given: a slowed copy (each upsert 300 ms) and a writer that updates, inserts and deletes source points
        Names n = Names.create("catchup");
        seedSource(n, 4_000, 6);
        TestCollections.create(gateway, n.v2, DIMS, false);
        pointAlias(n.alias, n.v1);
        QdrantStandIn.shared().faults().latency("qdrant.Points/Upsert", Duration.ofMillis(300));
        String commandId = "c-" + UUID.randomUUID();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger writes = new AtomicInteger();
        Thread writer = new Thread(() -> writeUntil(n.v1, stop, writes), "source-writer");

        // when: the writer runs while the ranges are copied and stops before the last two are done
        send(migrate(commandId, n, 200, "auto"));
        writer.start();
        try {
            await().atMost(Duration.ofMinutes(3)).until(() -> runStore.findByCommand(commandId)
                    .map(r -> r.plannedBatches() != null && r.doneBatches() >= r.plannedBatches() - 2
                            || r.state() != RunState.COPYING && r.state() != RunState.PLANNED
                            && r.state() != RunState.ACCEPTED).orElse(false));
        } finally {
            stop.set(true);
            writer.join(Duration.ofSeconds(30).toMillis());
        }
        QdrantStandIn.shared().faults().reset();
        JsonNode verified = awaitEvent(commandId, "migration-verified", Duration.ofMinutes(3));
        awaitEvent(commandId, "migration-completed", Duration.ofMinutes(1));

        // then
        assertThat(writes.get()).isGreaterThan(10);
        assertThat(verified.path("details").path("verification").path("repaired").asInt()).isPositive();
        assertThat(gateway.aliases()).containsEntry(n.alias, n.v2);
        long count = TestCollections.assertSameContent(gateway, n.v1, n.v2);
        assertThat(count).isEqualTo(gateway.count(n.v1));
        LOGGER.infof("catch-up: %s writes during the copy; report %s", writes.get(), verified.path("details").path("verification"));
    }

    @Test
    void aBadlyQuantizedTargetFailsTheRecallGateAndTheAliasStaysOnV1() {
        // given: the target's int8 index is built from noisy vectors (the originals are intact)
        Names n = Names.create("recall");
        seedSource(n, 2_000, 7);
        createQuantizedTarget(n.v2);
        pointAlias(n.alias, n.v1);
        QdrantStandIn.shared().faults().quantizationNoise(n.v2, 0.5);
        String commandId = "c-" + UUID.randomUUID();

        // when
        send(migrate(commandId, n, 500, "auto"));
        JsonNode failed = awaitEvent(commandId, "migration-failed", Duration.ofMinutes(3));

        // then
        JsonNode recall = failed.path("details").path("verification").path("recall");
        assertThat(failed.path("reason").asText()).contains("recall@10").contains("below the threshold 0.97");
        assertThat(recall.path("queries").asInt()).isEqualTo(200);
        assertThat(recall.path("recallAt10").asDouble()).isLessThan(0.97);
        assertThat(recall.path("perVector").path("").path("recallAt10").asDouble()).isLessThan(0.97);
        assertThat(recall.path("perVector").path("").path("passed").asBoolean()).isFalse();
        assertThat(failed.path("reason").asText()).contains("the unnamed vector");
        assertThat(failed.path("details").path("verification").path("differing").asInt()).isZero();
        assertThat(gateway.aliases()).containsEntry(n.alias, n.v1);
        assertThat(typesOf(commandId)).doesNotContain("alias-swapped", "migration-completed");
        LOGGER.infof("recall gate: %s", recall);
    }

    @Test
    void aBulkLoadedTargetStillIndexingHoldsTheSwapUntilItIsReadyAndTheSourceSnapshotIsRecordedFirst()
            throws Exception {
        // given: a target Qdrant indexes (10 KB threshold), and a stand-in that keeps it yellow after each change
        // until told otherwise
        Names n = Names.create("ready");
        seedSource(n, 2_000, 9);
        gateway.createCollection(CreateCollection.newBuilder().setCollectionName(n.v2)
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(DIMS)
                        .setDistance(Distance.Dot)))
                .setHnswConfig(io.qdrant.client.grpc.Collections.HnswConfigDiff.newBuilder().setM(16))
                .setOptimizersConfig(io.qdrant.client.grpc.Collections.OptimizersConfigDiff.newBuilder()
                        .setIndexingThreshold(10))
                .build());
        pointAlias(n.alias, n.v1);
        QdrantStandIn.shared().faults().indexingDelay(Duration.ofMinutes(30));
        String commandId = "c-" + UUID.randomUUID();

        // when: a bulk load (m=0 while copying) with a snapshot of the source
        send(migrate(commandId, n, 500, "auto").replace("}", ",\"bulkLoad\":true,\"snapshot\":true}"));

        // then: the run reports the target indexing and keeps the alias where it is ...
        JsonNode indexing = awaitEvent(commandId, "migration-indexing", Duration.ofMinutes(3));
        JsonNode readiness = indexing.path("details").path("readiness");
        assertThat(readiness.path("ready").asBoolean()).isFalse();
        assertThat(readiness.path("status").asText()).isEqualTo("yellow");
        assertThat(readiness.path("requiredIndexed").asLong()).isEqualTo(1_980);
        assertThat(readiness.path("reason").asText()).contains("status yellow").contains("of 1980 required vectors");
        assertThat(gateway.aliases()).containsEntry(n.alias, n.v1);
        assertThat(typesOf(commandId)).doesNotContain("migration-verified", "alias-swapped");

        // ... and once the index is built it verifies, measures and swaps
        QdrantStandIn.shared().faults().indexingDelay(Duration.ZERO);
        JsonNode verified = awaitEvent(commandId, "migration-verified", Duration.ofMinutes(2));
        assertThat(verified.path("details").path("verification").path("readiness").path("ready").asBoolean()).isTrue();
        awaitEvent(commandId, "migration-completed", Duration.ofMinutes(1));
        assertThat(gateway.aliases()).containsEntry(n.alias, n.v2);
        assertThat(gateway.collectionInfo(n.v2).getConfig().getHnswConfig().getM()).isEqualTo(16);
        List<String> types = typesOf(commandId);
        assertThat(types.indexOf("migration-indexing")).isLessThan(types.indexOf("alias-swapped"));

        // the source's snapshot was taken before anything was written, named in the accepted event and the run
        JsonNode snapshot = awaitEvent(commandId, "migration-accepted", Duration.ofSeconds(10)).path("details")
                .path("sourceSnapshot");
        assertThat(snapshot.path("collection").asText()).isEqualTo(n.v1);
        assertThat(gateway.listSnapshots(n.v1)).anyMatch(s -> s.name().equals(snapshot.path("name").asText()));
        Run run = runStore.findByCommand(commandId).orElseThrow();
        assertThat(SourceSnapshot.recorded(run)).hasValueSatisfying(s -> assertThat(s.name())
                .isEqualTo(snapshot.path("name").asText()));
    }

    @Test
    void aManualCutoverWaitsCatchesUpWithChangesMadeWhileWaitingAndSwapsOnCommand() {
        // given: a run that waits in ready-for-cutover
        Names n = Names.create("manual");
        String commandId = "c-" + UUID.randomUUID();
        Run run = awaitReadyForCutover(n, 2_000, 8, commandId, 500);
        assertThat(gateway.aliases()).containsEntry(n.alias, n.v1);
        // while it waits: one target point is corrupted after the copy, one source point changes
        RetrievedPoint victim = gateway.scroll(n.v2, id(1_000_000L + 321 * 7L), 1, true, true).points().get(0);
        gateway.upsert(n.v2, List.of(PointCopy.of(victim).toBuilder()
                .putPayload("title", Value.newBuilder().setStringValue("corrupted").build()).build()));
        RetrievedPoint changed = gateway.scroll(n.v1, id(1_000_000L + 1_900 * 7L), 1, true, true).points().get(0);
        gateway.upsert(n.v1, List.of(PointCopy.of(changed).toBuilder()
                .putPayload("title", Value.newBuilder().setStringValue("edited while waiting").build()).build()));

        // when
        send(cutover(run.id()));
        awaitEvent(commandId, "migration-completed", Duration.ofMinutes(3));

        // then
        assertThat(gateway.aliases()).containsEntry(n.alias, n.v2);
        assertThat(TestCollections.assertSameContent(gateway, n.v1, n.v2)).isEqualTo(2_000);
        List<JsonNode> verified = eventsOf(commandId, "migration-verified");
        assertThat(verified).hasSize(2);
        assertThat(verified.get(1).path("details").path("verification").path("repaired").asInt()).isEqualTo(2);
    }

    @Test
    void aSecondMigrationOfABusyAliasIsRejectedNamingTheRunAndACancelEndsARunStuckCuttingOver() throws Exception {
        // given: a run of the alias waiting in ready-for-cutover
        Names n = Names.create("busy");
        String first = "c-" + UUID.randomUUID();
        Run run = awaitReadyForCutover(n, 600, 9, first, 300);

        // when: a second migration of the same alias (into another target) is sent
        String second = "c-" + UUID.randomUUID();
        TestCollections.create(gateway, n.v1 + "_other", DIMS, false);
        send("{\"schemaVersion\":1,\"commandId\":\"" + second + "\",\"type\":\"qdrant.migrate\",\"source\":\""
                + n.v1 + "\",\"target\":\"" + n.v1 + "_other\",\"alias\":\"" + n.alias + "\"}");

        // then: it is rejected naming the active run, and writes nothing
        JsonNode rejected = awaitEvent(second, "migration-rejected", Duration.ofMinutes(1));
        assertThat(rejected.path("field").asText()).isEqualTo("$.alias");
        assertThat(rejected.path("reason").asText()).contains(run.id().toString()).contains("ready-for-cutover");
        assertThat(runStore.findByCommand(second)).isEmpty();

        // given: the run is cutting over under the lease of a replica that is alive but stuck (no driver may act)
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE apex_migrator.runs SET state = 'cutting-over', owner = 'stuck-replica', "
                    + "lease_expires_at = now() + interval '1 hour' WHERE id = '" + run.id() + "'");
        }

        // when: an operator cancels it
        send("{\"schemaVersion\":1,\"commandId\":\"cancel-" + UUID.randomUUID() + "\",\"type\":\"run.cancel\","
                + "\"runId\":\"" + run.id() + "\"}");

        // then: the run ends cancelled, the alias where it was, and the failure is announced
        await().atMost(Duration.ofMinutes(1)).until(() -> runStore.findRun(run.id()).orElseThrow().state()
                == RunState.CANCELLED);
        JsonNode failed = awaitEvent(first, "migration-failed", Duration.ofMinutes(1));
        assertThat(failed.path("reason").asText()).startsWith("cancelled by command");
        assertThat(gateway.aliases()).containsEntry(n.alias, n.v1);
    }

    @Test
    void aCutoverCommandForARunThatDoesNotWaitForItIsRejectedNamingTheRunAndItsStateAndRecordsNothing()
            throws Exception {
        // given: a run that waited for its cutover and is verifying again, under the lease of a replica (no driver
        // may act)
        Names n = Names.create("notwaiting");
        Run run = awaitReadyForCutover(n, 600, 11, "c-" + UUID.randomUUID(), 300);
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE apex_migrator.runs SET state = 'verifying', owner = 'busy-replica', "
                    + "lease_expires_at = now() + interval '1 hour' WHERE id = '" + run.id() + "'");
        }

        // when
        String early = "cut-" + UUID.randomUUID();
        send(cutover(early, run.id()));

        // then: rejected naming the run and its state; no request recorded, the command not marked processed
        JsonNode rejected = awaitEvent(early, "migration-rejected", Duration.ofMinutes(1));
        assertThat(rejected.path("field").asText()).isEqualTo("$.runId");
        assertThat(rejected.path("reason").asText()).contains("run " + run.id() + " is verifying, not ready-for-cutover");
        assertThat(verifications.cutoverRequested(run.id())).as("cutover requested").isFalse();
        assertThat(runStore.commandSeen(early)).isFalse();
        assertThat(runStore.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.VERIFYING);

        // and: the in-process go-ahead (qdrant cutover --local) handed the run as read while it waited is refused
        // the same way, by the run store's own look at the state
        assertThat(run.state()).isEqualTo(RunState.READY_FOR_CUTOVER);
        assertThatThrownBy(() -> localPipeline.cutover(run)).isInstanceOf(PipelineException.CutoverRefused.class)
                .hasMessage("run " + run.id() + " is verifying, not ready-for-cutover");
        assertThat(verifications.cutoverRequested(run.id())).as("cutover requested").isFalse();

        // when: the run is cancelled, and a cutover comes after that
        send("{\"schemaVersion\":1,\"commandId\":\"cancel-" + UUID.randomUUID() + "\",\"type\":\"run.cancel\","
                + "\"runId\":\"" + run.id() + "\"}");
        await().atMost(Duration.ofMinutes(1)).until(() -> runStore.findRun(run.id()).orElseThrow().state()
                == RunState.CANCELLED);
        String late = "cut-" + UUID.randomUUID();
        send(cutover(late, run.id()));

        // then: rejected as ended, naming its state; the alias never moved
        JsonNode ended = awaitEvent(late, "migration-rejected", Duration.ofMinutes(1));
        assertThat(ended.path("field").asText()).isEqualTo("$.runId");
        assertThat(ended.path("reason").asText()).contains("run " + run.id() + " has ended (cancelled)");
        assertThat(runStore.commandSeen(late)).isFalse();
        assertThat(gateway.aliases()).containsEntry(n.alias, n.v1);
    }

    @Test
    void aQdrantOutageOfASecondAndAHalfDuringVerificationIsWaitedOutAndTheRunCompletes() {
        // given: a run waiting for its manual cutover, and Qdrant's scroll (which only the verify tasks use from
        // here on) armed to be UNAVAILABLE for 1.5 s from the catch-up pass's first read: longer than the
        // gateway's own retries, shorter than apex.pipeline.transient-patience
        Names n = Names.create("blip");
        String commandId = "c-" + UUID.randomUUID();
        Run run = awaitReadyForCutover(n, 2_000, 9, commandId, 500);
        double verifyRetriesBefore = verifyRetries();
        QdrantStandIn.shared().faults().outage("Points/Scroll", Duration.ofMillis(1_500), Status.Code.UNAVAILABLE);

        // when
        send(cutover(run.id()));
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300)).until(() -> runStore
                .findByCommand(commandId).map(r -> r.state().isFinal()).orElse(false));

        // then: the verify tasks met the outage, retried whole, and the run completed
        assertThat(runStore.findByCommand(commandId).orElseThrow().state()).isEqualTo(RunState.COMPLETED);
        assertThat(QdrantStandIn.shared().faults().injectedCount()).isGreaterThan(3);
        assertThat(verifyRetries()).isGreaterThan(verifyRetriesBefore);
        awaitEvent(commandId, "migration-completed", Duration.ofMinutes(1));
        assertThat(typesOf(commandId)).doesNotContain("migration-failed");
        assertThat(gateway.aliases()).containsEntry(n.alias, n.v2);
        assertThat(TestCollections.assertSameContent(gateway, n.v1, n.v2)).isEqualTo(2_000);
    }

    // --- helpers ---------------------------------------------------------------------------------------

    /** Seeds the source behind its alias, migrates it with a manual cutover and returns the run waiting for it. */
    private Run awaitReadyForCutover(Names n, int points, long seed, String commandId, int batchSize) {
        seedSource(n, points, seed);
        TestCollections.create(gateway, n.v2, DIMS, false);
        pointAlias(n.alias, n.v1);
        send(migrate(commandId, n, batchSize, "manual"));
        await().atMost(Duration.ofMinutes(3)).until(() -> runStore.findByCommand(commandId)
                .map(r -> r.state() == RunState.READY_FOR_CUTOVER || r.state().isFinal()).orElse(false));
        Run run = runStore.findByCommand(commandId).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.READY_FOR_CUTOVER);
        return run;
    }

    record Names(String v1, String v2, String alias) {
        static Names create(String base) {
            String name = base + "_" + UUID.randomUUID().toString().substring(0, 8);
            return new Names(name + "_v1", name + "_v2", name);
        }
    }

    /** Retries of whole verify tasks after transient Qdrant errors, as the worker counted them. */
    private double verifyRetries() {
        Counter counter = registry.find("apex.batch.retries").tag("operation", "verify").counter();
        return counter == null ? 0 : counter.count();
    }

    private void seedSource(Names n, int points, long seed) {
        TestCollections.create(gateway, n.v1, DIMS, false);
        TestCollections.seed(gateway, n.v1, points, DIMS, false, false, seed);
    }

    private void createQuantizedTarget(String name) {
        gateway.createCollection(CreateCollection.newBuilder().setCollectionName(name)
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(DIMS)
                        .setDistance(Distance.Dot)))
                .setQuantizationConfig(QuantizationConfig.newBuilder().setScalar(ScalarQuantization.newBuilder()
                        .setType(QuantizationType.Int8).setQuantile(0.99f).setAlwaysRam(true)))
                .build());
    }

    /** Updates, inserts and deletes source points at random, 20 at a time, until told to stop. */
    private void writeUntil(String source, AtomicBoolean stop, AtomicInteger writes) {
        SplittableRandom random = new SplittableRandom(11);
        while (!stop.get()) {
            List<PointStruct> upserts = new ArrayList<>();
            List<PointId> deletes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                long num = 1_000_000L + random.nextInt(4_000) * 7L + (random.nextInt(10) < 3 ? 3 : 0);
                if (random.nextInt(10) < 8) {
                    float[] v = new float[DIMS];
                    for (int d = 0; d < DIMS; d++) {
                        v[d] = (float) (random.nextDouble() * 2 - 1);
                    }
                    upserts.add(PointStruct.newBuilder().setId(id(num))
                            .setVectors(io.qdrant.client.VectorsFactory.vectors(v))
                            .putPayload("rev", Value.newBuilder().setIntegerValue(writes.get()).build()).build());
                } else {
                    deletes.add(id(num));
                }
            }
            gateway.upsert(source, upserts);
            gateway.delete(source, deletes);
            writes.addAndGet(upserts.size() + deletes.size());
        }
    }

    private static PointId id(long num) {
        return PointId.newBuilder().setNum(num).build();
    }

    private static String migrate(String commandId, Names n, int batchSize, String cutover) {
        return "{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"qdrant.migrate\",\"source\":\""
                + n.v1 + "\",\"target\":\"" + n.v2 + "\",\"alias\":\"" + n.alias + "\",\"batchSize\":" + batchSize
                + ",\"cutover\":\"" + cutover + "\"}";
    }
}
