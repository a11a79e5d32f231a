package io.apex.migrator.pipeline;

import static io.apex.migrator.pipeline.LifecycleStack.data;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.apex.migrator.containers.RealStackContainers;
import io.apex.migrator.qdrant.QdrantGateway;
import io.cloudevents.CloudEvent;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.GraphDatabase;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * One end-to-end migration on the real stack in containers — Kafka, PostgreSQL 17 + pgvector
 * ({@code pgvector/pgvector}), Neo4j 5 and a real Qdrant 1.18 — with no stand-in anywhere: the PostgreSQL and Neo4j
 * schema migrations and a Qdrant collection migration, each requested over Kafka. Runs only where Docker exists;
 * elsewhere (our CI, these machines) JUnit reports the class disabled by its environment. README "Tests" says how
 * to run it.
 */
@Testcontainers(disabledWithoutDocker = true)
@QuarkusTest
@WithTestResource(RealStackContainers.class)
@WithTestResource(PipelineWorkerResource.class)
class RealStackMigrationIT {

    private static final String EVENTS = PipelineWorkerResource.PREFIX + "events";

    @Inject
    QdrantGateway gateway;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "apex.postgres.jdbc-url")
    String postgresUrl;
    @ConfigProperty(name = "apex.postgres.username")
    String postgresUser;
    // Optional: the test application validates every test class's config points, and other tests set no password
    @ConfigProperty(name = "apex.postgres.password")
    Optional<String> postgresPassword;
    @ConfigProperty(name = "apex.neo4j.uri")
    String neo4jUri;

    @Test
    void schemasAndACollectionMigrateOnTheRealStack() throws Exception {
        // given a v1 collection behind its alias on a real Qdrant, and an empty v2
        String base = "docs_" + UUID.randomUUID().toString().substring(0, 8);
        String v1 = base + "_v1";
        String v2 = base + "_v2";
        TestCollections.create(gateway, v1, 1536, false);
        TestCollections.seed(gateway, v1, 2_000, 1536, false, false, 1);
        TestCollections.create(gateway, v2, 1536, false);
        gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                .setAliasName(base).setCollectionName(v1)).build()));
        String postgres = "pg-" + UUID.randomUUID();
        String neo4j = "neo4j-" + UUID.randomUUID();
        String qdrant = "qdrant-" + UUID.randomUUID();

        try (TopicReader<CloudEvent> events = TopicReader.events(bootstrap, EVENTS);
             var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                     new StringSerializer(), new StringSerializer())) {
            // when the three changes are requested over Kafka
            for (String command : List.of(
                    "{\"schemaVersion\":1,\"commandId\":\"" + postgres + "\",\"type\":\"postgres.upgrade\"}",
                    "{\"schemaVersion\":1,\"commandId\":\"" + neo4j + "\",\"type\":\"neo4j.up\"}",
                    "{\"schemaVersion\":1,\"commandId\":\"" + qdrant + "\",\"type\":\"qdrant.migrate\",\"source\":\""
                            + v1 + "\",\"target\":\"" + v2 + "\",\"alias\":\"" + base + "\",\"batchSize\":250}")) {
                producer.send(new ProducerRecord<>(PipelineWorkerResource.PREFIX + "commands", command)).get();
            }

            // then each ends with schema-ready
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(300)).until(() -> {
                List<String> ready = events.poll().stream()
                        .filter(r -> r.value().getType().equals("io.apex.migrator.schema-ready"))
                        .map(r -> data(r.value()).path("commandId").asText("")).toList();
                return ready.containsAll(List.of(postgres, neo4j, qdrant));
            });
        }

        // and the stores are where the migrations put them
        assertThat(gateway.aliases()).containsEntry(base, v2);
        assertThat(TestCollections.assertSameContent(gateway, v1, v2)).isEqualTo(2_000);
        try (Connection c = DriverManager.getConnection(postgresUrl, postgresUser, postgresPassword.orElse(null));
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_indexes WHERE indexdef LIKE "
                     + "'%USING hnsw%' AND schemaname = 'public'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("V002's HNSW indexes").isEqualTo(3);
        }
        try (var driver = GraphDatabase.driver(neo4jUri, AuthTokens.none()); var session = driver.session()) {
            assertThat(session.run("MATCH (v:SchemaVersion) RETURN count(v) AS n").single().get("n").asLong())
                    .isPositive();
        }
    }

}
