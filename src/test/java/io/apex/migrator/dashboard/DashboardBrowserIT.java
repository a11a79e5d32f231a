package io.apex.migrator.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.api.Messages;
import io.apex.migrator.pipeline.PipelineWorkerResource;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.support.LocalStackResource;
import io.apex.migrator.support.ProjectDir;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.PointStruct;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard end to end in a real browser (Debian's headless Chromium driven by playwright-core, see
 * scripts/browser): a migration with manual cutover started by its Kafka command, its bar watched to 100 % and
 * its range map through copying, verification and one repaired range; the verification table, chart axes, workers
 * panel and timeline read; screenshots of each part under target/dashboard/; cutover refused without the operator
 * token and done with it, the alias seen to move on the page.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
@WithTestResource(PipelineWorkerResource.class)
@WithTestResource(DashboardBrowserIT.Token.class)
class DashboardBrowserIT {

    private static final Logger LOGGER = Logger.getLogger(DashboardBrowserIT.class);
    static final String TOKEN = "op-" + UUID.randomUUID();
    private static final int POINTS = 4_000;

    @Inject
    QdrantGateway gateway;
    @Inject
    RunStore runStore;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "apex.topics.commands")
    String commandsTopic;
    @TestHTTPResource("/migrations/")
    URL page;

    /** The operator token (worker mode comes from {@link PipelineWorkerResource}). */
    public static final class Token implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of("apex.dashboard.operator-token", TOKEN);
        }

        @Override
        public void stop() {
        }
    }

    @AfterEach
    void resetFaults() {
        QdrantStandIn.shared().faults().reset();
    }

    @Test
    void anOperatorWatchesARunToTheEndAndCutsItOverInTheBrowser() throws Exception {
        // given: a source behind its alias, the target, and upserts slow enough for the bar to be seen moving
        String name = "browser_" + UUID.randomUUID().toString().substring(0, 8);
        String v1 = name + "_v1";
        String v2 = name + "_v2";
        createCollection(v1);
        seed(v1);
        createCollection(v2);
        gateway.updateAliases(List.of(AliasOperations.newBuilder()
                .setCreateAlias(CreateAlias.newBuilder().setAliasName(name).setCollectionName(v1)).build()));
        QdrantStandIn.shared().faults().latency("Points/Upsert", Duration.ofMillis(250));
        // point 150 (range 1) is written corrupted once: verification finds the range different and repairs it
        QdrantStandIn.shared().faults().corruptPoint(v2, 150, 1);
        String commandId = "browser-" + UUID.randomUUID();
        Path shots = ProjectDir.resolve(Path.of("target", "dashboard"));
        Path log = shots.resolve("browser.log");
        Files.createDirectories(shots);
        Files.deleteIfExists(log);

        // when: the page is up, the migration is started by the CLI's command, and the script drives the page
        ProcessBuilder script = new ProcessBuilder("node", ProjectDir.resolve(Path.of("scripts", "browser",
                "dashboard-e2e.cjs")).toString())
                .directory(shots.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        script.environment().putAll(Map.of("BASE_URL", page.toString(), "SOURCE", v1, "TARGET", v2, "TOKEN", TOKEN,
                "SHOT_DIR", shots.toString()));
        Process browser = script.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> log(log).contains("READY") || !browser.isAlive());
            assertThat(browser.isAlive()).as("browser script started: %s", log(log)).isTrue();
            send("{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"qdrant.migrate\",\"source\":\""
                    + v1 + "\",\"target\":\"" + v2 + "\",\"alias\":\"" + name + "\",\"batchSize\":100,"
                    + "\"cutover\":\"manual\"}");
            assertThat(browser.waitFor(10, TimeUnit.MINUTES)).as("browser script finished: %s", log(log)).isTrue();
        } finally {
            browser.destroyForcibly();
        }

        // then: the script saw every expectation hold
        String output = log(log);
        assertThat(browser.exitValue()).as("browser script output:%n%s", output).isZero();
        JsonNode result = Messages.get().mapper().readTree(output.lines().filter(l -> l.startsWith("RESULT "))
                .findFirst().orElseThrow().substring("RESULT ".length()));
        LOGGER.infof("browser saw progress %s, chart of %s points; screenshots %s", result.get("progressSeen"),
                result.get("chartPoints"), result.get("screenshots"));
        List<String> seen = Messages.get().mapper().convertValue(result.get("progressSeen"),
                Messages.get().mapper().getTypeFactory().constructCollectionType(List.class, String.class));
        assertThat(seen).last().isEqualTo("100%");
        assertThat(seen).as("the bar moved through intermediate values").anyMatch(p -> !p.equals("0%") && !p.equals("100%"));
        assertThat(result.get("chartPoints").asInt()).isGreaterThan(1);
        assertThat(result.get("aliasBefore").asText()).isEqualTo(v1);
        // the verification as a table: one range repaired in pass 1, a clean catch-up pass, equal counts
        assertThat(result.get("verification").asText())
                .contains("ranges checked / differing / repaired\t80 / 1 / 1")
                .contains("exact counts (source → target)\t4,000 → 4,000: equal")
                .contains("recall\tnot checked (target not quantized)");
        assertThat(result.get("verificationPasses").asInt()).isEqualTo(2);
        // the range map: copied, in flight and waiting ranges side by side while copying, with what a hover shows
        assertThat(result.get("whileCopying").toString()).contains("copied", "copying", "pending");
        assertThat(result.get("tooltip").asText()).containsPattern("range \\d+ \\[\\d+, \\d+\\) — copying")
                .containsPattern("copy: pending · worker \\S+ · 1 attempt · [\\d.]+ (ms|s) so far");
        assertThat(result.get("pinnedRange").asText()).containsPattern("copy: done · worker \\S+ · 1 attempt · .* · 100 points");
        // verified: every range verified but the one repaired
        assertThat(result.get("whenVerified").toString()).isEqualTo("{\"verified\":39,\"repaired\":1}");
        assertThat(result.get("repairedRange").asText()).contains("range 1 [101, 201) — repaired",
                "repaired: 1 point re-synced");
        assertThat(result.get("statesSeen").toString()).contains("pending", "copying", "copied", "verified", "repaired");
        // the chart has its axes with units, the workers panel this replica's share, the timeline the events
        assertThat(result.get("chartAxes").toString()).contains("points/s", "seconds since the first range was copied (s)");
        assertThat(result.get("replicas").asText()).isEqualTo("1 replica seen");
        assertThat(result.get("workers").asText()).contains("\t40\t40\t0\t4,000\t");
        assertThat(result.get("workerBars").asInt()).isEqualTo(1);
        assertThat(result.get("timeline").toString()).contains("migration-planned", "migration-copied",
                "migration-verified");
        assertThat(result.get("timelineAfter").toString()).contains("alias-swapped", "migration-completed");
        assertThat(result.get("refusedWithoutToken").asText()).contains("missing operator token");
        assertThat(result.get("aliasAfter").asText()).isEqualTo(v2);
        assertThat(result.get("tokenInMarkup").asBoolean()).isFalse();
        assertThat(result.get("dialogs").toString()).contains("Send \\\"cutover\\\"");
        for (JsonNode shot : result.get("screenshots")) {
            byte[] png = Files.readAllBytes(Path.of(shot.asText()));
            assertThat(png).hasSizeGreaterThan(10_000);
            assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
        }
        Run run = runStore.findByCommand(commandId).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.COMPLETED);
        assertThat(run.copiedPoints()).isEqualTo(POINTS);
        assertThat(gateway.aliases()).containsEntry(name, v2);
        // the API refuses the same action without the token (the UI's refusal above came from it)
        given().post("/api/migrations/" + run.id() + "/actions/rollback-alias").then().statusCode(403)
                .body("error", containsString("missing operator token"));
        assertThat(gateway.aliases()).containsEntry(name, v2);
    }

    private void createCollection(String collection) {
        gateway.createCollection(CreateCollection.newBuilder().setCollectionName(collection)
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(16)
                        .setDistance(Distance.Dot))).build());
    }

    private void seed(String collection) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        List<PointStruct> page = new java.util.ArrayList<>();
        for (int i = 1; i <= POINTS; i++) {
            float[] v = new float[16];
            for (int d = 0; d < v.length; d++) {
                v[d] = (float) random.nextDouble();
            }
            page.add(PointStruct.newBuilder().setId(PointId.newBuilder().setNum(i)).setVectors(vectors(v))
                    .putPayload("doc_id", value(i)).build());
            if (page.size() == 500) {
                gateway.upsert(collection, page);
                page = new java.util.ArrayList<>();
            }
        }
    }

    private void send(String json) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(commandsTopic, json)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not send the command: " + e.getMessage(), e);
        }
    }

    private static String log(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
