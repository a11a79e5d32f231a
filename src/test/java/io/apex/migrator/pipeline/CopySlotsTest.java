package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CopySlotsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @Test
    void aSecondMessageCopiesOnlyOnceTheFirstHasLeftTheOneStream() throws Exception {
        // given one stream, held by a first message's copy
        CopySlots slots = new CopySlots(worker(1, 2));
        CountDownLatch firstCopying = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        Thread first = new Thread(() -> slots.run(() -> {
            firstCopying.countDown();
            awaitQuietly(releaseFirst);
        }));
        first.start();
        firstCopying.await();

        // when a second message asks for a stream
        AtomicBoolean secondCopied = new AtomicBoolean();
        Thread second = new Thread(() -> slots.run(() -> secondCopied.set(true)));
        second.start();

        // then it waits until the first's copy is over
        await().atMost(PATIENCE).until(() -> second.getState() == Thread.State.WAITING);
        assertThat(secondCopied).isFalse();
        releaseFirst.countDown();
        second.join(PATIENCE.toMillis());
        assertThat(secondCopied).isTrue();
        first.join(PATIENCE.toMillis());
    }

    @Test
    void aMessageInterruptedWhileWaitingForAStreamFailsWithTheInterruptKept() throws Exception {
        // given the only stream taken
        CopySlots slots = new CopySlots(worker(1, 1));
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CountDownLatch firstCopying = new CountDownLatch(1);
        Thread first = new Thread(() -> slots.run(() -> {
            firstCopying.countDown();
            awaitQuietly(releaseFirst);
        }));
        first.start();
        firstCopying.await();

        // when a waiting message's thread is interrupted (the worker shuts down)
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread waiting = new Thread(() -> {
            try {
                slots.run(() -> { });
            } catch (RuntimeException e) {
                failure.set(e);
                interruptKept.set(Thread.currentThread().isInterrupted());
            }
        });
        waiting.start();
        await().atMost(PATIENCE).until(() -> waiting.getState() == Thread.State.WAITING);
        waiting.interrupt();
        waiting.join(PATIENCE.toMillis());

        // then it gives up without copying, and its thread still says it was interrupted (WorkerStopping follows)
        assertThat(failure.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("interrupted while waiting for a copy stream");
        assertThat(interruptKept).isTrue();
        releaseFirst.countDown();
        first.join(PATIENCE.toMillis());
    }

    @Test
    void fewerMessagesInFlightThanStreamsIsRefusedNamingBothSettings() {
        assertThatThrownBy(() -> new CopySlots(worker(8, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apex.pipeline.worker.messages-in-flight (4)")
                .hasMessageContaining("apex.pipeline.worker.concurrency (8)");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static PipelineConfig.Worker worker(int concurrency, int messagesInFlight) {
        return new PipelineConfig.Worker() {
            @Override
            public int consumers() {
                return 1;
            }

            @Override
            public int concurrency() {
                return concurrency;
            }

            @Override
            public int messagesInFlight() {
                return messagesInFlight;
            }
        };
    }
}
