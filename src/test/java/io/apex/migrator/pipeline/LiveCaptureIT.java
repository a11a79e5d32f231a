package io.apex.migrator.pipeline;

import static io.apex.migrator.pipeline.LifecycleStack.data;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.proxy.ProxyServer;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.support.LocalStackResource;
import io.cloudevents.CloudEvent;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Live migration's first part end to end (real Kafka and PostgreSQL, the stand-in as Qdrant, the proxy in front of
 * it): writes sent through the proxy to the alias of a collection under migration are captured and applied to the
 * target by the workers, before (and without) any verification pass; after the cutover the alias's collection equals
 * the source point for point, and the catch-up pass before the swap finds nothing left to repair.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
@WithTestResource(PipelineWorkerResource.class)
class LiveCaptureIT {

    private static final Logger LOGGER = Logger.getLogger(LiveCaptureIT.class);
    private static final int DIMS = 64;

    @Inject
    QdrantGateway gateway;
    @Inject
    RunStore runStore;
    @Inject
    ProxyServer proxyServer;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void writesThroughTheProxyDuringARunReachTheTargetWithoutVerificationAndTheCutoverLosesNone() throws Exception {
        // given: a run that copied and verified 2,000 points and waits for its manual cutover
        String base = "live_" + UUID.randomUUID().toString().substring(0, 8);
        String v1 = base + "_v1";
        String v2 = base + "_v2";
        TestCollections.create(gateway, v1, DIMS, false);
        TestCollections.seed(gateway, v1, 2_000, DIMS, false, false, 21);
        TestCollections.create(gateway, v2, DIMS, false);
        gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                .setAliasName(base).setCollectionName(v1)).build()));
        String commandId = "c-" + UUID.randomUUID();
        send("{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"qdrant.migrate\",\"source\":\"" + v1
                + "\",\"target\":\"" + v2 + "\",\"alias\":\"" + base + "\",\"batchSize\":500,\"cutover\":\"manual\"}");
        await().atMost(Duration.ofMinutes(3)).until(() -> runStore.findByCommand(commandId)
                .map(r -> r.state() == RunState.READY_FOR_CUTOVER || r.state().isFinal()).orElse(false));
        Run run = runStore.findByCommand(commandId).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.READY_FOR_CUTOVER);
        int writes;

        try (ProxyServer.Running proxy = proxyServer.start(gateway.settings(), 0);
                QdrantClient app = new QdrantClient(QdrantGrpcClient.newBuilder("localhost", proxy.port(), false,
                        false).build())) {
            // when: an application writes to the ALIAS through the proxy: inserts, replacements, deletes, set payload
            SplittableRandom random = new SplittableRandom(5);
            List<PointStruct> inserts = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                inserts.add(point(5_000_000L + i, random, "inserted"));
            }
            List<PointStruct> replacements = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                replacements.add(point(1_000_000L + (i * 31L) * 7L, random, "replaced"));
            }
            List<PointId> deletes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                deletes.add(id(1_000_000L + (1_000 + i * 17L) * 7L));
            }
            List<PointId> relabelled = List.of(id(1_000_000L + 1_500 * 7L), id(1_000_000L + 1_501 * 7L),
                    id(5_000_000L + 3));
            app.upsertAsync(base, inserts).get();
            app.upsertAsync(base, replacements).get();
            app.deleteAsync(base, deletes).get();
            app.setPayloadAsync(base, Map.of("label", Value.newBuilder().setStringValue("set live").build()),
                    relabelled, true, null, null).get();
            writes = inserts.size() + replacements.size() + deletes.size() + relabelled.size();

            // then: the target has every write (no verification pass ran since: the run still waits)
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(TestCollections.assertSameContent(gateway, v1, v2)).isEqualTo(2_000 + 50 - 20));
            assertThat(runStore.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.READY_FOR_CUTOVER);
            RetrievedPoint labelled = gateway.scroll(v2, id(1_000_000L + 1_500 * 7L), 1, false, true).points().get(0);
            assertThat(labelled.getPayloadMap().get("label").getStringValue()).isEqualTo("set live");
            assertThat(captures(run.id())).containsExactly("qdrant.Points/Upsert", "qdrant.Points/Upsert",
                    "qdrant.Points/Delete", "qdrant.Points/SetPayload");

            // and (printed, not asserted): a captured upsert through the proxy vs the same upsert sent to Qdrant
            // directly (into the target, which the capture then rewrites identically)
            printCaptureLatency(app, base, v2, random);
        }

        // when: the operator cuts over
        send("{\"schemaVersion\":1,\"commandId\":\"cut-" + UUID.randomUUID() + "\",\"type\":\"qdrant.cutover\","
                + "\"runId\":\"" + run.id() + "\"}");
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300)).until(() -> runStore
                .findRun(run.id()).map(r -> r.state().isFinal()).orElse(false));

        // then: the alias's collection equals the source point for point; the catch-up pass repaired nothing
        assertThat(runStore.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.COMPLETED);
        assertThat(gateway.aliases()).containsEntry(base, v2);
        assertThat(TestCollections.assertSameContent(gateway, v1, v2)).isEqualTo(2_030);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300))
                .until(() -> verifiedEvents(commandId).size() == 2);
        List<JsonNode> verified = verifiedEvents(commandId);
        assertThat(verified.get(1).path("details").path("verification").path("repaired").asInt()).isZero();
        LOGGER.infof("live capture: %s writes through the proxy, applied to the target before the cutover", writes);
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private void printCaptureLatency(QdrantClient app, String alias, String target, SplittableRandom random)
            throws Exception {
        int calls = 500;
        int warmup = 100;
        List<Long> captured = new ArrayList<>();
        List<Long> direct = new ArrayList<>();
        for (int i = 0; i < warmup + calls; i++) {
            List<PointStruct> one = List.of(point(5_000_000L + i % 50, random, "inserted"));
            long start = System.nanoTime();
            app.upsertAsync(alias, one).get();
            long middle = System.nanoTime();
            gateway.upsert(target, one);
            long end = System.nanoTime();
            if (i >= warmup) {
                captured.add(middle - start);
                direct.add(end - middle);
            }
        }
        String report = String.format("captured upsert latency over %d calls (1 point, %d-d): direct %s; through the "
                + "proxy, captured %s", calls, DIMS, io.apex.migrator.bench.LatencySummary.ofNanos(direct),
                io.apex.migrator.bench.LatencySummary.ofNanos(captured));
        System.out.println(report);
        LOGGER.info(report);
    }

    /** The methods captured for this run, in topic order. */
    private List<String> captures(UUID runId) {
        try (TopicReader<String> reader = TopicReader.strings(bootstrap, PipelineWorkerResource.PREFIX + "capture")) {
            List<String> methods = new ArrayList<>();
            for (ConsumerRecord<String, String> r : reader.pollToEnd(Duration.ofSeconds(30))) {
                if (runId.toString().equals(header(r, "apex-run-id"))) {
                    methods.add(header(r, "apex-method"));
                }
            }
            return methods;
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static PointStruct point(long num, SplittableRandom random, String label) {
        float[] v = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
            v[d] = (float) (random.nextDouble() * 2 - 1);
        }
        return PointStruct.newBuilder().setId(id(num)).setVectors(io.qdrant.client.VectorsFactory.vectors(v))
                .putPayload("label", Value.newBuilder().setStringValue(label).build()).build();
    }

    private static PointId id(long num) {
        return PointId.newBuilder().setNum(num).build();
    }

    private void send(String json) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(PipelineWorkerResource.PREFIX + "commands", json)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<JsonNode> verifiedEvents(String commandId) {
        try (TopicReader<CloudEvent> events = TopicReader.events(bootstrap, PipelineWorkerResource.PREFIX + "events")) {
            List<JsonNode> out = new ArrayList<>();
            events.pollToEnd(Duration.ofSeconds(30)).stream().filter(r -> r.value().getType().equals("io.apex.migrator.migration-verified"))
                    .map(r -> data(r.value())).filter(d -> commandId.equals(d.path("commandId").asText(null)))
                    .forEach(out::add);
            return out;
        }
    }

}
