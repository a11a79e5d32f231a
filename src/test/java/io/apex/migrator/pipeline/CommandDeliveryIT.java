package io.apex.migrator.pipeline;

import static io.apex.migrator.pipeline.LifecycleStack.data;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.support.LocalStackResource;
import io.cloudevents.CloudEvent;
import io.grpc.Status;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * No command is dropped and no record stops the commands consumer (real Kafka, run store and Qdrant stand-in):
 * records that are no command at all — no value, no text, no JSON, too deep, too big, no object, no id — each end
 * in a {@code migration-rejected} event naming the reason and the record, and the consumer goes on; a command
 * retried after a transient Qdrant error is handled, not found "already processed".
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
@WithTestResource(PipelineWorkerResource.class)
class CommandDeliveryIT {

    private static final String COMMANDS = PipelineWorkerResource.PREFIX + "commands";
    private static final String EVENTS = PipelineWorkerResource.PREFIX + "events";
    private static final String REJECTED = "io.apex.migrator.migration-rejected";
    private static final int TOPIC_MAX_BYTES = 8 << 20;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    QdrantGateway gateway;
    @Inject
    RunStore runStore;

    @AfterEach
    void resetFaults() {
        QdrantStandIn.shared().faults().reset();
    }

    /** A record that is no command, and what its rejection must say. */
    record Unreadable(String label, byte[] value, String field, String reason) {
    }

    static List<Unreadable> unreadable() {
        return List.of(
                new Unreadable("null value", null, "$", "no value"),
                new Unreadable("empty value", new byte[0], "$", "empty"),
                new Unreadable("invalid UTF-8", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, "$",
                        "not UTF-8"),
                new Unreadable("not JSON", utf8("run.pause please"), "$", "not valid JSON"),
                new Unreadable("nested 5,000 levels deep", utf8("{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000)),
                        "$", "nesting depth"),
                new Unreadable("5 MB", utf8("{\"schemaVersion\":1,\"commandId\":\"" + "x".repeat(5 << 20) + "\"}"),
                        "$", "bytes, more than the"),
                new Unreadable("JSON array", utf8("[{\"schemaVersion\":1,\"type\":\"run.pause\"}]"), "$",
                        "not a JSON object"),
                new Unreadable("object without commandId", utf8("{\"schemaVersion\":1,\"type\":\"run.pause\",\"runId\":\""
                        + UUID.randomUUID() + "\"}"), "$.commandId", "commandId"));
    }

    @Test
    void everyUnreadableRecordIsRejectedNamingItsReasonAndTheNextCommandIsHandled() throws Exception {
        // given: a topic that takes the 5 MB record, and a reader of the events from the beginning
        allowLargeRecords();
        List<Unreadable> bad = unreadable();
        String next = "after-unreadable-" + UUID.randomUUID();
        String unknownRun = UUID.randomUUID().toString();
        try (TopicReader<CloudEvent> events = TopicReader.events(bootstrap, EVENTS);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TOPIC_MAX_BYTES),
                     new StringSerializer(), new ByteArraySerializer())) {

            // when: each bad record, then a valid command (pausing a run nobody knows: rejected naming the run)
            List<String> origins = new ArrayList<>();
            for (Unreadable u : bad) {
                RecordMetadata sent = producer.send(new ProducerRecord<>(COMMANDS, u.value())).get();
                origins.add("topic " + COMMANDS + ", partition " + sent.partition() + ", offset " + sent.offset());
            }
            producer.send(new ProducerRecord<>(COMMANDS, utf8("{\"schemaVersion\":1,\"commandId\":\"" + next
                    + "\",\"type\":\"run.pause\",\"runId\":\"" + unknownRun + "\"}"))).get();

            // then: the valid command was handled after them (commands are handled in order) ...
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
                    .until(() -> rejectionOf(events.poll(), next).isPresent());
            List<ConsumerRecord<String, CloudEvent>> all = events.pollToEnd(Duration.ofSeconds(30));
            assertThat(all).isNotEmpty();
            JsonNode handled = rejectionOf(all, next).orElseThrow();
            assertThat(handled.get("field").asText()).isEqualTo("$.runId");
            assertThat(handled.get("reason").asText()).contains(unknownRun);

            // ... each bad record has its rejection, naming the reason and the record it was ...
            List<JsonNode> rejections = all.stream().filter(r -> REJECTED.equals(r.value().getType()))
                    .map(r -> data(r.value())).toList();
            for (int i = 0; i < bad.size(); i++) {
                String origin = origins.get(i);
                Unreadable u = bad.get(i);
                assertThat(rejections).as(u.label())
                        .filteredOn(d -> d.path("reason").asText().endsWith("(record " + origin + ")"))
                        .singleElement()
                        .satisfies(d -> {
                            assertThat(d.path("commandId").isMissingNode()).as(u.label() + ": no command id").isTrue();
                            assertThat(d.get("field").asText()).as(u.label()).isEqualTo(u.field());
                            assertThat(d.get("reason").asText()).as(u.label()).contains(u.reason());
                        });
            }
        }

