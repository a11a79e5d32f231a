package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.apex.migrator.CrashPoint;
import io.apex.migrator.qdrant.standin.AliasUpdates;
import io.apex.migrator.qdrant.standin.Faults;
import io.apex.migrator.support.FreePort;
import io.apex.migrator.support.ServiceProcess;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.qdrant.client.PointIdFactory;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.PointsIdsList;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.PointsGrpc;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker killed between a message's last insert and the message's backfill check ({@link
 * CrashPoint#BEFORE_BACKFILL_CHECK}), with a delete racing the copy in its worst order: the page holding P is read,
 * then P is deleted through the capture proxy and its capture applied (tombstone recorded, the target's delete finding
 * nothing), then the page lands and brings P back, and the worker halts before its check. The replica that takes the
 * redelivered message reads neither P (the source no longer has it) nor that tombstone (it is below the horizon it
 * takes), so only its check of what the earlier attempt inserted ({@code BackfillGuard#recheck}) removes P. The run
 * must complete once, the target equal to the source with P absent, and verification must have had nothing to
 * repair: the copy itself left the target right.
 *
 * <p>Real processes as in {@link LifecycleCrashMatrixIT} (Kafka, PostgreSQL, worker and proxy replicas of the
 * packaged application; the Qdrant stand-in in this JVM parks the page's insert). The batches topic has one partition
 * so that the run's four ranges travel in one message.
 */
class BackfillCheckCrashIT {

    private static final int POINTS = 40;
    private static final int RANGE = 10;
    /** The deleted point: the lowest id, in the first page of the message's first range. */
    private static final long P = 1;
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    private static LifecycleStack stack;
    private static int proxyPort;

    @BeforeAll
    static void startStack() {
        Map<String, String> properties = new HashMap<>(LifecycleStack.LIVE);
        properties.put("apex.topics.batches-partitions", "1");
        stack = LifecycleStack.start("backfill-crash", properties);
        proxyPort = FreePort.pick();
        stack.fleet.startProxy("proxy", proxyPort, Map.of("apex.proxy.rest-port", String.valueOf(FreePort.pick())));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aPointDeletedWhileAKilledWorkersUncheckedPageBroughtItBackIsRemovedByTheReplicaThatTakesTheMessageOver()
            throws Exception {
        // given: a pair of four ranges of ten points, one replica that halts before the message's check, and the
        // first page's insert into the target parked
        SeededPair pair = stack.seed("bcc", POINTS);
        AliasUpdates aliasBefore = stack.qdrant.aliasUpdates(pair.alias());
        Faults.Gate insert = stack.qdrant.faults().parkNextUpsert(pair.target());
        ServiceProcess crasher = stack.fleet.start("crasher", Map.of("apex.crash-point",
                CrashPoint.BEFORE_BACKFILL_CHECK, "apex.crash-point.source", pair.source()));
        String commandId = stack.send(pair.migrate(RANGE));
        try {
            assertThat(insert.awaitArrived(DEADLINE)).as("the first page's insert reached the stand-in").isTrue();

            // when: P is deleted through the proxy and its capture applied before the page lands
            deleteThroughProxy(pair.source(), P);
            LifecycleStack.RunRow run = stack.run(commandId).orElseThrow();
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).until(() -> stack.count(
                    "SELECT count(*) FROM apex_migrator.live_tombstones WHERE run_id = ?", run.id()) > 0);
            awaitCapturesApplied();
        } finally {
            insert.open();
        }
        // ... the page brings P back, and the worker halts before the message's check
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).until(() -> !crasher.isAlive());
        assertThat(crasher.exitCode()).as("exit code of the crashed replica").isEqualTo(137);
        assertThat(WorkerFleet.read(crasher.log()))
                .contains("crash point '" + CrashPoint.BEFORE_BACKFILL_CHECK + "' reached");
        assertThat(stack.gateway.get(pair.target(), List.of(id(P)))).as("P brought back into the target").hasSize(1);
        assertThat(stack.gateway.get(pair.source(), List.of(id(P)))).as("P in the source").isEmpty();

        // and another replica takes the redelivered message over
        ServiceProcess taker = stack.fleet.start("taker", Map.of());
        stack.awaitCompleted(commandId, Duration.ofMinutes(3));

        // then: the run ended once with the target equal to the source, P absent, nothing left for verification
        LifecycleStack.RunRow run = stack.run(commandId).orElseThrow();
        CrashWork.RunWork.assertEndedOnce(stack, pair, POINTS - 1, commandId, aliasBefore);
        assertThat(stack.gateway.get(pair.target(), List.of(id(P)))).as("P in the target").isEmpty();
        assertThat(stack.strings("SELECT verification->>'resyncedPoints' FROM apex_migrator.runs WHERE id = ?",
                run.id())).as("points verification had to re-sync").containsExactly("0");
        assertThat(WorkerFleet.read(taker.log())).contains("taken over from an attempt that never reported them");
    }

    private static void deleteThroughProxy(String collection, long id) {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", proxyPort).usePlaintext().build();
        try {
            PointsGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).delete(DeletePoints.newBuilder()
                    .setCollectionName(collection).setWait(true).setPoints(PointsSelector.newBuilder()
                            .setPoints(PointsIdsList.newBuilder().addIds(id(id)))).build());
        } finally {
            channel.shutdownNow();
        }
    }

    /** Waits until the workers' capture consumer has committed every capture published (each applied first). */
    private static void awaitCapturesApplied() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.broker.bootstrapServers()))) {
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("apex-capture")
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                var ends = admin.listOffsets(committed.keySet().stream().collect(Collectors.toMap(tp -> tp,
                        tp -> OffsetSpec.latest()))).all().get(30, TimeUnit.SECONDS);
                long published = ends.values().stream().mapToLong(e -> e.offset()).sum();
                long applied = committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
                return published > 0 && applied == published;
            });
        }
    }

    private static PointId id(long id) {
        return PointIdFactory.id(id);
    }
}
