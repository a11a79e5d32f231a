package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.api.Messages;
import io.apex.migrator.live.ExactCounts;
import io.apex.migrator.proxy.ActiveRuns;
import io.apex.migrator.proxy.ProxyServer;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.state.CapturedWrites;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.state.VerificationStore;
import io.apex.migrator.support.LocalStackResource;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsIdsList;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Verification under writes, end to end (real Kafka and PostgreSQL, the stand-in as Qdrant, the proxy in front of
 * it): differences explained by captured writes in flight converge through the stream without a single repair, and
 * writes that bypass the proxy are repaired point by point (re-syncs of exactly the changed points, not of whole
 * ranges).
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
@WithTestResource(PipelineWorkerResource.class)
class LiveVerificationIT {

    private static final Logger LOGGER = Logger.getLogger(LiveVerificationIT.class);
    private static final int DIMS = 64;
    private static final String RESYNC = "apex.Live/Resync";

    @Inject
    QdrantGateway gateway;
    @Inject
    RunStore runStore;
    @Inject
    VerificationStore verifications;
    @Inject
    CapturedWrites capturedWrites;
    @Inject
    ExactCounts exactCounts;
    @Inject
    ActiveRuns activeRuns;
    @Inject
    ProxyServer proxyServer;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void writesThroughTheProxyDuringVerificationConvergeThroughTheStreamWithoutChecksumRepairs() throws Exception {
        // given: a collection behind its alias, migrated with a manual cutover
        Names n = Names.create("livever");
        seed(n, 6_000, 31);
        String commandId = "c-" + UUID.randomUUID();
        AtomicInteger writes = new AtomicInteger();
        AtomicReference<Throwable> writerError = new AtomicReference<>();
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        Run run;

        try (ProxyServer.Running proxy = proxyServer.start(gateway.settings(), 0);
                QdrantClient app = new QdrantClient(QdrantGrpcClient.newBuilder("localhost", proxy.port(), false,
                        false).build())) {
            send(migrate(commandId, n, 300));
            await().atMost(Duration.ofMinutes(1)).until(() -> activeRuns.forCollection(n.alias).isPresent());

            // when: an application writes to the alias through the proxy at a steady rate (one write at a time, at
            // most 50/s: replacements, inserts and deletes) from the copy until the run waits for its cutover. (The
            // rate stays below what the capture applier keeps up with on a shared 2-core machine, ~40-80/s: a stream
            // that falls behind by more than the verification's patience holds verification until it catches up.)
            SplittableRandom random = new SplittableRandom(17);
            writer.scheduleAtFixedRate(() -> {
                try {
                    writeOnce(app, n.alias, random, writes.incrementAndGet());
                } catch (Throwable e) {
                    writerError.compareAndSet(null, e);
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> runStore
                    .findByCommand(commandId).map(r -> r.state() == RunState.READY_FOR_CUTOVER || r.state().isFinal())
                    .orElse(false));
            writer.shutdown();
            assertThat(writer.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            run = runStore.findByCommand(commandId).orElseThrow();
        } finally {
            writer.shutdownNow();
        }

        // then: the run verified (no failure) and repaired nothing by checksum: whatever differed was explained by
        // the stream (how much differed depends on how far the applier lagged, so it is reported, not asserted;
        // PointConvergenceTest scripts a lagging stream)
        assertThat(writerError.get()).isNull();
        assertThat(run.state()).as("failure: %s", run.failure()).isEqualTo(RunState.READY_FOR_CUTOVER);
        JsonNode report = Messages.get().mapper().readTree(verifications.report(run.id()).orElseThrow());
        LOGGER.infof("verification under %s writes through the proxy: %s", writes.get(), report);
        assertThat(report.path("repairedPoints").asLong()).isZero();
        assertThat(report.path("stillDiffering")).isEmpty();
        assertThat(report.path("capturedWrites").asLong()).isPositive();
        assertThat(report.path("exactCounts").asText()).isIn("equal", ExactCounts.DEFERRED);

        // and: once the writer stopped, the stream brings the target to the source, and the counts the cutover hold
        // would compare are equal
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                assertThat(TestCollections.assertSameContent(gateway, n.v1, n.v2)).isPositive());
        assertThat(exactCounts.compare(n.v1, n.v2).equal()).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> capturedWrites.of(run.id()) >= writes.get());
        LOGGER.infof("%s writes through the proxy; %s captured writes applied to the target", writes.get(),
                capturedWrites.of(run.id()));
    }

    @Test
    void writesThatBypassTheProxyAreRepairedPointByPointAndTheRunCompletesEqual() throws Exception {
        // given: a run waiting for its manual cutover (6 ranges of 500 points)
        Names n = Names.create("bypass");
        seed(n, 3_000, 32);
        String commandId = "c-" + UUID.randomUUID();
        send(migrate(commandId, n, 500));
        await().atMost(Duration.ofMinutes(3)).until(() -> runStore.findByCommand(commandId)
                .map(r -> r.state() == RunState.READY_FOR_CUTOVER || r.state().isFinal()).orElse(false));
        Run run = runStore.findByCommand(commandId).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.READY_FOR_CUTOVER);
        // and: writes straight to the source, around the proxy, in four ranges: 5 replaced, 3 deleted, 2 inserted
        SplittableRandom random = new SplittableRandom(3);
        List<PointStruct> replaced = new ArrayList<>();
        for (int i : new int[] {10, 620, 1_300, 1_301, 2_950}) {
            RetrievedPoint p = gateway.scroll(n.v1, id(1_000_000L + i * 7L), 1, true, true).points().get(0);
            replaced.add(PointCopy.of(p).toBuilder().putPayload("title",
                    Value.newBuilder().setStringValue("bypassed").build()).build());
        }
        gateway.upsert(n.v1, replaced);
        gateway.delete(n.v1, List.of(id(1_000_000L + 11 * 7L), id(1_000_000L + 1_302 * 7L),
                id(1_000_000L + 2_951 * 7L)));
        gateway.upsert(n.v1, List.of(point(1_000_000L + 621 * 7L + 3, random), point(1_000_000L + 2_952 * 7L + 3,
                random)));
        int changed = 10;

        // when: the operator cuts over
        send("{\"schemaVersion\":1,\"commandId\":\"cut-" + UUID.randomUUID() + "\",\"type\":\"qdrant.cutover\","
                + "\"runId\":\"" + run.id() + "\"}");
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300)).until(() -> runStore
                .findRun(run.id()).map(r -> r.state().isFinal()).orElse(false));

        // then: the catch-up found exactly the changed points, re-synced exactly those through the stream, and the
        // run completed with the target equal to the source
        assertThat(runStore.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.COMPLETED);
        assertThat(gateway.aliases()).containsEntry(n.alias, n.v2);
        assertThat(TestCollections.assertSameContent(gateway, n.v1, n.v2)).isEqualTo(3_000 - 3 + 2);
        JsonNode report = Messages.get().mapper().readTree(verifications.report(run.id()).orElseThrow());
        LOGGER.infof("bypass: %s", report);
        assertThat(report.path("repairedPoints").asLong()).isEqualTo(changed);
        assertThat(report.path("resyncedPoints").asLong()).isEqualTo(changed);
        assertThat(report.path("convergedByStream").asLong()).isZero();
        assertThat(report.path("repaired").asInt()).isEqualTo(4);
        assertThat(resyncedIds(run.id())).as("points re-synced through the capture topic").hasSize(changed);
    }

    // --- helpers ---------------------------------------------------------------------------------------

    record Names(String v1, String v2, String alias) {
        static Names create(String base) {
            String name = base + "_" + UUID.randomUUID().toString().substring(0, 8);
            return new Names(name + "_v1", name + "_v2", name);
        }
    }

    private void seed(Names n, int points, long seed) {
        TestCollections.create(gateway, n.v1, DIMS, false);
        TestCollections.seed(gateway, n.v1, points, DIMS, false, false, seed);
        TestCollections.create(gateway, n.v2, DIMS, false);
        gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                .setAliasName(n.alias).setCollectionName(n.v1)).build()));
    }

    /** One write through the proxy: mostly a replacement of a seeded point, else an insert or a delete. */
    private static void writeOnce(QdrantClient app, String alias, SplittableRandom random, int seq) throws Exception {
        int kind = random.nextInt(10);
        if (kind < 7) {
            app.upsertAsync(alias, List.of(point(1_000_000L + random.nextInt(6_000) * 7L, random))).get();
        } else if (kind < 9) {
            app.upsertAsync(alias, List.of(point(5_000_000L + seq, random))).get();
        } else {
            app.deleteAsync(alias, List.of(id(1_000_000L + random.nextInt(6_000) * 7L))).get();
        }
    }

    /** The point ids of every re-sync record of the run on the capture topic. */
    private List<PointId> resyncedIds(UUID runId) throws Exception {
        List<PointId> ids = new ArrayList<>();
        try (TopicReader<byte[]> reader = TopicReader.bytes(bootstrap, PipelineWorkerResource.PREFIX + "capture")) {
            for (ConsumerRecord<String, byte[]> r : reader.pollToEnd(Duration.ofSeconds(30))) {
                if (runId.toString().equals(header(r, "apex-run-id")) && RESYNC.equals(header(r, "apex-method"))) {
                    ids.addAll(PointsIdsList.parseFrom(r.value()).getIdsList());
                }
            }
        }
        return ids;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static PointStruct point(long num, SplittableRandom random) {
        float[] v = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
            v[d] = (float) (random.nextDouble() * 2 - 1);
        }
        return PointStruct.newBuilder().setId(id(num)).setVectors(io.qdrant.client.VectorsFactory.vectors(v))
                .putPayload("label", Value.newBuilder().setStringValue("live " + random.nextInt()).build()).build();
    }

    private static PointId id(long num) {
        return PointId.newBuilder().setNum(num).build();
    }

    private static String migrate(String commandId, Names n, int batchSize) {
        return "{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"qdrant.migrate\",\"source\":\""
                + n.v1 + "\",\"target\":\"" + n.v2 + "\",\"alias\":\"" + n.alias + "\",\"batchSize\":" + batchSize
                + ",\"cutover\":\"manual\"}";
    }

    private void send(String json) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(PipelineWorkerResource.PREFIX + "commands", json)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
