package io.apex.migrator.pipeline;

import io.apex.migrator.state.RunStoreException;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Keeps a message whose handling needs the run store until the store answers again, however long it is away.
 * For the coordinator's and the tracker's consumers: their messages (commands, progress reports) must not be
 * dropped nor stop the consumer, and their handlers are idempotent, so handling one again is safe. The Kafka
 * connector keeps polling meanwhile (backpressure pauses the partition), so the consumer stays in its group.
 */
final class RunStoreHold {

    private static final Logger LOGGER = Logger.getLogger(RunStoreHold.class);

    private RunStoreHold() {
    }

    /** Runs {@code handler} until it completes or fails for another reason than an unreachable run store. */
    static void untilStored(String what, Duration pause, Runnable handler) {
        for (int round = 1; ; round++) {
            try {
                handler.run();
                return;
            } catch (RunStoreException e) {
                if (!e.storeUnreachable()) {
                    throw e;
                }
                LOGGER.errorf("%s held (round %s): %s; trying again", what, round, e.getMessage());
                Worker.sleep(pause.toMillis());
            }
        }
    }
}
