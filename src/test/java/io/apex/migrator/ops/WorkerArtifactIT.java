package io.apex.migrator.ops;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.VectorsFactory.vectors;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.support.LocalStack;
import io.apex.migrator.support.LocalStackResource;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Points.PointStruct;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The packaged worker, as an operator runs it: the JVM jar in the normal build, the native binary with
 * {@code ./mvnw verify -Dnative} (where GraalVM/Mandrel exists). The launcher passes no arguments, so the worker
 * is chosen by {@code apex.mode=worker}. It must report each store in readiness, serve its metrics, and run one
 * migration end to end through real Kafka, the PostgreSQL run store and the Qdrant stand-in.
 */
@QuarkusIntegrationTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
@WithTestResource(WorkerArtifactIT.WorkerMode.class)
class WorkerArtifactIT {

    private static final int POINTS = 600;
    private static final int BATCH = 100;
    private static final int DIMENSIONS = 8;

    /**
     * Worker mode for the launched artifact. Returned settings reach it as {@code -D} options after the launcher's
     * own {@code -Dquarkus.profile=prod} (the integration-test profile), so the worker profile wins as it does when
     * Main starts a worker. Topics of this test's own, so no other suite's messages meet this worker; the capture
     * topic too: verification first waits until the capture stream has applied that topic up to its end, and on the
     * shared topic records other suites left there kept it waiting its whole 30 s stream patience in CI.
     */
    public static final class WorkerMode implements QuarkusTestResourceLifecycleManager {
        static final String PREFIX = "it-artifact.";

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>();
            config.put("apex.mode", "worker");
            config.put("quarkus.profile", "worker");
            for (String topic : List.of("commands", "batches", "progress", "events", "dead-letter", "capture")) {
                config.put("apex.topics." + topic, PREFIX + topic);
            }
            config.put("apex.topics.batches-partitions", "3");
            config.put("apex.pipeline.worker.concurrency", "2");
            return config;
        }

        @Override
        public void stop() {
            // configuration only
        }
    }

    @Test
    void liveAndReadyWithEachStoreAndServesMetrics() {
        // then: liveness needs no downstream; readiness names Kafka, both PostgreSQLs, Neo4j and Qdrant
        given().get("/q/health/live").then().statusCode(200);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200));
        List<String> checks = given().get("/q/health/ready").jsonPath().getList("checks.name");
        assertThat(checks).contains("Neo4j", "PostgreSQL memory store", "Qdrant")
                .anySatisfy(name -> assertThat(name).containsIgnoringCase("messaging"))
                .anySatisfy(name -> assertThat(name).containsIgnoringCase("database"));
        assertThat(given().get("/q/health/ready").jsonPath().getList("checks.status")).containsOnly("UP");
        String metrics = given().get("/q/metrics").asString();
        assertThat(metrics).contains("jvm_memory_used_bytes", "apex_points_copied_total");
    }

    @Test
    void migratesACollectionThroughKafkaAndSwapsItsAlias() throws Exception {
        // given: a source collection behind its alias, an empty target, in the stand-in
        String name = "artifact_" + UUID.randomUUID().toString().substring(0, 8);
        QdrantStandIn.Shared standIn = QdrantStandIn.shared();
        try (QdrantClient qdrant = new QdrantClient(
                QdrantGrpcClient.newBuilder(standIn.host(), standIn.port(), false).build())) {
            VectorParams params = VectorParams.newBuilder().setSize(DIMENSIONS).setDistance(Distance.Dot).build();
            qdrant.createCollectionAsync(name + "_v1", params).get(30, TimeUnit.SECONDS);
            qdrant.createCollectionAsync(name + "_v2", params).get(30, TimeUnit.SECONDS);
            qdrant.upsertAsync(name + "_v1", points()).get(30, TimeUnit.SECONDS);
            qdrant.createAliasAsync(name, name + "_v1").get(30, TimeUnit.SECONDS);
            String commandId = "artifact-" + UUID.randomUUID();

            // when: the migrate command arrives on the worker's commands topic
            send("{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"qdrant.migrate\",\"source\":\""
                    + name + "_v1\",\"target\":\"" + name + "_v2\",\"alias\":\"" + name + "\",\"batchSize\":" + BATCH
                    + "}");

            // then: the dashboard API (JSON of the run store's records) shows it completed, every point copied
            String runId = await().atMost(Duration.ofMinutes(2)).until(() -> completedRun(name + "_v1"),
                    id -> id != null);
            JsonPath detail = given().get("/api/migrations/" + runId).then().statusCode(200).extract().jsonPath();
            assertThat(detail.getLong("run.copiedPoints")).isEqualTo(POINTS);
            assertThat(detail.getInt("batches.ok")).isEqualTo(POINTS / BATCH);
            assertThat(detail.getString("aliasTarget")).isEqualTo(name + "_v2");
            assertThat(qdrant.countAsync(name + "_v2").get(30, TimeUnit.SECONDS)).isEqualTo(POINTS);
            assertThat(qdrant.listAliasesAsync().get(30, TimeUnit.SECONDS))
                    .anySatisfy(a -> assertThat(a.getAliasName() + "->" + a.getCollectionName())
                            .isEqualTo(name + "->" + name + "_v2"));
            // and the worker's meters counted the copy (the counter is this process's own)
            String metrics = given().get("/q/metrics").asString();
            // (a sample may be followed by an exemplar: " # {span_id=...} ...")
            assertThat(metrics).containsPattern("(?m)^apex_points_copied_total " + POINTS + "\\.0( #.*)?$")
                    .containsPattern("(?m)^apex_batches_total\\{kind=\"copy\",outcome=\"done\"} " + (POINTS / BATCH)
                            + "\\.0( #.*)?$");
        }
    }

    /** The run's id once the dashboard lists it as completed, else null. */
    private static String completedRun(String source) {
        List<Map<String, Object>> runs = given().get("/api/migrations").then().statusCode(200).extract()
                .jsonPath().getList("$");
        return runs.stream().filter(r -> source.equals(r.get("source")) && "completed".equals(r.get("state")))
                .map(r -> (String) r.get("id")).findFirst().orElse(null);
    }

    private static List<PointStruct> points() {
        List<PointStruct> points = new ArrayList<>();
        for (int i = 0; i < POINTS; i++) {
            float[] v = new float[DIMENSIONS];
            for (int d = 0; d < DIMENSIONS; d++) {
                v[d] = (float) Math.sin(i * 31 + d);
            }
            points.add(PointStruct.newBuilder().setId(id(10_000L + i)).setVectors(vectors(v)).build());
        }
        return points;
    }

    private static void send(String command) throws Exception {
        String bootstrap = LocalStack.kafkaBootstrap();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(WorkerMode.PREFIX + "commands", command)).get(30, TimeUnit.SECONDS);
        }
    }
}
