package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.apex.migrator.proxy.ProxyServer;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.support.LocalStackResource;
import io.apex.migrator.support.QdrantRest;
import io.apex.migrator.support.QdrantRest.Answer;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Common.PointId;
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
import org.junit.jupiter.api.Test;

/**
 * Writes sent over Qdrant's REST API through the proxy to the alias of a collection under migration are captured and
 * applied to the target by the workers, as gRPC writes are (real Kafka and PostgreSQL, the stand-in as Qdrant): by id
 * (re-synced from the source) and by filter (replayed on the target over REST), before any verification pass.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
@WithTestResource(PipelineWorkerResource.class)
class RestLiveCaptureIT {

    private static final int DIMS = 16;
    private static final String U1 = "0d1f3a52-9a0e-4c4e-8f6b-1a2b3c4d5e6f";

    @Inject
    QdrantGateway gateway;
    @Inject
    RunStore runStore;
    @Inject
    ProxyServer proxyServer;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void restWritesThroughTheProxyDuringARunReachTheTarget() {
        // given: a run that copied and verified 1,000 points and waits for its manual cutover
        String base = "rlive_" + UUID.randomUUID().toString().substring(0, 8);
        String v1 = base + "_v1";
        String v2 = base + "_v2";
        TestCollections.create(gateway, v1, DIMS, false);
        TestCollections.seed(gateway, v1, 1_000, DIMS, false, false, 31);
        TestCollections.create(gateway, v2, DIMS, false);
        gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                .setAliasName(base).setCollectionName(v1)).build()));
        String commandId = "c-" + UUID.randomUUID();
        send("{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"qdrant.migrate\",\"source\":\"" + v1
                + "\",\"target\":\"" + v2 + "\",\"alias\":\"" + base + "\",\"batchSize\":250,\"cutover\":\"manual\"}");
        await().atMost(Duration.ofMinutes(3)).until(() -> runStore.findByCommand(commandId)
                .map(r -> r.state() == RunState.READY_FOR_CUTOVER || r.state().isFinal()).orElse(false));
        Run run = runStore.findByCommand(commandId).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.READY_FOR_CUTOVER);

        try (ProxyServer.Running proxy = proxyServer.start(gateway.settings(), 0)) {
            QdrantRest app = new QdrantRest(proxy.restPort());
            String points = "/collections/" + base + "/points";
            SplittableRandom random = new SplittableRandom(7);

            // when: an application writes to the ALIAS over REST through the proxy
            List<Answer> answers = new ArrayList<>();
            answers.add(app.put(points + "?wait=true", "{\"points\":[" + point(9_000_001L, random, "inserted") + ","
                    + point("\"" + U1 + "\"", random, "inserted") + "," + point(id(3), random, "replaced") + "]}"));
            answers.add(app.put(points, "{\"batch\":{\"ids\":[9000002,9000003],\"vectors\":[" + vector(random) + ","
                    + vector(random) + "],\"payloads\":[{\"label\":\"batched\"},{\"label\":\"batched\"}]}}"));
            answers.add(app.post(points + "/delete?wait=true", "{\"points\":[" + id(10) + "," + id(11) + "]}"));
            answers.add(app.post(points + "/delete?wait=true",
                    "{\"filter\":{\"must\":[{\"key\":\"doc_id\",\"range\":{\"gte\":100,\"lt\":110}}]}}"));
            answers.add(app.post(points + "/payload?wait=true",
                    "{\"payload\":{\"label\":\"set live\"},\"points\":[" + id(20) + ",\"" + U1 + "\"]}"));
            answers.add(app.put(points + "/payload?wait=true", "{\"payload\":{\"label\":\"overwritten\"},"
                    + "\"filter\":{\"must\":[{\"key\":\"doc_id\",\"range\":{\"gte\":200,\"lt\":205}}]}}"));

            // then: every write was acknowledged, captured in order, and the target has it (no verification ran)
            assertThat(answers).extracting(Answer::status).containsOnly(200);
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(TestCollections.assertSameContent(gateway, v1, v2)).isEqualTo(1_000 + 4 - 2 - 10));
            assertThat(runStore.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.READY_FOR_CUTOVER);
            assertThat(label(v2, 200)).isEqualTo("overwritten");
            assertThat(payloadKeys(v2, 200)).containsExactly("label");
            assertThat(label(v2, 20)).isEqualTo("set live");
            assertThat(captures(run.id())).containsExactly(
                    "REST PUT /collections/{name}/points",
                    "REST PUT /collections/{name}/points",
                    "REST POST /collections/{name}/points/delete",
                    "REST POST /collections/{name}/points/delete",
                    "REST POST /collections/{name}/points/payload",
                    "REST PUT /collections/{name}/points/payload");
        }
    }

    @Test
    void restPayloadVectorAndBatchWritesThroughTheProxyReachANamedVectorTarget() {
        // given: a run of a hybrid collection (named dense + sparse vectors) waiting for its cutover
        String base = "rkind_" + UUID.randomUUID().toString().substring(0, 8);
        Run run = readyRun(base, 600, true);

        try (ProxyServer.Running proxy = proxyServer.start(gateway.settings(), 0)) {
            QdrantRest app = new QdrantRest(proxy.restPort());
            String points = "/collections/" + base + "/points";
            SplittableRandom random = new SplittableRandom(11);
            String docIds = "{\"must\":[{\"key\":\"doc_id\",\"range\":{\"gte\":%d,\"lt\":%d}}]}";

            // when: every other write kind, by id and by filter, and a batch of several
            List<Answer> answers = new ArrayList<>();
            answers.add(app.post(points + "/payload/delete?wait=true",
                    "{\"keys\":[\"title\",\"meta\"],\"points\":[" + id(1) + "]}"));
            answers.add(app.post(points + "/payload/delete?wait=true",
                    "{\"keys\":[\"score\"],\"filter\":" + String.format(docIds, 10, 15) + "}"));
            answers.add(app.post(points + "/payload/clear?wait=true", "{\"points\":[" + id(2) + "]}"));
            answers.add(app.post(points + "/payload/clear?wait=true",
                    "{\"filter\":" + String.format(docIds, 20, 23) + "}"));
            answers.add(app.put(points + "/vectors?wait=true", "{\"points\":[{\"id\":" + id(3)
                    + ",\"vector\":{\"dense\":" + vector(random) + "}}]}"));
            answers.add(app.post(points + "/vectors/delete?wait=true",
                    "{\"points\":[" + id(4) + "],\"vector\":[\"text\"]}"));
            answers.add(app.post(points + "/vectors/delete?wait=true",
                    "{\"filter\":" + String.format(docIds, 30, 33) + ",\"vector\":[\"text\"]}"));
            answers.add(app.post(points + "/batch?wait=true", "{\"operations\":["
                    + "{\"upsert\":{\"points\":[{\"id\":9100001,\"vector\":{\"dense\":" + vector(random)
                    + ",\"text\":{\"indices\":[1,5],\"values\":[0.5,0.25]}},\"payload\":{\"label\":\"b\"}}]}},"
                    + "{\"delete\":{\"filter\":" + String.format(docIds, 40, 44) + "}},"
                    + "{\"set_payload\":{\"payload\":{\"label\":\"batched\"},\"points\":[" + id(5) + "]}},"
                    + "{\"overwrite_payload\":{\"payload\":{\"label\":\"over\"},\"filter\":"
                    + String.format(docIds, 50, 52) + "}}]}"));

            // then: all acknowledged, captured in order, and the target equals the source (no verification ran)
            assertThat(answers).extracting(Answer::status).containsOnly(200);
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(TestCollections.assertSameContent(gateway, base + "_v1", base + "_v2"))
                            .isEqualTo(600 + 1 - 4));
            assertThat(runStore.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.READY_FOR_CUTOVER);
            assertThat(payloadKeys(base + "_v2", 21)).isEmpty();
            assertThat(payloadKeys(base + "_v2", 50)).containsExactly("label");
            assertThat(captures(run.id())).containsExactly(
                    "REST POST /collections/{name}/points/payload/delete",
                    "REST POST /collections/{name}/points/payload/delete",
                    "REST POST /collections/{name}/points/payload/clear",
                    "REST POST /collections/{name}/points/payload/clear",
                    "REST PUT /collections/{name}/points/vectors",
                    "REST POST /collections/{name}/points/vectors/delete",
                    "REST POST /collections/{name}/points/vectors/delete",
                    "REST POST /collections/{name}/points/batch");
        }
    }

    /** A manual-cutover run of {@code base_v1} (seeded) to {@code base_v2} under alias {@code base}, copied and waiting. */
    private Run readyRun(String base, int points, boolean hybrid) {
        TestCollections.create(gateway, base + "_v1", DIMS, hybrid);
        TestCollections.seed(gateway, base + "_v1", points, DIMS, hybrid, false, 13);
        TestCollections.create(gateway, base + "_v2", DIMS, hybrid);
        gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                .setAliasName(base).setCollectionName(base + "_v1")).build()));
        String commandId = "c-" + UUID.randomUUID();
        send("{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"qdrant.migrate\",\"source\":\""
                + base + "_v1\",\"target\":\"" + base + "_v2\",\"alias\":\"" + base + "\",\"batchSize\":250,"
                + "\"cutover\":\"manual\"}");
        await().atMost(Duration.ofMinutes(3)).until(() -> runStore.findByCommand(commandId)
                .map(r -> r.state() == RunState.READY_FOR_CUTOVER || r.state().isFinal()).orElse(false));
        Run run = runStore.findByCommand(commandId).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.READY_FOR_CUTOVER);
        return run;
    }

    @Test
    void aRestWriteQdrantRefusesIsAnsweredAsQdrantAnswersAndNotCaptured() {
        // given: a run waiting for its cutover
        String base = "rref_" + UUID.randomUUID().toString().substring(0, 8);
        TestCollections.create(gateway, base + "_v1", DIMS, false);
        TestCollections.seed(gateway, base + "_v1", 100, DIMS, false, false, 5);
        TestCollections.create(gateway, base + "_v2", DIMS, false);
        gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                .setAliasName(base).setCollectionName(base + "_v1")).build()));
        String commandId = "c-" + UUID.randomUUID();
        send("{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"qdrant.migrate\",\"source\":\""
                + base + "_v1\",\"target\":\"" + base + "_v2\",\"alias\":\"" + base + "\",\"batchSize\":250,"
                + "\"cutover\":\"manual\"}");
        await().atMost(Duration.ofMinutes(3)).until(() -> runStore.findByCommand(commandId)
                .map(r -> r.state() == RunState.READY_FOR_CUTOVER || r.state().isFinal()).orElse(false));
        Run run = runStore.findByCommand(commandId).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.READY_FOR_CUTOVER);

        try (ProxyServer.Running proxy = proxyServer.start(gateway.settings(), 0)) {
            QdrantRest app = new QdrantRest(proxy.restPort());

            // when: a write with a vector of the wrong dimension, then a valid one
            Answer refused = app.put("/collections/" + base + "_v1/points?wait=true",
                    "{\"points\":[{\"id\":1,\"vector\":[1,2]}]}");
            Answer accepted = app.post("/collections/" + base + "_v1/points/delete?wait=true",
                    "{\"points\":[" + id(1) + "]}");

            // then: only the valid one was captured
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.error()).contains("dim");
            assertThat(accepted.status()).isEqualTo(200);
            assertThat(captures(run.id())).containsExactly("REST POST /collections/{name}/points/delete");
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------

    /** The id of the i-th seeded point. */
    private static String id(long i) {
        return Long.toString(1_000_000L + i * 7L);
    }

    private static String point(long num, SplittableRandom random, String label) {
        return point(Long.toString(num), random, label);
    }

    private static String point(String idJson, SplittableRandom random, String label) {
        return "{\"id\":" + idJson + ",\"vector\":" + vector(random) + ",\"payload\":{\"label\":\"" + label + "\"}}";
    }

    private static String vector(SplittableRandom random) {
        StringBuilder v = new StringBuilder("[");
        for (int d = 0; d < DIMS; d++) {
            v.append(d == 0 ? "" : ",").append((float) (random.nextDouble() * 2 - 1));
        }
        return v.append(']').toString();
    }

    private RetrievedPoint seeded(String collection, long i) {
        PointId id = PointId.newBuilder().setNum(1_000_000L + i * 7L).build();
        return gateway.scroll(collection, id, 1, false, true).points().get(0);
    }

    private String label(String collection, long i) {
        return seeded(collection, i).getPayloadMap().get("label").getStringValue();
    }

    private List<String> payloadKeys(String collection, long i) {
        return List.copyOf(seeded(collection, i).getPayloadMap().keySet());
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

    private void send(String json) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(PipelineWorkerResource.PREFIX + "commands", json)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
