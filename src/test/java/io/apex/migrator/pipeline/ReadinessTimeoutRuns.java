package io.apex.migrator.pipeline;

import static org.awaitility.Awaitility.await;

import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import java.time.Duration;
import java.util.UUID;

/**
 * What the readiness-gate timeout tests share: a source of {@link #POINTS} points behind its alias, a target Qdrant
 * indexes (10 KB threshold: {@link #REQUIRED_INDEXED} vectors to index) that the stand-in keeps yellow, and the
 * commands they send (the topics: {@link StandInPipelineRuns}).
 */
abstract class ReadinessTimeoutRuns extends StandInPipelineRuns {

    static final int DIMS = 32;
    static final int POINTS = 1_000;
    /** 99 % of the target's 1,000 vectors (apex.pipeline.readiness.indexed-share). */
    static final long REQUIRED_INDEXED = 990;

    record Names(String v1, String v2, String alias) {
        static Names create(String base) {
            String name = base + "_" + UUID.randomUUID().toString().substring(0, 8);
            return new Names(name + "_v1", name + "_v2", name);
        }
    }

    /**
     * The source seeded behind its alias, and an empty target that Qdrant will index once it holds the copy and that
     * the stand-in keeps indexing (yellow) until {@link #targetFinishesIndexing()}.
     */
    Names sourceAndTargetStillIndexing(String base) {
        Names n = Names.create(base);
        TestCollections.create(gateway, n.v1(), DIMS, false);
        TestCollections.seed(gateway, n.v1(), POINTS, DIMS, false, false, 17);
        TestCollections.createIndexed(gateway, n.v2(), DIMS);
        pointAlias(n.alias(), n.v1());
        targetKeepsIndexing();
        return n;
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
}