        // ... and the channel is healthy
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void aRollbackRetriedAfterATransientQdrantErrorMovesTheAliasInsteadOfBeingDropped() throws Exception {
        // given: an alias on v2, and Qdrant refusing alias changes for longer than the gateway's own retries
        String base = "rollback_" + UUID.randomUUID().toString().substring(0, 8);
        TestCollections.create(gateway, base + "_v1", 8, false);
        TestCollections.create(gateway, base + "_v2", 8, false);
        gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                .setAliasName(base).setCollectionName(base + "_v2")).build()));
        QdrantStandIn.shared().faults().failNext("Collections/UpdateAliases", 3, Status.Code.UNAVAILABLE);
        String commandId = "rollback-" + UUID.randomUUID();

        try (TopicReader<CloudEvent> events = TopicReader.events(bootstrap, EVENTS);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                     new ByteArraySerializer())) {

            // when
            producer.send(new ProducerRecord<>(COMMANDS, commandId, utf8("{\"schemaVersion\":1,\"commandId\":\""
                    + commandId + "\",\"type\":\"qdrant.rollback-alias\",\"alias\":\"" + base
                    + "\",\"collection\":\"" + base + "_v1\"}"))).get();

            // then: the alias moved once Qdrant answered, the swap was announced, and only then was it recorded
            JsonNode swapped = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
                    .until(() -> eventOf(events.poll(), commandId, "io.apex.migrator.alias-swapped"),
                            Optional::isPresent).orElseThrow();
            assertThat(swapped.get("target").asText()).isEqualTo(base + "_v1");
            assertThat(gateway.aliases()).containsEntry(base, base + "_v1");
            assertThat(runStore.commandSeen(commandId)).isTrue();
            assertThat(events.pollToEnd(Duration.ofSeconds(30))).isNotEmpty()
                    .noneMatch(r -> REJECTED.equals(r.value().getType())
                            && commandId.equals(data(r.value()).path("commandId").asText(null)));
        }
    }

    private void allowLargeRecords() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, COMMANDS),
                    List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", String.valueOf(TOPIC_MAX_BYTES)),
                            AlterConfigOp.OpType.SET)))).all().get();
        }
    }

    private static Optional<JsonNode> rejectionOf(List<ConsumerRecord<String, CloudEvent>> events, String commandId) {
        return eventOf(events, commandId, REJECTED);
    }

    private static Optional<JsonNode> eventOf(List<ConsumerRecord<String, CloudEvent>> events, String commandId,
            String type) {
        return events.stream().filter(r -> type.equals(r.value().getType())).map(r -> data(r.value()))
                .filter(d -> commandId.equals(d.path("commandId").asText(null))).findFirst();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
