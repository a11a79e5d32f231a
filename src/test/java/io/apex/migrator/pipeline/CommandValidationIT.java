package io.apex.migrator.pipeline;

import static io.apex.migrator.pipeline.LifecycleStack.data;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.state.SchemaJobs;
import io.apex.migrator.support.LocalStackResource;
import io.cloudevents.CloudEvent;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Every command is validated before anything happens, for its meaning as well as its shape (real Kafka, run store,
 * Neo4j and the Qdrant stand-in): commands the JSON Schema alone once let through are rejected naming the field and
 * the reason, with the store they were meant for; they write nothing (no processed-command row, no job, no alias), so
 * the corrected command sent again under the same id is served.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
@WithTestResource(PipelineWorkerResource.class)
class CommandValidationIT {

    private static final String COMMANDS = PipelineWorkerResource.PREFIX + "commands";
    private static final String EVENTS = PipelineWorkerResource.PREFIX + "events";
    private static final String REJECTED = "io.apex.migrator.migration-rejected";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    QdrantGateway gateway;
    @Inject
    RunStore runStore;
    @Inject
    SchemaJobs jobs;

    /** A command that must be rejected, the field its rejection names, a word of its reason and its store. */
    record Refused(String label, String commandId, String json, String field, String reason, String store) {
    }

