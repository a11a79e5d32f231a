package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.BatchTask;
import io.apex.migrator.api.Messages;
import io.apex.migrator.api.MigrateCommand;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.state.BatchRecord;
import io.apex.migrator.state.CommandClaim;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.support.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Two coordinators handling one {@code qdrant.migrate} command at once, as after a rebalance of the commands
 * partition: the second receives the command while the first is handing its tasks over. On the real PostgreSQL 15
 * run store (the claim is an advisory lock there), with the tasks then published to the real batches topic and
 * copied by the workers of this application.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
@WithTestResource(PipelineWorkerResource.class)
class CoordinatorClaimIT {

    private static final int RANGES = 12;

    @Inject
    Coordinator coordinator;
    @Inject
    KafkaBatchDispatcher kafka;
    @Inject
    QdrantGateway gateway;
    @Inject
    RunStore runStore;
    @Inject
    DataSource dataSource;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aSecondCoordinatorGivenTheCommandMidDispatchMakesNoSecondRunAndDispatchesNoRangeAgain() {
        // given: a source of 1,200 points (12 ranges) and a first coordinator that is handing its tasks over
        QdrantMigrationIT.Names n = QdrantMigrationIT.Names.create("claim");
        TestCollections.create(gateway, n.v1(), 8, false);
        TestCollections.seed(gateway, n.v1(), 1_200, 8, false, false, 11);
        TestCollections.create(gateway, n.v2(), 8, false);
        String commandId = "c-" + UUID.randomUUID();
        MigrateCommand command = (MigrateCommand) Messages.get().readCommand("{\"schemaVersion\":1,\"commandId\":\""
                + commandId + "\",\"type\":\"qdrant.migrate\",\"source\":\"" + n.v1() + "\",\"target\":\"" + n.v2()
                + "\",\"batchSize\":100}");
        CompletableFuture<Optional<Run>> second = new CompletableFuture<>();
        // The first hand-over is held until the second coordinator has either finished (no claim: it dispatched
        // the same plan meanwhile) or is seen waiting for the command's lock in PostgreSQL.
        Recording dispatcher = new Recording(() -> second.isDone() || waitingForClaim(commandId));
        CompletableFuture<Optional<Run>> first = CompletableFuture.supplyAsync(
                () -> coordinator.start(command, dispatcher));
        await().atMost(Duration.ofMinutes(1)).until(() -> dispatcher.holding.get() || first.isDone());

        // when: the same command reaches a second coordinator
        CompletableFuture.supplyAsync(() -> coordinator.start(command, dispatcher)).whenComplete((run, error) -> {
            if (error != null) {
                second.completeExceptionally(error);
            } else {
                second.complete(run);
            }
        });
        Optional<Run> firstRun = first.join();
        Optional<Run> secondRun = second.join();

        // then: one run, every range handed over once, one plan, and the copy completes once
        assertThat(dispatcher.handed).extracting(BatchTask::batchIndex).as("ranges handed to the workers")
                .hasSize(RANGES).doesNotHaveDuplicates();
        assertThat(firstRun).isPresent();
        assertThat(secondRun).as("the second coordinator found the run dispatched").isEmpty();
        Run run = runStore.findByCommand(commandId).orElseThrow();
        assertThat(run.id()).isEqualTo(firstRun.get().id());
        assertThat(run.plannedBatches()).isEqualTo(RANGES);
        await().atMost(Duration.ofMinutes(2)).until(() ->
                runStore.findRun(run.id()).orElseThrow().state() == RunState.COMPLETED);
        try (TopicReader<String> batches = TopicReader.strings(bootstrap, PipelineWorkerResource.PREFIX + "batches")) {
            List<BatchTask> messages = batches.pollToEnd(Duration.ofSeconds(30)).stream()
                    .map(ConsumerRecord::value).map(v -> Messages.get().readBatchTask(v))
                    .filter(t -> t.runId().equals(run.id().toString()) && t.kind() == BatchKind.COPY)
                    .toList();
            Map<Integer, Long> published = messages.stream().flatMap(m -> m.ranges().stream())
                    .collect(Collectors.groupingBy(BatchTask::batchIndex, Collectors.counting()));
            assertThat(published).hasSize(RANGES).allSatisfy((range, times) -> assertThat(times).isEqualTo(1));
            // ranges of 100 points travel several to a message, but a run has at least as many messages as partitions
            assertThat(messages).as("messages of two ranges on 6 partitions").hasSize(RANGES / 2)
                    .allSatisfy(m -> assertThat(m.ranges()).hasSize(2));
        }
        List<BatchRecord> copied = runStore.batches(run.id(), BatchKind.COPY);
        assertThat(copied).hasSize(RANGES).allSatisfy(b -> assertThat(b.reports()).isEqualTo(1));
        assertThat(runStore.eventTypes(run.id())).filteredOn(t -> t.contains("accepted") || t.contains("planned"))
                .hasSize(2);
        assertThat(TestCollections.assertSameContent(gateway, n.v1(), n.v2())).isEqualTo(1_200);
    }

    /** Whether a session waits for the command's advisory lock (the second coordinator, held off by the claim). */
    private boolean waitingForClaim(String commandId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT count(*) "
                + "FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid::bigint = ? AND objsubid = 2")) {
            ps.setLong(1, Integer.toUnsignedLong(CommandClaim.key(commandId)));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records every task handed over, then publishes it; the first hand-over waits for {@code release}. */
    private final class Recording implements BatchDispatcher {
        final List<BatchTask> handed = new CopyOnWriteArrayList<>();
        final AtomicBoolean holding = new AtomicBoolean();
        private final BooleanSupplier release;

        Recording(BooleanSupplier release) {
            this.release = release;
        }

        @Override
        public void dispatch(List<BatchTask> tasks, int pointsPerRange) {
            if (holding.compareAndSet(false, true)) {
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50)).until(release::getAsBoolean);
            }
            handed.addAll(tasks);
            kafka.dispatch(tasks, pointsPerRange);
        }
    }
}
