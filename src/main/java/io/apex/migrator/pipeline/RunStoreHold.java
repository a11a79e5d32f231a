package io.apex.migrator.pipeline;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.apex.migrator.state.RunStoreException;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Keeps a message whose handling needs the run store until the store answers again, however long it is away; and
 * likewise a command whose rejection Kafka has not acknowledged yet ({@link PipelineException.Unpublished}, retriable).
 * For the coordinator's and the tracker's consumers: their messages (commands, progress reports) must not be
 * dropped nor stop the consumer, and their handlers are idempotent, so handling one again is safe. The Kafka
 * connector keeps polling meanwhile (backpressure pauses the partition), so the consumer stays in its group.
 */
final class RunStoreHold {

    private static final Logger LOGGER = Logger.getLogger(RunStoreHold.class);

    private RunStoreHold() {
    }

    /** Runs {@code handler} until it completes or fails for another reason than an unreachable run store or Kafka. */
    static void untilStored(String what, Duration pause, Runnable handler) {
        RetryPolicy<Object> hold = RetryPolicy.builder()
                .handleIf(RunStoreHold::held)
                .withMaxRetries(-1)
                .withDelay(pause)
                .onRetry(e -> LOGGER.errorf("%s held (round %s): %s; trying again", what, e.getAttemptCount(),
                        e.getLastException().getMessage()))
                .build();
        Failsafe.with(hold).run(handler::run);
    }

    private static boolean held(Throwable failure) {
        return failure instanceof RunStoreException e && e.storeUnreachable()
                || failure instanceof PipelineException.Unpublished u && u.retriable();
    }
}
