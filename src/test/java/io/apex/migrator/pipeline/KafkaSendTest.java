package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

/** What a send's acknowledgement means: waiting for it and taking it as a stage say the same. */
class KafkaSendTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void anAcknowledgedSendIsAwaitedWithoutError() {
        assertThatCode(() -> KafkaSend.await(CompletableFuture.completedFuture(null), PATIENCE))
                .doesNotThrowAnyException();
    }

    @Test
    void aRefusedSendFailsTheWaitWithKafkasReason() {
        CompletableFuture<Void> sent = CompletableFuture.failedFuture(new RecordTooLargeException("too large"));

        assertThatThrownBy(() -> KafkaSend.await(sent, PATIENCE)).isInstanceOf(IllegalStateException.class)
                .hasMessage("Kafka refused a message: too large")
                .hasCauseInstanceOf(RecordTooLargeException.class);
    }

    @Test
    void aRefusedSendAmongAChunksFailsTheWaitForTheChunkWithKafkasReason() {
        CompletableFuture<Void> chunk = CompletableFuture.allOf(CompletableFuture.completedFuture(null),
                CompletableFuture.failedFuture(new RecordTooLargeException("too large")));

        assertThatThrownBy(() -> KafkaSend.await(chunk, PATIENCE)).isInstanceOf(IllegalStateException.class)
                .hasMessage("Kafka refused a message: too large")
                .hasCauseInstanceOf(RecordTooLargeException.class);
    }

    @Test
    void aSendNeverAcknowledgedFailsTheWaitAfterTheTimeout() {
        assertThatThrownBy(() -> KafkaSend.await(new CompletableFuture<>(), Duration.ofMillis(50)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Kafka did not acknowledge within 0 s")
                .hasCauseInstanceOf(TimeoutException.class);
    }

    @Test
    void anInterruptedWaitEndsAtOnceAndKeepsTheInterrupt() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> KafkaSend.await(new CompletableFuture<>(), PATIENCE))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("interrupted while publishing to Kafka");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void theAcknowledgementAsAStageFailsWithTheReasonTheWaitGives() {
        CompletableFuture<Void> refused = KafkaSend.acknowledged(
                CompletableFuture.failedFuture(new RecordTooLargeException("too large")), PATIENCE);
        CompletableFuture<Void> unanswered = KafkaSend.acknowledged(new CompletableFuture<>(), Duration.ofMillis(50));

        assertThatThrownBy(refused::get).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(IllegalStateException.class).hasMessage("Kafka refused a message: too large");
        assertThatThrownBy(unanswered::get).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(IllegalStateException.class).hasMessage("Kafka did not acknowledge within 0 s");
    }
}
