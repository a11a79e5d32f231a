package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.BatchProgress;
import io.apex.migrator.api.BatchTask;
import io.apex.migrator.api.Messages;
import io.apex.migrator.api.PointKey;
import io.apex.migrator.api.PointRange;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A nacked batch task may reach the dead-letter topic only once the tracker knows its ranges failed, and never while
 * the replica shuts down: these tests hold each report's acknowledgement (the sender's future) and the shutdown flag
 * in their hands and check when the record is released to the dead-letter topic.
 */
class BatchNacksTest {

    private static final String RUN = UUID.randomUUID().toString();

    private final List<BatchProgress> sent = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Void>> acks = new CopyOnWriteArrayList<>();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    /** The retries waiting out their pause, run by the test. */
    private final List<Runnable> retries = new CopyOnWriteArrayList<>();
    private final BatchNacks nacks = new BatchNacks(this::send, BatchNacksTest::failed, shuttingDown::get,
            retries::add);

    private static BatchProgress failed(BatchTask task, String reason) {
        return new BatchProgress(task.runId(), task.batchIndex(), task.kind(), BatchProgress.Status.FAILED, 0, 0, "w1",
                reason, null);
    }

    private void runRetries() {
        List<Runnable> due = List.copyOf(retries);
        retries.clear();
        due.forEach(Runnable::run);
    }

