package io.apex.migrator.pipeline;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.api.Messages;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantSettings;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.support.FreePort;
import io.apex.migrator.support.KafkaBroker;
import io.apex.migrator.support.Postgres15Server;
import io.apex.migrator.support.ScratchDirs;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The services of a run-lifecycle reliability test, its own so that they can be killed and restarted: a Kafka
 * broker and a PostgreSQL 15 run store in their own processes, the Qdrant stand-in in this JVM, and worker replicas
 * of the packaged application with short leases ({@link WorkerFleet}). Reads what the tests assert on: the run
 * store (plain SQL, as an operator would) and the events topic (as a downstream consumer would).
 */
final class LifecycleStack implements AutoCloseable {

    static final boolean HEAVY = Boolean.getBoolean("apex.reliability.heavy");
    static final int DIMS = HEAVY ? 1536 : 64;
    static final String CE_PREFIX = "io.apex.migrator.";

    /**
     * Settings of a stack whose runs are written through capture proxies: a cutover hold given up after 3 s, a proxy
     * replica taken for gone after 3 s, the proxies' list of runs read every 200 ms, a held write waiting at most 10 s.
     */
    static final Map<String, String> LIVE = Map.of("apex.pipeline.live.hold-budget", "3s",
            "apex.pipeline.live.replica-expiry", "3s", "apex.proxy.run-cache-ttl", "200ms",
            "apex.proxy.hold-max-wait", "10s");

    /**
     * Test timings of the replicas of process-level tests: short first backoffs, and a dead member leaves its groups
     * after 3 s (45 s by default; the test broker allows down to 1 s), so a replica taking over gets the partitions
     * 3 s after a kill; offsets are committed every second.
     */
    static final Map<String, String> FAST_RETRIES_AND_TAKEOVERS = Map.of("apex.pipeline.page-backoff", "100ms",
            "apex.qdrant.retry.initial-backoff", "50ms", "kafka.session.timeout.ms", "3000",
            "kafka.heartbeat.interval.ms", "1000", "kafka.auto.commit.interval.ms", "1000");
    private static final Logger LOGGER = Logger.getLogger(LifecycleStack.class);

    final KafkaBroker broker;
    final Postgres15Server runStore;
    final QdrantStandIn qdrant;
    final QdrantGateway gateway;
    final WorkerFleet fleet;
    private final PGSimpleDataSource db;
    private final KafkaProducer<String, String> producer;
    /** The events topic, read from its beginning once the first replica has created it. */
    private TopicReader<CloudEvent> events;

