package io.apex.migrator.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * One run with what the detail view shows: batch counts, throughput over time, verification, dead letters, and
 * the collection its alias points at now ({@code aliasTarget}; null without an alias or when Qdrant did not answer).
 */
@RegisterForReflection
public record RunDetail(RunView run, BatchCounts batches, List<ThroughputPoint> throughput, JsonNode verification,
        List<DeadLetter> deadLetters, String aliasTarget) {

    /** Copy batches by outcome; "retried" are ranges reported more than once (redelivered or repaired). */
    public record BatchCounts(int ok, int retried, int failed, int pending) {
    }

    /** Points copied per second at second {@code t} (epoch seconds). */
    public record ThroughputPoint(long t, long pointsPerSecond) {
    }

    /** A range that failed for good, with the reason its worker gave. */
    public record DeadLetter(int batchIndex, String start, String end, String reason) {
    }
}
