package io.apex.migrator.pipeline;

import static io.apex.migrator.pipeline.LifecycleStack.data;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.api.CommandSignature;
import io.apex.migrator.cli.CommandLines;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.support.LocalStackResource;
import io.cloudevents.CloudEvent;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

/**
 * Trusted commands (README "Security"), on real Kafka, the real run store and the Qdrant stand-in: a worker with a
 * signing key and a previous key (a rotation under way) rejects unsigned and badly signed commands without writing
 * anything, accepts commands signed with either key, and the commands the CLI and the dashboard send are signed;
 * the dashboard's reads sit behind the operator token; neither key reaches the log, the topics or an answer.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
@WithTestResource(CommandSigningIT.SignedWorker.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CommandSigningIT {

    static final String PREFIX = "it-signing.";
    static final String COMMANDS = PREFIX + "commands";
    static final String EVENTS = PREFIX + "events";
    static final String KEY = "new-" + UUID.randomUUID().toString().replace("-", "");
    static final String PREVIOUS_KEY = "old-" + UUID.randomUUID().toString().replace("-", "");
    static final String TOKEN = "op-" + UUID.randomUUID();
    static final Path LOG = Path.of("target", "command-signing-it.log");
    private static final String REJECTED = "io.apex.migrator.migration-rejected";

    /** Worker mode on topics of its own, with both keys, an operator token, protected reads and a log file. */
    public static final class SignedWorker implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                Files.deleteIfExists(LOG);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> config = new HashMap<>(new PipelineWorkerResource().start());
            for (String topic : List.of("commands", "batches", "progress", "events", "dead-letter", "capture")) {
                config.put("apex.topics." + topic, PREFIX + topic);
            }
            config.put("apex.commands.signing-key", KEY);
            config.put("apex.commands.previous-signing-key", PREVIOUS_KEY);
            config.put("apex.dashboard.operator-token", TOKEN);
            config.put("apex.dashboard.protect-reads", "true");
            config.put("quarkus.log.file.enabled", "true");
            config.put("quarkus.log.file.path", LOG.toString());
            config.put("quarkus.log.category.\"io.apex\".level", "DEBUG");
            return config;
        }

        @Override
        public void stop() {
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    QdrantGateway gateway;
    @Inject
    RunStore runStore;
    @Inject
    CommandLine.IFactory cli;

    @Test
    @Order(1)
    void unsignedAndBadlySignedCommandsAreRejectedWritingNothingAndEitherKeyIsAccepted() throws Exception {
        // given: an alias on v2 that a rollback would point back at v1
        String base = "signed_" + UUID.randomUUID().toString().substring(0, 8);
        TestCollections.create(gateway, base + "_v1", 8, false);
        TestCollections.create(gateway, base + "_v2", 8, false);
        gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                .setAliasName(base).setCollectionName(base + "_v2")).build()));
        String unsigned = "unsigned-" + UUID.randomUUID();
        String wrongKey = "wrong-key-" + UUID.randomUUID();
        String tampered = "tampered-" + UUID.randomUUID();
        String current = "current-key-" + UUID.randomUUID();

        try (TopicReader<CloudEvent> events = TopicReader.events(bootstrap, EVENTS);
             KafkaProducer<String, byte[]> producer = producer()) {
            // when: the rollback unsigned, signed with a key the worker does not know, and altered after signing
            send(producer, rollback(unsigned, base, "_v1"), null);
            send(producer, rollback(wrongKey, base, "_v1"),
                    CommandSignature.sign(utf8("x".repeat(40)), rollback(wrongKey, base, "_v1")));
            send(producer, rollback(tampered, base, "_v1"),
                    CommandSignature.sign(utf8(KEY), rollback(tampered, base, "_v2")));

            // then: each is rejected with its reason, and nothing was written or moved
            assertThat(awaitEvent(events, unsigned, REJECTED).get("reason").asText()).isEqualTo("unsigned");
            assertThat(awaitEvent(events, wrongKey, REJECTED).get("reason").asText()).isEqualTo("bad signature");
            JsonNode rejectedTampered = awaitEvent(events, tampered, REJECTED);
            assertThat(rejectedTampered.get("reason").asText()).isEqualTo("bad signature");
            assertThat(rejectedTampered.get("field").asText()).isEqualTo("$");
            assertThat(gateway.aliases()).containsEntry(base, base + "_v2");
            for (String id : List.of(unsigned, wrongKey, tampered)) {
                assertThat(runStore.commandSeen(id)).as("processed-command row of %s", id).isFalse();
            }

            // when: the unsigned command is sent again with its id, signed with the key being rotated out ...
            send(producer, rollback(unsigned, base, "_v1"),
                    CommandSignature.sign(utf8(PREVIOUS_KEY), rollback(unsigned, base, "_v1")));

            // then: it is served
            assertThat(awaitEvent(events, unsigned, "io.apex.migrator.alias-swapped").get("target").asText())
                    .isEqualTo(base + "_v1");
            assertThat(gateway.aliases()).containsEntry(base, base + "_v1");
            assertThat(runStore.commandSeen(unsigned)).isTrue();

            // when: ... and one signed with the current key
            send(producer, rollback(current, base, "_v2"),
                    CommandSignature.sign(utf8(KEY), rollback(current, base, "_v2")));

            // then
            assertThat(awaitEvent(events, current, "io.apex.migrator.alias-swapped").get("target").asText())
                    .isEqualTo(base + "_v2");
            assertThat(gateway.aliases()).containsEntry(base, base + "_v2");
        }
    }

    @Test
    @Order(2)
    void commandsTheCliAndTheDashboardSendAreSignedAndServed() {
        // given
        String alias = "cli_" + UUID.randomUUID().toString().substring(0, 8);
        SeededPair pair = new SeededPair(alias + "_v1", alias + "_v2", alias);
        TestCollections.create(gateway, pair.source(), 8, false);
        TestCollections.create(gateway, pair.target(), 8, false);
        TestCollections.seed(gateway, pair.source(), 300, 8, false, false, 7);
        gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                .setAliasName(pair.alias()).setCollectionName(pair.source())).build()));

        // when: the CLI submits a migration that waits for a manual cutover
        StringWriter out = new StringWriter();
        int exit = CommandLines.create(cli).setOut(new PrintWriter(out)).execute("qdrant", "migrate",
                "--collection", pair.alias(), "--target", pair.target(), "--batch-size", "100", "--cutover", "manual");

        // then: the worker accepted it and copied
        assertThat(exit).as(out.toString()).isZero();
        Matcher submitted = Pattern.compile("submitted command (\\S+)").matcher(out.toString());
        assertThat(submitted.find()).as(out.toString()).isTrue();
        String commandId = submitted.group(1);
        Run run = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
                .until(() -> runStore.findByCommand(commandId)
                        .filter(r -> r.state() == RunState.READY_FOR_CUTOVER), Optional::isPresent).orElseThrow();
        assertThat(out.toString()).as("migrate prints the run id").contains(": run " + run.id());

        // when: the operator throttles it from the CLI (run throttle sends run.throttle, signed)
        StringWriter throttled = new StringWriter();
        int throttleExit = CommandLines.create(cli).setOut(new PrintWriter(throttled)).execute("run", "throttle",
                run.id().toString(), "5000");

        // then: the worker applied it
        assertThat(throttleExit).as(throttled.toString()).isZero();
        assertThat(throttled.toString()).contains("run.throttle sent");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
                .until(() -> runStore.findRun(run.id()).orElseThrow().maxPointsPerSecond() == 5000);

        // when: the operator presses cutover on the dashboard
        given().header("X-Operator-Token", TOKEN).post("/api/migrations/" + run.id() + "/actions/cutover")
                .then().statusCode(202).body("type", equalTo("qdrant.cutover"));

        // then: the worker accepted that command too
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
                .until(() -> runStore.findRun(run.id()).orElseThrow().state() == RunState.COMPLETED);
        assertThat(gateway.aliases()).containsEntry(pair.alias(), pair.target());
    }

    @Test
    @Order(3)
    void withProtectedReadsTheDashboardApiAnswersOnlyWithTheOperatorToken() {
        // when / then: with the token, the runs and a run's detail are served ...
        String runId = given().header("X-Operator-Token", TOKEN).get("/api/migrations").then().statusCode(200)
                .body("state", hasItem("completed")).extract().path("[0].id");
        given().header("X-Operator-Token", TOKEN).get("/api/migrations/" + runId).then().statusCode(200)
                .body("run.id", equalTo(runId));

        // ... without it, or with a wrong one, neither is, and the token is never echoed
        String missing = given().get("/api/migrations").then().statusCode(403)
                .body("error", containsString("missing operator token")).extract().asString();
        String missingDetail = given().get("/api/migrations/" + runId).then().statusCode(403)
                .body("error", containsString("missing operator token")).extract().asString();
        String wrong = given().header("X-Operator-Token", "guess").get("/api/migrations/" + runId).then()
                .statusCode(403).body("error", equalTo("wrong operator token")).extract().asString();
        assertThat(missing + missingDetail + wrong).doesNotContain(TOKEN, KEY, PREVIOUS_KEY, "\"source\"");
    }

    @Test
    @Order(4)
    void neitherKeyReachesTheLogTheTopicsOrTheHelp() throws Exception {
        // given: everything this worker logged since it started (at DEBUG), and all it published
        String log = Files.readString(LOG);
        StringWriter help = new StringWriter();
        CommandLines.create(cli).setOut(new PrintWriter(help)).execute("qdrant", "migrate", "--help");
        StringBuilder topics = new StringBuilder();
        for (String topic : List.of(COMMANDS, EVENTS, PREFIX + "dead-letter")) {
            try (TopicReader<byte[]> reader = TopicReader.bytes(bootstrap, topic)) {
                for (ConsumerRecord<String, byte[]> r : reader.pollToEnd(Duration.ofSeconds(30))) {
                    topics.append(r.key()).append(' ').append(text(r.value())).append('\n');
                    for (Header h : r.headers()) {
                        topics.append(h.key()).append('=').append(text(h.value())).append('\n');
                    }
                }
            }
        }

        // then: the log and the topics hold what the tests above did ...
        assertThat(log).contains("must be signed", "rejected: $: unsigned", "rejected: $: bad signature");
        assertThat(topics).contains("\"reason\":\"unsigned\"", CommandSignature.HEADER + "=sha256=");
        assertThat(help.toString()).contains("--collection");
        // ... and neither key
        for (String key : List.of(KEY, PREVIOUS_KEY)) {
            assertThat(log).doesNotContain(key);
            assertThat(topics.toString()).doesNotContain(key);
            assertThat(help.toString()).doesNotContain(key);
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, byte[] value, String signature) throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(COMMANDS, value);
        if (signature != null) {
            record.headers().add(CommandSignature.HEADER, signature.getBytes(StandardCharsets.US_ASCII));
        }
        producer.send(record).get();
    }

    private static byte[] rollback(String commandId, String base, String version) {
        return utf8("{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"qdrant.rollback-alias\","
                + "\"alias\":\"" + base + "\",\"collection\":\"" + base + version + "\"}");
    }

    private static JsonNode awaitEvent(TopicReader<CloudEvent> events, String commandId, String type) {
        return await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
                .until(() -> events.poll().stream().filter(r -> type.equals(r.value().getType()))
                        .map(r -> data(r.value())).filter(d -> commandId.equals(d.path("commandId").asText(null)))
                        .findFirst(), Optional::isPresent).orElseThrow();
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
