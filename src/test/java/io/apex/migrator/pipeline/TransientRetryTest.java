package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.BatchTask;
import io.apex.migrator.api.PointKey;
import io.apex.migrator.api.PointRange;
import io.apex.migrator.qdrant.QdrantRequestException;
import io.apex.migrator.qdrant.QdrantTransientException;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TransientRetryTest {

    private static final BatchTask TASK = new BatchTask(UUID.randomUUID().toString(), 4, BatchKind.VERIFY, "a", "b",
            new PointRange(new PointKey(1L, null), null), 256, 1);
    private static final Duration BACKOFF = Duration.ofMillis(5);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final List<String> retries = new ArrayList<>();
    private final TransientRetry.Listener recorder = (task, operation, error) -> retries.add(operation);

    @Test
    void transientFailuresBeyondTheAttemptsAreWaitedOutWhileThePatienceLasts() {
        // given: two attempts, but a patience of 30 s, and a call that fails five times
        TransientRetry retry = new TransientRetry(2, BACKOFF, MAX_BACKOFF, Duration.ofSeconds(30), recorder);
        AtomicInteger calls = new AtomicInteger();

        // when
        String result = retry.get(TASK, "verify", () -> {
            if (calls.incrementAndGet() <= 5) {
                throw unavailable(null);
            }
            return "checked";
        });

        // then
        assertThat(result).isEqualTo("checked");
        assertThat(calls).hasValue(6);
        assertThat(retries).hasSize(5).containsOnly("verify");
    }

    @Test
    void withNoPatienceLeftTheRangeFailsAfterTheConfiguredAttempts() {
        // given
        TransientRetry retry = new TransientRetry(3, BACKOFF, MAX_BACKOFF, Duration.ZERO, recorder);
        AtomicInteger calls = new AtomicInteger();

        // when / then
        assertThatThrownBy(() -> retry.get(TASK, "scroll", () -> {
            calls.incrementAndGet();
            throw unavailable(null);
        })).isInstanceOf(PipelineException.RangeFailed.class)
                .hasMessageContaining("range 4").hasCauseInstanceOf(QdrantTransientException.class);
        assertThat(calls).hasValue(3);
    }

    @Test
    void aTransientErrorIsRetriedUntilThePatienceHasPassedSinceTheFirstFailure() {
        // given: one attempt would do, but the patience asks for 300 ms
        TransientRetry retry = new TransientRetry(1, BACKOFF, MAX_BACKOFF, Duration.ofMillis(300), recorder);
        AtomicInteger calls = new AtomicInteger();
        long started = System.nanoTime();

        // when
        assertThatThrownBy(() -> retry.get(TASK, "upsert", () -> {
            calls.incrementAndGet();
            throw unavailable(null);
        })).isInstanceOf(PipelineException.RangeFailed.class);

        // then: a lower bound only (a loaded machine may take longer)
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(calls.get()).isGreaterThan(1);
    }

    @Test
    void aRefusalFailsTheRangeAtOnce() {
        // given
        TransientRetry retry = new TransientRetry(3, BACKOFF, MAX_BACKOFF, Duration.ofSeconds(30), recorder);
        AtomicInteger calls = new AtomicInteger();

        // when / then
        assertThatThrownBy(() -> retry.get(TASK, "verify", () -> {
            calls.incrementAndGet();
            throw new QdrantRequestException("b", "scroll", Status.Code.INVALID_ARGUMENT, "bad", null);
        })).isInstanceOf(PipelineException.RangeFailed.class).hasCauseInstanceOf(QdrantRequestException.class);
        assertThat(calls).hasValue(1);
        assertThat(retries).isEmpty();
    }

    @Test
    void theNextAttemptComesNoSoonerThanTheServerAskedWithRetryAfter() {
        // given: a backoff of 5 ms, but the server asks for 400 ms
        TransientRetry retry = new TransientRetry(3, BACKOFF, MAX_BACKOFF, Duration.ZERO, recorder);
        List<Long> callTimes = new ArrayList<>();

        // when
        retry.get(TASK, "upsert", () -> {
            callTimes.add(System.nanoTime());
            if (callTimes.size() == 1) {
                throw unavailable(Duration.ofMillis(400));
            }
            return null;
        });

        // then
        assertThat(callTimes).hasSize(2);
        assertThat(Duration.ofNanos(callTimes.get(1) - callTimes.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    private static QdrantTransientException unavailable(Duration retryAfter) {
        return new QdrantTransientException("b", "scroll", retryAfter == null ? Status.Code.UNAVAILABLE
                : Status.Code.RESOURCE_EXHAUSTED, "injected", retryAfter, null);
    }
}