    private CompletableFuture<Void> send(BatchProgress progress) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        sent.add(progress);
        acks.add(ack);
        return ack;
    }

    @Test
    void everyRangeOfAFailedMessageIsReportedFailedBeforeTheRecordIsDeadLettered() {
        // given a message of three ranges whose second range failed for good
        String record = message(3);
        PipelineException.RangeFailed failure = new PipelineException.RangeFailed(RUN, 1, "[10, 20)",
                new IllegalStateException("Qdrant refused the upsert"));

        // when
        CompletableFuture<Void> released = nacks.beforeDeadLetter(record, failure);

        // then every range is reported failed, and the record is released once Kafka acknowledged all the reports
        assertThat(sent).extracting(BatchProgress::batchIndex).containsExactly(0, 1, 2);
        assertThat(sent).allSatisfy(p -> {
            assertThat(p.status()).isEqualTo(BatchProgress.Status.FAILED);
            assertThat(p.runId()).isEqualTo(RUN);
            assertThat(p.reason()).contains("Qdrant refused the upsert");
        });
        acks.get(0).complete(null);
        acks.get(2).complete(null);
        assertThat(released).isNotDone();
        acks.get(1).complete(null);
        assertThat(released).isCompleted();
    }

    @Test
    void aMessageTheWorkerReportedIsNotReportedAgainAndIsReleasedOnceTheWorkersReportsAreAcknowledged() {
        // given the worker failed a message of three ranges after reporting each (the first copied, two failed)
        CompletableFuture<Void> workerReports = new CompletableFuture<>();
        PipelineException.MessageReported failure = workerReported(workerReports);

        // when
        CompletableFuture<Void> released = nacks.beforeDeadLetter(message(3), failure);

        // then nothing is reported again; the record waits for the worker's reports to be acknowledged
        assertThat(sent).isEmpty();
        assertThat(released).isNotDone();
        workerReports.complete(null);
        assertThat(released).isCompleted();
        assertThat(sent).isEmpty();
    }

    @Test
    void workerReportsKafkaDidNotTakeAreSentAgainAsTheWorkerGaveThem() {
        // given
        CompletableFuture<Void> workerReports = new CompletableFuture<>();
        CompletableFuture<Void> released = nacks.beforeDeadLetter(message(3), workerReported(workerReports));

        // when Kafka did not take the worker's reports
        workerReports.completeExceptionally(new TimeoutException("progress topic unavailable"));

        // then they are sent again after a pause, the copied range still DONE, and the record released once they are in
        assertThat(released).isNotDone();
        runRetries();
        assertThat(sent).extracting(BatchProgress::batchIndex, BatchProgress::status).containsExactly(
                tuple(0, BatchProgress.Status.DONE), tuple(1, BatchProgress.Status.FAILED),
                tuple(2, BatchProgress.Status.FAILED));
        acks.forEach(a -> a.complete(null));
        assertThat(released).isCompleted();
    }

    private static BatchProgress failedReport(int range, String reason) {
        return new BatchProgress(RUN, range, BatchKind.COPY, BatchProgress.Status.FAILED, 0, 0, "w1", reason, null);
    }

    private static PipelineException.MessageReported workerReported(CompletableFuture<Void> acknowledged) {
        BatchProgress done = new BatchProgress(RUN, 0, BatchKind.COPY, BatchProgress.Status.DONE, 10, 5, "w1", null,
                null);
        return new PipelineException.MessageReported(new PipelineException.RangeFailed(RUN, 1, "[10, 20)",
                new IllegalStateException("Qdrant refused the upsert")), List.of(done,
                failedReport(1, "Qdrant refused the upsert"), failedReport(2, "not worked")),
                acknowledged);
    }

    @Test
    void aReportKafkaDidNotAcknowledgeFailsTheRangeBeforeTheRecordIsDeadLettered() {
        // given the stage of a message failed because its DONE report was not acknowledged in time
        CompletionException failure = new CompletionException(
                new IllegalStateException("Kafka did not acknowledge within 30 s", new TimeoutException("late")));

        // when
        CompletableFuture<Void> released = nacks.beforeDeadLetter(message(1), failure);

        // then
        assertThat(sent).singleElement().satisfies(p -> {
            assertThat(p.status()).isEqualTo(BatchProgress.Status.FAILED);
            assertThat(p.reason()).contains("Kafka did not acknowledge within 30 s");
        });
        assertThat(released).isNotDone();
        acks.get(0).complete(null);
        assertThat(released).isCompleted();
    }

    @Test
    void anErrorThrownByTheWorkerIsReportedLikeAnyFailure() {
        // when
        CompletableFuture<Void> released = nacks.beforeDeadLetter(message(2), new StackOverflowError());

        // then
        assertThat(sent).extracting(BatchProgress::status).containsOnly(BatchProgress.Status.FAILED).hasSize(2);
        acks.forEach(a -> a.complete(null));
        assertThat(released).isCompleted();
    }

    @Test
    void aMessageNackedWhileTheReplicaShutsDownIsNeitherReportedNorReleased() {
        // given
        shuttingDown.set(true);

        // when whatever failed it
        CompletableFuture<Void> released = nacks.beforeDeadLetter(message(2),
                new PipelineException.RangeFailed(RUN, 0, "[0, 10)", new IllegalStateException("channel closed")));

        // then the record stays unacknowledged (its offset uncommitted): another worker gets it
        assertThat(released).isNotDone();
        assertThat(sent).isEmpty();
    }

    @Test
    void aTaskInterruptedOrRefusedByTheClosedWorkerPoolIsNeitherReportedNorReleased() {
        // when: the copy thread was interrupted, and the worker pool refused a task (it closes before the shutdown
        // event is seen everywhere)
        CompletableFuture<Void> interrupted = nacks.beforeDeadLetter(message(1),
                new PipelineException.WorkerStopping(RUN, 0, new IllegalStateException("interrupted while waiting")));
        CompletableFuture<Void> refused = nacks.beforeDeadLetter(message(1),
                new RejectedExecutionException("WorkerPoolRegistry is being shut down"));

        // then
        assertThat(interrupted).isNotDone();
        assertThat(refused).isNotDone();
        assertThat(sent).isEmpty();
    }

    @Test
    void aFailedReportKafkaDoesNotTakeIsSentAgainAndTheRecordHeldMeanwhile() {
        // given
        CompletableFuture<Void> released = nacks.beforeDeadLetter(message(1), new IllegalStateException("boom"));

        // when Kafka refuses the first FAILED report
        acks.get(0).completeExceptionally(new TimeoutException("progress topic unavailable"));

        // then the record is held and the report sent again after a pause; it is released once that one is acknowledged
        assertThat(released).isNotDone();
        assertThat(retries).hasSize(1);
        runRetries();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).status()).isEqualTo(BatchProgress.Status.FAILED);
        acks.get(1).complete(null);
        assertThat(released).isCompleted();
    }

    @Test
    void aSenderThatThrowsCountsAsAReportKafkaDidNotTake() {
        // given a sender that throws at its first call (the emitter refusing), then sends
        AtomicBoolean thrown = new AtomicBoolean();
        BatchNacks refusingOnce = new BatchNacks(p -> {
            if (thrown.compareAndSet(false, true)) {
                throw new IllegalStateException("SRMSG00034: Insufficient downstream requests");
            }
            return send(p);
        }, BatchNacksTest::failed, shuttingDown::get, retries::add);

        // when
        CompletableFuture<Void> released = refusingOnce.beforeDeadLetter(message(1), new IllegalStateException("boom"));

        // then
        assertThat(sent).isEmpty();
        assertThat(released).isNotDone();
        runRetries();
        assertThat(sent).hasSize(1);
        acks.get(0).complete(null);
        assertThat(released).isCompleted();
    }

    @Test
    void aReportThatFailsOnceTheReplicaShutsDownLeavesTheRecordHeld() {
        // given
        CompletableFuture<Void> released = nacks.beforeDeadLetter(message(1), new IllegalStateException("boom"));

        // when the replica begins to shut down, and then Kafka refuses the report
        shuttingDown.set(true);
        acks.get(0).completeExceptionally(new TimeoutException("producer closed"));

        // then the record is neither released nor reported again
        assertThat(released).isNotDone();
        assertThat(retries).isEmpty();
        assertThat(sent).hasSize(1);
    }

    @Test
    void aRecordThatIsNoBatchTaskHasNoRangeToReportAndIsReleasedAtOnce() {
        // when
        CompletableFuture<Void> released = nacks.beforeDeadLetter("{\"not\":\"a task\"}",
                new IllegalArgumentException("$.runId is required"));

        // then
        assertThat(released).isCompleted();
        assertThat(sent).isEmpty();
    }

    private static String message(int ranges) {
        List<BatchTask> tasks = IntStream.range(0, ranges).mapToObj(i -> new BatchTask(RUN, i, BatchKind.COPY, "a",
                "b", new PointRange(PointKey.parse(String.valueOf(i * 10)), PointKey.parse(String.valueOf(i * 10 + 10))),
                64)).toList();
        return Messages.get().write(ranges == 1 ? tasks.get(0) : BatchTask.carrying(tasks));
    }
}
