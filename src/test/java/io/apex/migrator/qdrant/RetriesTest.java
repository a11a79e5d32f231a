package io.apex.migrator.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failsafe.Failsafe;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetriesTest {

    private static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5), 0.25);

    private static QdrantTransientException unavailable() {
        return new QdrantTransientException("c", "count", Status.Code.UNAVAILABLE, "down", null, null);
    }

    @Test
    void transientFailuresAreRetriedUntilTheyPass() {
        // given
        AtomicInteger calls = new AtomicInteger();

        // when
        String result = Failsafe.with(Retries.policy(FAST, "test")).get(() -> {
            if (calls.incrementAndGet() < 3) {
                throw unavailable();
            }
            return "ok";
        });

        // then
        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(3);
    }

    @Test
    void afterMaxAttemptsTheLastTransientFailureSurfaces() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> Failsafe.with(Retries.policy(FAST, "test")).get(() -> {
            calls.incrementAndGet();
            throw unavailable();
        })).isInstanceOf(QdrantTransientException.class);
        assertThat(calls).hasValue(3);
    }

    @Test
    void requestErrorsAreNotRetried() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> Failsafe.with(Retries.policy(FAST, "test")).get(() -> {
            calls.incrementAndGet();
            throw new QdrantRequestException("c", "upsert", Status.Code.INVALID_ARGUMENT, "bad", null);
        })).isInstanceOf(QdrantRequestException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void retryAfterIsWaitedAtLeastEvenWithJitter() {
        // given
        AtomicInteger calls = new AtomicInteger();
        long[] started = new long[2];

        // when
        Failsafe.with(Retries.policy(FAST, "test")).get(() -> {
            started[Math.min(calls.get(), 1)] = System.nanoTime();
            if (calls.incrementAndGet() == 1) {
                throw new QdrantTransientException("c", "upsert", Status.Code.RESOURCE_EXHAUSTED, "rate limited",
                        Duration.ofMillis(300), null);
            }
            return "ok";
        });

        // then: the backoff alone would be at most 5 ms
        assertThat(Duration.ofNanos(started[1] - started[0])).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void equalBackoffBoundsMeanAFixedDelay() {
        AtomicInteger calls = new AtomicInteger();
        RetryPolicy fixed = new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(5), 0);

        assertThatThrownBy(() -> Failsafe.with(Retries.policy(fixed, "test")).get(() -> {
            calls.incrementAndGet();
            throw unavailable();
        })).isInstanceOf(QdrantTransientException.class);
        assertThat(calls).hasValue(2);
    }

    @Test
    void serverDelayIsStretchedSoJitterCannotShortenIt() {
        QdrantTransientException e = new QdrantTransientException("c", "upsert", Status.Code.RESOURCE_EXHAUSTED,
                "", Duration.ofSeconds(3), null);

        assertThat(Retries.serverDelay(e, 0.25)).isEqualTo(Duration.ofMillis(4000));
        assertThat(Retries.serverDelay(unavailable(), 0.25)).isNegative();
    }
}
