package io.apex.migrator.containers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.stream.Stream;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.neo4j.Neo4jContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.qdrant.QdrantContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The real stack in containers for a {@code @QuarkusTest} (only where Docker exists): Kafka, PostgreSQL 17 with
 * pgvector (the memory database and the run store), Neo4j 5 and Qdrant 1.18, started in parallel; their
 * connection settings as application config.
 */
public final class RealStackContainers implements QuarkusTestResourceLifecycleManager {

    private final KafkaContainer kafka = new KafkaContainer(RealStackImages.KAFKA);
    private final PostgreSQLContainer postgres = new PostgreSQLContainer(DockerImageName.parse(RealStackImages.PGVECTOR)
            .asCompatibleSubstituteFor("postgres"));
    private final Neo4jContainer neo4j = new Neo4jContainer(RealStackImages.NEO4J).withoutAuthentication();
    private final QdrantContainer qdrant = new QdrantContainer(RealStackImages.QDRANT);

    @Override
    public Map<String, String> start() {
        Startables.deepStart(Stream.of(kafka, postgres, neo4j, qdrant)).join();
        return Map.of(
                "kafka.bootstrap.servers", kafka.getBootstrapServers(),
                "quarkus.datasource.jdbc.url", postgres.getJdbcUrl(),
                "quarkus.datasource.username", postgres.getUsername(),
                "quarkus.datasource.password", postgres.getPassword(),
                "apex.postgres.jdbc-url", postgres.getJdbcUrl(),
                "apex.postgres.username", postgres.getUsername(),
                "apex.postgres.password", postgres.getPassword(),
                "apex.neo4j.uri", neo4j.getBoltUrl(),
                "apex.qdrant.host", qdrant.getHost(),
                "apex.qdrant.port", Integer.toString(qdrant.getGrpcPort()));
    }

    @Override
    public void stop() {
        Stream.of(qdrant, neo4j, postgres, kafka).forEach(c -> c.stop());
    }
}
