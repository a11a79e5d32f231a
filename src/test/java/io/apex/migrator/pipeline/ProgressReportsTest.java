package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.BatchProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

/**
 * A worker's task is acknowledged (its offset free to be committed) only when the returned stage completes: these
 * tests hold each report's acknowledgement in their hands (the sender's future) and check when the stage completes.
 */
class ProgressReportsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final List<CompletableFuture<Void>> sends = new ArrayList<>();

    private CompletableFuture<Void> send(BatchProgress progress) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        sends.add(ack);
        return ack;
    }

    @Test
    void theTaskIsNotAcknowledgedBeforeItsReportIs() {
        // given
        ProgressReports reports = new ProgressReports(this::send, 4, PATIENCE);

        // when the report is sent but Kafka has not acknowledged it
        CompletableFuture<Void> task = reports.sendAll(List.of(report(1)));

        // then the task's stage is pending, and completes once Kafka acknowledges the report
        assertThat(sends).hasSize(1);
        assertThat(task).isNotDone();
        sends.get(0).complete(null);
        assertThat(task).isCompleted();
    }

    @Test
    void aReportKafkaRefusesFailsTheTask() {
        // given
        ProgressReports reports = new ProgressReports(this::send, 4, PATIENCE);
        CompletableFuture<Void> task = reports.sendAll(List.of(report(1)));

        // when
        sends.get(0).completeExceptionally(new RecordTooLargeException("too large"));

        // then the task fails (its record is nacked: the dead-letter topic), with Kafka's reason
        assertThat(task).isCompletedExceptionally();
        assertThatThrownBy(task::get).isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(RecordTooLargeException.class)
                .hasMessageContaining("Kafka refused a message: too large");
    }

    @Test
    void aReportNeverAcknowledgedFailsTheTaskAfterTheTimeout() {
        // given
        ProgressReports reports = new ProgressReports(this::send, 4, Duration.ofMillis(50));

        // when Kafka never answers
        CompletableFuture<Void> task = reports.sendAll(List.of(report(1)));

        // then the task fails instead of waiting for ever
        assertThatThrownBy(task::get).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("Kafka did not acknowledge");
    }

    @Test
    void atMostTheBoundOfReportsWaitsForKafkaAndAnAcknowledgementFreesASlot() throws Exception {
        // given two reports unacknowledged, the bound
        ProgressReports reports = new ProgressReports(this::send, 2, PATIENCE);
        reports.sendAll(List.of(report(1)));
        reports.sendAll(List.of(report(2)));

        // when a copy thread sends a third while Kafka answers neither
        CompletableFuture<CompletableFuture<Void>> third = new CompletableFuture<>();
        Thread copyThread = new Thread(() -> third.complete(reports.sendAll(List.of(report(3)))));
        copyThread.start();

        // then it waits for a slot without sending; one acknowledgement lets it send
        await().atMost(Duration.ofSeconds(10)).until(() -> copyThread.getState() == Thread.State.TIMED_WAITING);
        assertThat(sends).hasSize(2);
        assertThat(third).isNotDone();
        sends.get(0).complete(null);
        copyThread.join(Duration.ofSeconds(10).toMillis());
        assertThat(third).isCompleted();
        assertThat(sends).hasSize(3);
    }

    @Test
    void aMessagesReportsTravelUnderOneSlotAndItIsAcknowledgedWithTheLastOfThem() {
        // given a bound of one message
        ProgressReports reports = new ProgressReports(this::send, 1, PATIENCE);

        // when a message of four ranges is reported
        CompletableFuture<Void> message = reports.sendAll(List.of(report(1), report(2), report(3), report(4)));

        // then all four are sent at once (none waits for a slot), and the message is acknowledged with the last
        assertThat(sends).hasSize(4);
        sends.subList(0, 3).forEach(ack -> ack.complete(null));
        assertThat(message).isNotDone();
        sends.get(3).complete(null);
        assertThat(message).isCompleted();
    }

    @Test
    void aFailedReportFreesItsSlotToo() {
        // given
        ProgressReports reports = new ProgressReports(this::send, 1, Duration.ofMillis(200));
        reports.sendAll(List.of(report(1)));

        // when
        sends.get(0).completeExceptionally(new RecordTooLargeException("too large"));

        // then
        reports.sendAll(List.of(report(2)));
        assertThat(sends).hasSize(2);
    }

    private static BatchProgress report(int range) {
        return new BatchProgress(UUID.randomUUID().toString(), range, BatchKind.COPY, BatchProgress.Status.DONE, 256,
                10, "w1", null, null);
    }
}
