package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.api.Messages;
import io.apex.migrator.support.FreePort;
import io.apex.migrator.support.ServiceProcess;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 20's proof: a collection that keeps taking writes through the capture proxies migrates and cuts over with no
 * writer pause and nothing lost. Real Kafka and PostgreSQL, the stand-in as Qdrant, two worker and two proxy replicas
 * of the packaged application. A writer ({@link LiveWriter}) sends inserts, replacements, payload changes, deletes
 * by id and by filter, integer and UUID ids, for the whole run (copy, verification, cutover) and 2,000 writes after,
 * and keeps its own model; afterwards the collection behind the alias equals the model point for point, and no call
 * failed. Again with a worker and a proxy replica killed (SIGKILL) mid-run.
 */
class LiveMigrationIT {

    private static final Logger LOGGER = Logger.getLogger(LiveMigrationIT.class);
    private static final int DIMS = 32;
    // enough writers that ~600 writes/s are asked for even while each call waits for Qdrant's and Kafka's acks on a
    // loaded machine; the initial collection stays 16,000 points
    private static final int THREADS = Integer.getInteger("live.threads", 48);
    private static final int POINTS_PER_THREAD = 16_000 / THREADS; // 333 each
    private static final int WRITES_PER_SECOND = 600;
    // ~3 s of the asked-for rate; before, a fixed 10 s of writing
    private static final int WRITES_AFTER_CUTOVER = 2_000;

    private static LifecycleStack stack;
    private static int proxyA;
    private static int proxyB;
    private static int restA;
    private static int restB;

    @BeforeAll
    static void startStack() {
        stack = LifecycleStack.start("live", Map.of(
                "apex.pipeline.live.hold-budget", "3s",
                "apex.pipeline.live.replica-expiry", "3s",
                "apex.proxy.run-cache-ttl", "200ms"));
        proxyA = FreePort.pick();
        proxyB = FreePort.pick();
        restA = FreePort.pick();
        restB = FreePort.pick();
        // the four replicas start side by side (as PipelineFaultsIT's workers): one after another they made the class
        // wait for the sum of their starts
        CompletableFuture.allOf(
                CompletableFuture.runAsync(() -> stack.fleet.start("worker-1", Map.of())),
                CompletableFuture.runAsync(() -> stack.fleet.start("worker-2", Map.of())),
                CompletableFuture.runAsync(() -> stack.fleet.startProxy("proxy-a", proxyA,
                        Map.of("apex.proxy.rest-port", String.valueOf(restA)))),
                CompletableFuture.runAsync(() -> stack.fleet.startProxy("proxy-b", proxyB,
                        Map.of("apex.proxy.rest-port", String.valueOf(restB))))).join();
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aCollectionWrittenThroughTheProxiesMigratesAndCutsOverWithNothingLost() throws Exception {
        migrateWhileWriting("live", run -> { });
    }

    @Test
    void aWorkerAndAProxyReplicaKilledMidRunLoseNothing() throws Exception {
        migrateWhileWriting("livekill", run -> {
            await().atMost(Duration.ofMinutes(2)).until(() -> stack.run(run).map(r -> !"accepted".equals(r.state())
                    && !"planned".equals(r.state())).orElse(false));
            ServiceProcess worker = stack.fleet.get("worker-2");
            worker.kill();
            LOGGER.infof("killed worker-2 with the run in %s", stack.run(run).map(LifecycleStack.RunRow::state)
                    .orElse("?"));
            ServiceProcess proxy = stack.fleet.get("proxy-b");
            proxy.kill();
            LOGGER.infof("killed proxy-b with the run in %s", stack.run(run).map(LifecycleStack.RunRow::state)
                    .orElse("?"));
        });
    }

    private void migrateWhileWriting(String name, Consumer<String> duringRun) throws Exception {
        String base = SeededPair.unique(name);
        String v1 = base + "_v1";
        String v2 = base + "_v2";
        for (String c : List.of(v1, v2)) {
            stack.gateway.createCollection(CreateCollection.newBuilder().setCollectionName(c)
                    .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(DIMS)
                            .setDistance(Distance.Dot))).build());
        }
        stack.gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                .setAliasName(base).setCollectionName(v1)).build()));
        boolean bothProxies = stack.fleet.get("proxy-b").isAlive();
        List<Integer> proxies = bothProxies ? List.of(proxyA, proxyB) : List.of(proxyA);
        List<Integer> rest = bothProxies ? List.of(restA, restB) : List.of(restA);
        try (LiveWriter writer = new LiveWriter(base, proxies, rest, THREADS, POINTS_PER_THREAD * 2, DIMS,
                WRITES_PER_SECOND)) {
            writer.seed(stack.gateway, v1, POINTS_PER_THREAD);
            writer.start();
            String commandId = stack.send("{\"schemaVersion\":1,\"commandId\":\"c-" + UUID.randomUUID()
                    + "\",\"type\":\"qdrant.migrate\",\"source\":\"" + v1 + "\",\"target\":\"" + v2
                    + "\",\"alias\":\"" + base + "\",\"batchSize\":1000}");
            duringRun.accept(commandId);
            LifecycleStack.RunRow run = stack.awaitCompleted(commandId, Duration.ofMinutes(6));
            long atCutover = writer.acknowledged();
            // writes go on after the cutover, to the alias's new collection: a count of them, not a span of time
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> writer.acknowledged() >= atCutover + WRITES_AFTER_CUTOVER);
            writer.stop();

            LOGGER.infof("%s: %s; %s acknowledged before the run completed; the model holds %s points", name, writer,
                    atCutover, writer.modelSize());
            JsonNode summary = summary(run.id());
            LOGGER.infof("%s: run summary %s", name, summary);
            assertThat(writer.failures()).as("writer calls that failed on every replica").isEmpty();
            assertThat(writer.failed()).isZero();
            assertThat(stack.gateway.aliases().get(base)).isEqualTo(v2);
            assertThat(writer.differences(stack.gateway, base)).as("the alias's collection vs the writer's model")
                    .isEmpty();
            assertThat(summary.path("cutoverHold").path("proxyReplicas").asInt()).as("replicas that held the writes")
                    .isPositive();
            assertThat(atCutover).as("writes acknowledged while the run migrated").isPositive();
            assertThat(writer.sentOverRest()).as("writes sent over Qdrant's REST API").isPositive();
        }
    }

    private static JsonNode summary(UUID runId) throws Exception {
        String json = stack.strings("SELECT summary::text FROM apex_migrator.runs WHERE id = ?", runId).get(0);
        return Messages.get().mapper().readTree(json);
    }
}
