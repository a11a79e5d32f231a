package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.apex.migrator.qdrant.standin.AliasUpdates;
import io.apex.migrator.support.ServiceProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A replica stopped gracefully (SIGTERM, a scale-in) while batch tasks wait in its consumer behind the one it copies.
 * Quarkus closes the messaging worker pool before the Kafka connector: the waiting tasks are nacked without their
 * handler running (SmallRye's "WorkerPoolRegistry is being shut down"), and with the plain dead-letter strategy they
 * went to the dead-letter topic, their offsets committed, unreported: the run waited for those ranges forever. They
 * must instead stay uncommitted and be done by the next replica. Real processes ({@link LifecycleStack}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerShutdownIT {

    private static final Logger LOGGER = Logger.getLogger(WorkerShutdownIT.class);
    private static final int POINTS = 3_000;
    /** Ten ranges of two scroll pages each. */
    private static final int RANGE = 300;

    private LifecycleStack stack;

    @BeforeAll
    void startServices() {
        stack = LifecycleStack.start("shutdown", Map.of());
    }

    @AfterAll
    void stopServices() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void tasksWaitingInAStoppingReplicaAreLeftToTheNextOneNotDeadLettered() {
        // given one replica copying one range at a time, each scroll page held 1 s: the other ranges wait in its
        // consumer
        SeededPair pair = stack.seed("stopping", POINTS);
        AliasUpdates before = stack.qdrant.aliasUpdates(pair.alias());
        stack.qdrant.faults().latency("Points/Scroll", Duration.ofSeconds(1));
        ServiceProcess first = stack.fleet.start("s1", Map.of("apex.pipeline.worker.concurrency", "1"));
        String commandId = stack.send(pair.migrate(RANGE));
        LifecycleStack.RunRow run = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> stack.run(commandId).orElse(null), r -> r != null && takenBy(r, "s1") >= 1);

        // when it is stopped gracefully while copying, and another replica starts once it is gone
        Instant stopping = Instant.now();
        first.close();
        long doneByFirst = stack.count("SELECT count(*) FROM apex_migrator.batches WHERE run_id = ? AND kind = 'copy' "
                + "AND state = 'done'", run.id());
        stack.qdrant.faults().reset();
        stack.fleet.start("s2", Map.of());
        stack.awaitCompleted(commandId, Duration.ofMinutes(3));
        Duration toCompletion = Duration.between(stopping, Instant.now());

        // then: the stopping replica handed tasks back (not dead-lettered, not committed), and the run completed
        String firstLog = WorkerFleet.read(first.log());
        assertThat(firstLog).as("the stopping replica's log").contains("neither dead-lettered nor committed, left to "
                + "another worker: this worker is shutting down");
        assertThat(firstLog).doesNotContain("sent to the dead-letter topic");
        assertThat(deadLettersOf(run.id().toString())).as("dead letters of the run").isEmpty();
        assertThat(doneByFirst).as("ranges the stopping replica finished").isLessThan(POINTS / RANGE);
        CrashWork.RunWork.assertEndedOnce(stack, pair, POINTS, commandId, before);
        LOGGER.infof("replica stopped with %s of %s ranges done; the run completed %s s later", doneByFirst,
                POINTS / RANGE, toCompletion.toSeconds());
    }

    private long takenBy(LifecycleStack.RunRow run, String worker) {
        return stack.count("SELECT count(*) FROM apex_migrator.batches WHERE run_id = ? AND kind = 'copy' "
                + "AND worker = ?", run.id(), worker);
    }

    private List<String> deadLettersOf(String runId) {
        try (TopicReader<String> dead = TopicReader.strings(stack.broker.bootstrapServers(), "apex.dead-letter")) {
            return dead.pollToEnd(Duration.ofSeconds(60)).stream().map(r -> r.value()).filter(v -> v.contains(runId))
                    .toList();
        }
    }
}
