package io.apex.migrator.pipeline;

import io.apex.migrator.api.BatchProgress;
import io.apex.migrator.api.BatchTask;
import java.util.List;

/**
 * What a worker did with a batches message: one report per range, in the message's order. When a range failed for
 * good, {@code failure} says why and {@code failedRange} which; the message's ranges are then all reported, those not
 * confirmed copied as failed, so the tracker never waits for a range of a dead-lettered message.
 */
public record MessageOutcome(List<BatchProgress> reports, BatchTask failedRange, RuntimeException failure) {

    static MessageOutcome done(List<BatchProgress> reports) {
        return new MessageOutcome(List.copyOf(reports), null, null);
    }

    public boolean failed() {
        return failure != null;
    }
}
