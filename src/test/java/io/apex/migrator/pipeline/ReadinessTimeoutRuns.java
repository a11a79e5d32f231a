package io.apex.migrator.pipeline;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.api.Messages;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.HnswConfigDiff;
import io.qdrant.client.grpc.Collections.OptimizersConfigDiff;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;

/**
 * What the readiness-gate timeout tests share: a source of {@link #POINTS} points behind its alias, a target Qdrant
 * indexes (10 KB threshold: {@link #REQUIRED_INDEXED} vectors to index) that the stand-in keeps yellow, the
 * commands sent and the events read as a downstream consumer would.
 */
abstract class ReadinessTimeoutRuns {

    static final int DIMS = 32;
    static final int POINTS = 1_000;
    /** 99 % of the target's 1,000 vectors (apex.pipeline.readiness.indexed-share). */
    static final long REQUIRED_INDEXED = 990;

    @Inject
    QdrantGateway gateway;
    @Inject
    RunStore runStore;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private static PipelineTopics topics;

    @AfterEach
    void resetFaults() {
        QdrantStandIn.shared().faults().reset();
    }

    @AfterAll
    static void closeClients() {
        if (topics != null) {
            topics.close();
            topics = null;
        }
    }

    record Names(String v1, String v2, String alias) {
        static Names create(String base) {
            String name = base + "_" + UUID.randomUUID().toString().substring(0, 8);
            return new Names(name + "_v1", name + "_v2", name);
        }
    }

    /** The source seeded behind its alias, and an empty target that Qdrant will index once it holds the copy. */
    void sourceAndIndexedTarget(Names n) {
        TestCollections.create(gateway, n.v1(), DIMS, false);
        TestCollections.seed(gateway, n.v1(), POINTS, DIMS, false, false, 17);
        gateway.createCollection(CreateCollection.newBuilder().setCollectionName(n.v2())
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(DIMS)
                        .setDistance(Distance.Dot)))
                .setHnswConfig(HnswConfigDiff.newBuilder().setM(16))
                .setOptimizersConfig(OptimizersConfigDiff.newBuilder().setIndexingThreshold(10))
                .build());
        pointAlias(n.alias(), n.v1());
    }

    /** The target keeps building its index (status yellow) for longer than any test waits. */
    static void targetKeepsIndexing() {
        QdrantStandIn.shared().faults().indexingDelay(Duration.ofMinutes(30));
    }

    /** The target's index is built: it is green with every vector indexed from the next look on. */
    static void targetFinishesIndexing() {
        QdrantStandIn.shared().faults().indexingDelay(Duration.ZERO);
    }

    static String migrate(String commandId, Names n, String cutover) {
        return "{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"qdrant.migrate\",\"source\":\""
                + n.v1() + "\",\"target\":\"" + n.v2() + "\",\"alias\":\"" + n.alias() + "\",\"batchSize\":250"
                + ",\"cutover\":\"" + cutover + "\"}";
    }

    static String cutover(UUID runId) {
        return "{\"schemaVersion\":1,\"commandId\":\"cut-" + UUID.randomUUID() + "\",\"type\":\"qdrant.cutover\","
                + "\"runId\":\"" + runId + "\"}";
    }

    void pointAlias(String alias, String collection) {
        gateway.updateAliases(List.of(AliasOperations.newBuilder()
                .setCreateAlias(CreateAlias.newBuilder().setAliasName(alias).setCollectionName(collection)).build()));
    }

    /** The run once it waits in ready-for-cutover (or ended), the gate's migration-indexing event read by then. */
    Run awaitWaitingOrEnded(String commandId) {
        await().atMost(Duration.ofMinutes(1)).until(() -> runStore.findByCommand(commandId)
                .map(r -> r.state() == RunState.READY_FOR_CUTOVER || r.state().isFinal()).orElse(false)
                && !eventsOf(commandId, "migration-indexing").isEmpty());
        return run(commandId);
    }

    Run run(String commandId) {
        return runStore.findByCommand(commandId).orElseThrow();
    }

    static JsonNode summary(Run run) {
        try {
            return Messages.get().mapper().readTree(run.summaryJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void send(String json) {
        topics().send(json);
    }

    JsonNode awaitEvent(String commandId, String shortType, Duration within) {
        return topics().awaitEvent(commandId, shortType, within);
    }

    List<JsonNode> eventsOf(String commandId, String shortType) {
        return topics().eventsOf(commandId, shortType);
    }

    List<String> typesOf(String commandId) {
        return topics().typesOf(commandId);
    }

    private synchronized PipelineTopics topics() {
        if (topics == null) {
            topics = new PipelineTopics(bootstrap);
        }
        return topics;
    }
}