    @Test
    void commandsRefusedForTheirMeaningNameTheFieldWriteNothingAndTheCorrectedOneIsServedUnderTheSameId()
            throws Exception {
        // given: a collection, and no alias of the name the rollback gives
        String base = "validation_" + UUID.randomUUID().toString().substring(0, 8);
        TestCollections.create(gateway, base + "_v1", 8, false);
        String noSuchAlias = base + "_no_such_alias";
        // a named-vector source and a target whose `image` vector is Cosine where the source's is Dot
        createNamed(base + "_named_src", Distance.Dot);
        TestCollections.seed(gateway, base + "_v1", 5, 8, false, false, 1);
        createNamed(base + "_named_dst", Distance.Cosine);
        // a custom-sharded source of keys "eu" and 7, and a target with "eu" alone
        TestCollections.createCustomSharded(gateway, base + "_keyed_src", 8, "eu", 7L);
        TestCollections.createCustomSharded(gateway, base + "_keyed_dst", 8, "eu");
        String resentId = "neo4j-up-" + UUID.randomUUID();
        List<Refused> refused = List.of(
                refused("postgres target with a path", "postgres.upgrade", ",\"target\":\"../../x\"", "$.target",
                        "pattern", "postgres"),
                refused("postgres target that is no migration", "postgres.upgrade", ",\"target\":\"999\"", "$.target",
                        "not among the postgres migrations", "postgres"),
                refused("postgres downgrade beyond the migrations", "postgres.downgrade", ",\"steps\":9999", "$.steps",
                        "cannot roll back", "postgres"),
                new Refused("neo4j target that is no migration", resentId, "{\"schemaVersion\":1,\"commandId\":\""
                        + resentId + "\",\"type\":\"neo4j.up\",\"target\":\"V999\"}", "$.target",
                        "not among the neo4j migrations", "neo4j"),
                refused("rollback of an alias that never existed", "qdrant.rollback-alias", ",\"alias\":\""
                        + noSuchAlias + "\",\"collection\":\"" + base + "_v1\"", "$.alias", "never creates", "qdrant"),
                refused("target whose vector differs from the source's", "qdrant.migrate", ",\"source\":\"" + base
                        + "_named_src\",\"target\":\"" + base + "_named_dst\"", "$.target",
                        "vector `image`: distance Dot in the source, Cosine in the target", "qdrant"),
                refused("target without a shard key of the source", "qdrant.migrate", ",\"source\":\"" + base
                        + "_keyed_src\",\"target\":\"" + base + "_keyed_dst\"", "$.target",
                        "shard key 7 of the source missing in the target", "qdrant"),
                refused("recall threshold above 1", "qdrant.migrate", ",\"source\":\"" + base + "_v1\",\"target\":\""
                        + base + "_v9\",\"recallThreshold\":1.5", "$.recallThreshold", "maximum", "qdrant"),
                refused("throttle beyond its bound", "run.throttle", ",\"runId\":\"" + UUID.randomUUID()
                        + "\",\"maxPointsPerSecond\":1000000000000", "$.maxPointsPerSecond", "1000000", "qdrant"),
                refused("run id that only looks like a UUID", "run.pause", ",\"runId\":\"1-1-1-1-1\"", "$.runId", "",
                        "qdrant"),
                refused("commandId with a lone surrogate", "run.pause", ",\"runId\":\"" + UUID.randomUUID() + "\"",
                        "$.commandId", "lone surrogate", "qdrant", "\\ud800"),
                refused("commandId with another lone surrogate", "run.pause", ",\"runId\":\"" + UUID.randomUUID() + "\"",
                        "$.commandId", "lone surrogate", "qdrant", "\\udbff"));
        String invalidUtf8Id = "utf8-" + UUID.randomUUID();

        try (TopicReader<CloudEvent> events = TopicReader.events(bootstrap, EVENTS);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                     new ByteArraySerializer())) {

            // when: each refused command, two commands whose ids differ only in bytes that are not UTF-8, then the
            // corrected neo4j.up under the id of the refused one
            for (Refused r : refused) {
                producer.send(new ProducerRecord<>(COMMANDS, utf8(r.json()))).get();
            }
            List<String> utf8Origins = new ArrayList<>();
            for (byte bad : new byte[] {(byte) 0xC3, (byte) 0xFF}) {
                RecordMetadata sent = producer.send(new ProducerRecord<>(COMMANDS, concat(
                        "{\"schemaVersion\":1,\"commandId\":\"" + invalidUtf8Id, bad,
                        "\",\"type\":\"run.pause\",\"runId\":\"" + UUID.randomUUID() + "\"}"))).get();
                utf8Origins.add("(record topic " + COMMANDS + ", partition " + sent.partition() + ", offset "
                        + sent.offset() + ")");
            }
            producer.send(new ProducerRecord<>(COMMANDS, utf8("{\"schemaVersion\":1,\"commandId\":\"" + resentId
                    + "\",\"type\":\"neo4j.up\"}"))).get();

            // then: the corrected command was served (commands are handled in order, so every rejection is out) ...
            JsonNode ready = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
                    .until(() -> eventOf(events.poll(), resentId, "io.apex.migrator.schema-ready"), Optional::isPresent)
                    .orElseThrow();
            assertThat(ready.get("store").asText()).isEqualTo("neo4j");
            List<ConsumerRecord<String, CloudEvent>> all = events.pollToEnd(Duration.ofSeconds(30));
            assertThat(all).isNotEmpty();
            List<JsonNode> rejections = all.stream().filter(r -> REJECTED.equals(r.value().getType()))
                    .map(r -> data(r.value())).toList();

            // ... each refused command has its rejection, naming the field, the reason and the store ...
            for (Refused r : refused.stream().filter(r -> r.commandId() != null).toList()) {
                JsonNode rejection = rejections.stream().filter(d -> r.commandId().equals(d.path("commandId")
                        .asText(null))).findFirst().orElse(null);
                assertThat(rejection).as(r.label()).isNotNull();
                assertThat(rejection.get("field").asText()).as(r.label()).isEqualTo(r.field());
                assertThat(rejection.get("reason").asText()).as(r.label()).contains(r.reason());
                assertThat(rejection.path("store").asText()).as(r.label()).isEqualTo(r.store());
                if (!r.commandId().equals(resentId)) {
                    assertThat(runStore.commandSeen(r.commandId())).as(r.label() + ": no processed row").isFalse();
                    assertThat(jobs.find(r.commandId())).as(r.label() + ": no schema job").isEmpty();
                }
            }
            // a lone surrogate cannot be written back into an event: those rejections name the record, not the id
            assertThat(rejections).as("lone surrogates: one rejection each")
                    .filteredOn(d -> d.path("reason").asText().contains("lone surrogate")).hasSize(2)
                    .allSatisfy(d -> {
                        assertThat(d.path("commandId").isMissingNode()).isTrue();
                        assertThat(d.get("field").asText()).isEqualTo("$.commandId");
                        assertThat(d.get("reason").asText()).contains("(record topic " + COMMANDS);
                    });

            // ... both non-UTF-8 records are refused on their own (no id decoded to U+FFFD, no collision) ...
            for (String origin : utf8Origins) {
                assertThat(rejections).filteredOn(d -> d.path("reason").asText().endsWith(origin)).singleElement()
                        .satisfies(d -> assertThat(d.get("reason").asText()).contains("not UTF-8"));
            }
            assertThat(runStore.commandSeen(invalidUtf8Id)).isFalse();
            assertThat(runStore.commandSeen(invalidUtf8Id + "\uFFFD")).isFalse();

            // ... the refused migration wrote nothing into its target ...
            assertThat(gateway.count(base + "_named_dst")).isZero();
            assertThat(gateway.collectionExists(base + "_v9")).isFalse();

            // ... and the rollback created no alias, announced no swap
            assertThat(gateway.aliases()).doesNotContainKey(noSuchAlias);
            assertThat(all).noneMatch(r -> "io.apex.migrator.alias-swapped".equals(r.value().getType())
                    && noSuchAlias.equals(data(r.value()).path("alias").asText(null)));
        }
    }

    private void createNamed(String name, Distance image) {
        gateway.createCollection(CreateCollection.newBuilder().setCollectionName(name)
                .setVectorsConfig(VectorsConfig.newBuilder().setParamsMap(VectorParamsMap.newBuilder()
                        .putMap("text", VectorParams.newBuilder().setSize(8).setDistance(Distance.Cosine).build())
                        .putMap("image", VectorParams.newBuilder().setSize(4).setDistance(image).build())))
                .build());
    }

    private static Refused refused(String label, String type, String fields, String field, String reason,
            String store) {
        String id = "refused-" + UUID.randomUUID();
        return new Refused(label, id, "{\"schemaVersion\":1,\"commandId\":\"" + id + "\",\"type\":\"" + type + "\""
                + fields + "}", field, reason, store);
    }

    /** A command whose id carries a JSON escape of a lone surrogate: it has no id a rejection can name. */
    private static Refused refused(String label, String type, String fields, String field, String reason,
            String store, String escape) {
        return new Refused(label, null, "{\"schemaVersion\":1,\"commandId\":\"dup-" + escape + "\",\"type\":\"" + type
                + "\"" + fields + "}", field, reason, store);
    }

    private static Optional<JsonNode> eventOf(List<ConsumerRecord<String, CloudEvent>> events, String commandId,
            String type) {
        return events.stream().filter(r -> type.equals(r.value().getType())).map(r -> data(r.value()))
                .filter(d -> commandId.equals(d.path("commandId").asText(null))).findFirst();
    }

    private static byte[] concat(String before, byte bad, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(before));
        out.write(bad);
        out.writeBytes(utf8(after));
        return out.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
