package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.apex.migrator.CrashPoint;
import io.apex.migrator.qdrant.standin.AliasUpdates;
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
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The live cutover's own crash points, with writes flowing through a capture proxy: the replica driving the run halts
 * (like SIGKILL) while every proxy holds the run's writes, or after it marked the swap and before it sent
 * UpdateAliases; another replica takes the run over. The run must complete with the alias moved once, no writer
 * call may fail (the parked writes wait, or go through captured when the hold outlives hold-max-wait), and the
 * alias's collection must equal the writer's model point for point (captures skipped while the swap was marked are
 * found by the verification the next driver runs first).
 */
class LiveCutoverCrashIT {

    private static final Logger LOGGER = Logger.getLogger(LiveCutoverCrashIT.class);
    private static final int DIMS = 16;
    private static final int THREADS = 4;
    private static final int POINTS_PER_THREAD = 500;

    private static LifecycleStack stack;
    private static int proxy;
    private static int rest;

    @BeforeAll
    static void startStack() {
        stack = LifecycleStack.start("livecrash", LifecycleStack.LIVE);
        proxy = FreePort.pick();
        rest = FreePort.pick();
        stack.fleet.startProxy("proxy", proxy, Map.of("apex.proxy.rest-port", String.valueOf(rest)));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {CrashPoint.MID_CUTOVER_HOLD, CrashPoint.AFTER_SWAP_MARKED})
    void aDriverDyingInTheCutoverHoldLosesNoWriteAndTheRunCompletesOnce(String point) throws Exception {
        // given: a live collection behind its alias, written through the proxy, and one replica that halts at the point
        String base = SeededPair.unique("lc_" + point.replace('-', '_'));
        String v1 = base + "_v1";
        String v2 = base + "_v2";
        for (String c : List.of(v1, v2)) {
            stack.gateway.createCollection(CreateCollection.newBuilder().setCollectionName(c)
                    .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(DIMS)
                            .setDistance(Distance.Dot))).build());
        }
        stack.gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                .setAliasName(base).setCollectionName(v1)).build()));
        AliasUpdates before = stack.qdrant.aliasUpdates(base);
        ServiceProcess crasher = stack.fleet.start("crash-" + point, Map.of("apex.crash-point", point,
                "apex.crash-point.source", v1));
        ServiceProcess taker = null;
        try (LiveWriter writer = new LiveWriter(base, List.of(proxy), List.of(rest), THREADS, POINTS_PER_THREAD * 2,
                DIMS, 120)) {
            writer.seed(stack.gateway, v1, POINTS_PER_THREAD);
            writer.start();
            String commandId = stack.send("{\"schemaVersion\":1,\"commandId\":\"c-" + UUID.randomUUID()
                    + "\",\"type\":\"qdrant.migrate\",\"source\":\"" + v1 + "\",\"target\":\"" + v2
                    + "\",\"alias\":\"" + base + "\",\"batchSize\":500}");
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (crasher.isAlive() && stack.run(commandId).map(LifecycleStack.RunRow::isFinal).orElse(false)) {
                    throw new AssertionError(point + " was never reached: the run ended with " + crasher + " alive");
                }
                return !crasher.isAlive();
            });

            // when: another replica takes the run over while the writes go on
            taker = stack.fleet.start("taker-" + point, Map.of());
            LifecycleStack.RunRow run = stack.awaitCompleted(commandId, Duration.ofMinutes(4));
            long atCompletion = writer.acknowledged();
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged() >= atCompletion + 200);
            writer.stop();
            LOGGER.infof("%s: %s; run %s", point, writer, run);

            // then
            assertThat(crasher.exitCode()).as("exit code of the crashed replica").isEqualTo(137);
            assertThat(WorkerFleet.read(crasher.log())).contains("crash point '" + point + "' reached");
            assertThat(writer.failures()).as("writer calls that failed").isEmpty();
            assertThat(writer.failed()).isZero();
            assertThat(stack.gateway.aliases().get(base)).isEqualTo(v2);
            AliasUpdates after = stack.qdrant.aliasUpdates(base);
            assertThat(after.moves() - before.moves()).as("times the alias was moved").isEqualTo(1);
            assertThat(writer.differences(stack.gateway, base)).as("the alias's collection vs the writer's model")
                    .isEmpty();
        } finally {
            if (taker != null) {
                taker.close();
            }
            if (crasher.isAlive()) {
                crasher.close();
            }
        }
    }
}
