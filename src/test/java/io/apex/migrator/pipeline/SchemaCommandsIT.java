package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.api.Messages;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.support.LocalStack;
import io.apex.migrator.support.LocalStackResource;
import io.cloudevents.CloudEvent;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.GraphDatabase;

/** Schema changes requested over Kafka end with schema-ready (or migration-rejected before anything runs), once per command. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
@WithTestResource(PipelineWorkerResource.class)
class SchemaCommandsIT {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void neo4jUpOverKafkaAppliesTheMigrationsAndEndsWithSchemaReady() throws Exception {
        // given
        String commandId = "schema-" + UUID.randomUUID();
        try (var events = TopicReader.events(bootstrap, PipelineWorkerResource.PREFIX + "events")) {

            // when
            send("{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"neo4j.up\"}");

            // then
            JsonNode ready = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
                    .until(() -> find(events.poll(), commandId, "io.apex.migrator.schema-ready"), n -> n != null);
            assertThat(ready.path("store").asText()).isEqualTo("neo4j");
            assertThat(ready.path("details").path("store").asText()).isEqualTo("neo4j");
            assertThat(ready.path("details").path("version").asText()).isNotEqualTo("none");
        }
        try (var driver = GraphDatabase.driver(LocalStack.neo4jUri(), AuthTokens.none());
             var session = driver.session()) {
            assertThat(session.run("MATCH (v:SchemaVersion) RETURN count(v) AS n").single().get("n").asLong())
                    .isPositive();
        }
    }

    @Test
    void aSchemaCommandForAVersionThatDoesNotExistIsRejectedNamingTheTargetAndRunsNothing() throws Exception {
        // given: a target version that does not exist
        String commandId = "schema-" + UUID.randomUUID();
        try (var events = TopicReader.events(bootstrap, PipelineWorkerResource.PREFIX + "events")) {

            // when
            send("{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"neo4j.up\",\"target\":\"V999\"}");

            // then
            JsonNode rejected = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
                    .until(() -> find(events.poll(), commandId, "io.apex.migrator.migration-rejected"), n -> n != null);
            assertThat(rejected.path("field").asText()).isEqualTo("$.target");
            assertThat(rejected.path("reason").asText()).contains("V999");
            assertThat(rejected.path("store").asText()).isEqualTo("neo4j");
        }
    }

    private void send(String json) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(PipelineWorkerResource.PREFIX + "commands", json)).get();
        }
    }

    private static JsonNode find(List<org.apache.kafka.clients.consumer.ConsumerRecord<String, CloudEvent>> records,
            String commandId, String type) throws Exception {
        for (var r : records) {
            if (r.value().getType().equals(type)) {
                JsonNode data = Messages.get().mapper().readTree(r.value().getData().toBytes());
                if (commandId.equals(data.path("commandId").asText(null))) {
                    return data;
                }
            }
        }
        return null;
    }
}
