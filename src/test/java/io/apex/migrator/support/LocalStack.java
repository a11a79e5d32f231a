package io.apex.migrator.support;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The shared real services: each is started at most once per JVM, on first use, and stopped when the JVM
 * exits. Plain tests and {@code @QuarkusTest}s load this class in different class loaders, so the JVM-wide
 * registry is kept in system properties (strings only) and guarded by interned-string locks.
 * Tests that need to crash or restart a service start their own instance instead.
 */
public final class LocalStack {

    private static final String PREFIX = "apex.localstack.";

    private LocalStack() {
    }

    public static String kafkaBootstrap() {
        return service("kafka", () -> {
            Path dir = ScratchDirs.createForJvm("apex-kafka-");
            return own(KafkaBroker.start(dir), dir).bootstrapServers();
        });
    }

    public static String neo4jUri() {
        return service("neo4j", () -> own(Neo4jServer.start(), null).boltUri());
    }

    /**
     * The memory database ({@value #VECTOR_DATABASE}) on the same PostgreSQL 15 server, with pgvector installed in
     * {@code public} as a DBA would: every pgvector user of the JVM finds it there, whichever schema it migrates
     * (V001's {@code CREATE EXTENSION IF NOT EXISTS vector} is then a no-op, as on a prepared production database).
     */
    public static String pgvectorJdbcUrl() {
        return service("pgvector", () -> Postgres15Server.createDatabaseWithPgvector(postgresJdbcUrl(), VECTOR_DATABASE));
    }

    /** Debian's PostgreSQL 15: the run store, locks and concurrency. */
    public static String postgresJdbcUrl() {
        return service("postgres", () -> {
            Path dir = ScratchDirs.createForJvm("apex-pg15-");
            return own(Postgres15Server.start(dir), dir).jdbcUrl();
        });
    }

    static final String VECTOR_DATABASE = "apex_vectors";

    /** Starts every service in parallel and waits for all; the first failure is rethrown with its log tail. */
    public static void startAll() {
        try {
            CompletableFuture.allOf(
                    CompletableFuture.runAsync(LocalStack::kafkaBootstrap),
                    CompletableFuture.runAsync(LocalStack::neo4jUri),
                    CompletableFuture.runAsync(LocalStack::pgvectorJdbcUrl)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /** Connection settings of all services, as application config keys. */
    public static Map<String, String> config() {
        startAll();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", kafkaBootstrap());
        config.put("quarkus.datasource.jdbc.url", postgresJdbcUrl());
        config.put("quarkus.datasource.username", "postgres");
        config.put("apex.neo4j.uri", neo4jUri());
        config.put("apex.postgres.jdbc-url", pgvectorJdbcUrl());
        config.put("apex.postgres.username", "postgres");
        return config;
    }

    private static String service(String name, Supplier<String> starter) {
        String key = PREFIX + name;
        synchronized (key.intern()) {
            String endpoint = System.getProperty(key);
            if (endpoint == null) {
                endpoint = starter.get();
                System.setProperty(key, endpoint);
            }
            return endpoint;
        }
    }

    /** Stops {@code service} when the JVM exits, then deletes its directory {@code dir} (if any) as a scratch dir. */
    private static <T extends AutoCloseable> T own(T service, Path dir) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                service.close();
            } catch (Exception ignored) {
                // the JVM is exiting; nothing else to do
            }
            if (dir != null) {
                ScratchDirs.deleteForJvm(dir);
            }
        }));
        return service;
    }
}