    private LifecycleStack(KafkaBroker broker, Postgres15Server runStore, QdrantStandIn qdrant, WorkerFleet fleet) {
        this.broker = broker;
        this.runStore = runStore;
        this.qdrant = qdrant;
        this.gateway = QdrantGateway.connect(QdrantSettings.of(qdrant.host(), qdrant.port()));
        this.fleet = fleet;
        this.db = new PGSimpleDataSource();
        db.setURL(runStore.jdbcUrl());
        db.setUser(runStore.user());
        this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                new StringSerializer(), new StringSerializer());
    }

    /** A replica's endpoints of the stack's services: Kafka, the run store (PostgreSQL) and Qdrant's gRPC port. */
    static Map<String, String> endpoints(KafkaBroker broker, Postgres15Server postgres, QdrantStandIn qdrant) {
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("kafka.bootstrap.servers", broker.bootstrapServers());
        endpoints.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
        endpoints.put("quarkus.datasource.username", postgres.user());
        endpoints.put("apex.qdrant.host", qdrant.host());
        endpoints.put("apex.qdrant.port", String.valueOf(qdrant.port()));
        return endpoints;
    }

    /**
     * Starts the broker, the run store and the stand-in; replicas are started by the test ({@link #fleet}) with
     * {@code properties} on top of the stack's (endpoints, a 3 s lease, fast reconciling and relaying).
     */
    static LifecycleStack start(String name, Map<String, String> properties) {
        Path kafkaDir = ScratchDirs.create("apex-" + name + "-kafka-");
        Path pgDir = ScratchDirs.create("apex-" + name + "-pg-");
        CompletableFuture<KafkaBroker> kafka = CompletableFuture.supplyAsync(() -> KafkaBroker.start(kafkaDir));
        CompletableFuture<Postgres15Server> pg = CompletableFuture.supplyAsync(() -> Postgres15Server.start(pgDir));
        QdrantStandIn qdrant = QdrantStandIn.start();
        KafkaBroker broker = kafka.join();
        Postgres15Server postgres = pg.join();
        Map<String, String> all = endpoints(broker, postgres, qdrant);
        all.put("apex.qdrant.rest-port", String.valueOf(qdrant.restPort()));
        // no schema store unless the test names one: the readiness checks try closed ports
        all.put("apex.neo4j.uri", "bolt://127.0.0.1:" + FreePort.pick());
        all.put("apex.postgres.jdbc-url", "jdbc:postgresql://127.0.0.1:" + FreePort.pick() + "/postgres");
        all.putAll(FAST_RETRIES_AND_TAKEOVERS);
        all.put("apex.pipeline.lifecycle.lease", "3s");
        all.put("apex.pipeline.lifecycle.reconcile-interval", "500ms");
        all.put("apex.pipeline.lifecycle.relay-interval", "200ms");
        all.putAll(properties);
        WorkerFleet fleet = new WorkerFleet(ScratchDirs.create("apex-" + name + "-replicas-"), all,
                Map.of());
        return new LifecycleStack(broker, postgres, qdrant, fleet);
    }

    SeededPair seed(String base, int points) {
        return SeededPair.seed(gateway, qdrant, SeededPair.unique(base), points, DIMS);
    }

    /** Sends a command and returns its id. */
    String send(String json) {
        try {
            producer.send(new ProducerRecord<>("apex.commands", json)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not send a command", e);
        }
        return Messages.get().peekCommandId(json).orElseThrow();
    }

    /** A run as the run store holds it: id, state, owner (null before the lifecycle columns exist). */
    record RunRow(UUID id, String state, String owner, String failure) {

        boolean isFinal() {
            return List.of("completed", "failed", "cancelled").contains(state);
        }
    }

    Optional<RunRow> run(String commandId) {
        return query("SELECT id, state, to_jsonb(r)->>'owner', failure FROM apex_migrator.runs r WHERE command_id = ?",
                rs -> new RunRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4)),
                commandId).stream().findFirst();
    }

    /** Waits for the run of {@code commandId} to complete; one that fails or is cancelled fails at once. */
    RunRow awaitCompleted(String commandId, Duration within) {
        return await().atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> {
            Optional<RunRow> run = run(commandId);
            if (run.isPresent() && run.get().isFinal() && !"completed".equals(run.get().state())) {
                throw new AssertionError("run of " + commandId + " ended " + run.get().state() + ": "
                        + run.get().failure());
            }
            return run.orElse(null);
        }, r -> r != null && "completed".equals(r.state()));
    }

    /**
     * What has happened to a run, without who holds it: its row (less owner, lease and update time), its ranges,
     * its verification passes and its events (recorded and sent). It changes exactly when the run moves.
     */
    String progressOf(UUID runId) {
        return String.join("|", strings("SELECT (to_jsonb(r) - 'owner' - 'lease_expires_at' - 'updated_at')::text"
                + " || coalesce((SELECT md5(string_agg((to_jsonb(b) - 'updated_at')::text, ',' ORDER BY kind, "
                + "batch_index)) FROM apex_migrator.batches b WHERE b.run_id = r.id), '')"
                + " || coalesce((SELECT md5(string_agg(to_jsonb(p)::text, ',' ORDER BY pass)) FROM "
                + "apex_migrator.verify_passes p WHERE p.run_id = r.id), '')"
                + " || coalesce((SELECT md5(string_agg(to_jsonb(e)::text, ',' ORDER BY e.created_at, e.id)) FROM "
                + "apex_migrator.events e WHERE e.run_id = r.id), '') FROM apex_migrator.runs r WHERE r.id = ?",
                runId));
    }

    /** Rows of the run store's events table for a run and type. */
    long recordedEvents(UUID runId, String shortType) {
        return count("SELECT count(*) FROM apex_migrator.events WHERE run_id = ? AND type = ?", runId, shortType);
    }

    /** Events of a type on the topic so far whose data field {@code field} is {@code value}. */
    List<CloudEvent> events(String shortType, String field, String value) {
        return matching(events().poll(), shortType, field, value);
    }

    /** {@link #events} after reading the topic to its current end. */
    List<CloudEvent> eventsToEnd(String shortType, String field, String value) {
        return matching(events().pollToEnd(Duration.ofSeconds(60)), shortType, field, value);
    }

    private synchronized TopicReader<CloudEvent> events() {
        if (events == null) {
            events = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> TopicReader.events(broker.bootstrapServers(), "apex.events"), r -> r != null);
        }
        return events;
    }

    private static List<CloudEvent> matching(List<org.apache.kafka.clients.consumer.ConsumerRecord<String,
            CloudEvent>> records, String shortType, String field, String value) {
        return records.stream().map(r -> r.value()).filter(e -> e.getType().equals(CE_PREFIX + shortType))
                .filter(e -> value.equals(data(e).path(field).asText(null))).toList();
    }

    static JsonNode data(CloudEvent event) {
        try {
            return Messages.get().mapper().readTree(event.getData().toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long count(String sql, Object... args) {
        return Long.parseLong(strings(sql, args).get(0));
    }

    List<String> strings(String sql, Object... args) {
        return query(sql, rs -> rs.getString(1), args);
    }

    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    <T> List<T> query(String sql, Row<T> row, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(row.read(rs));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {producer, events, fleet, gateway, qdrant, broker, runStore}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                LOGGER.warnf("closing %s: %s", c, e.getMessage());
            }
        }
    }
}
