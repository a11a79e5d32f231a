package io.apex.migrator.containers;

/**
 * The container images of the real stack, for the Testcontainers tests (run only where Docker exists): the
 * versions the product targets — Qdrant 1.18 (io.qdrant:client 1.18.x), Kafka 4.1 (kafka-clients from the Quarkus
 * BOM), PostgreSQL 17 with pgvector, Neo4j 5.
 */
public final class RealStackImages {

    public static final String QDRANT = "qdrant/qdrant:v1.18.0";
    public static final String KAFKA = "apache/kafka:4.1.0";
    public static final String PGVECTOR = "pgvector/pgvector:pg17";
    public static final String NEO4J = "neo4j:5.26";

    private RealStackImages() {
    }
}
