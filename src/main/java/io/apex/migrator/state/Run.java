package io.apex.migrator.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A run as the run store holds it, with its derived throughput and ETA. */
public record Run(
        UUID id,
        String commandId,
        String source,
        String target,
        String alias,
        int batchSize,
        String commandJson,
        RunState state,
        boolean paused,
        int maxPointsPerSecond,
        Long sourcePoints,
        Long targetPoints,
        Integer plannedBatches,
        int doneBatches,
        int failedBatches,
        long copiedPoints,
        String previousCollection,
        Long aliasGapMs,
        String failure,
        String summaryJson,
        Instant createdAt,
        Instant copyStartedAt,
        Instant copiedAt,
        Instant finishedAt) {

    /** Points per second since the copy started (0 before). */
    public double pointsPerSecond(Instant now) {
        if (copyStartedAt == null || copiedPoints == 0) {
            return 0;
        }
        Instant end = copiedAt != null ? copiedAt : now;
        double seconds = Math.max(0.001, Duration.between(copyStartedAt, end).toMillis() / 1000.0);
        return copiedPoints / seconds;
    }

    /** Time left at the current rate; empty while unknown. */
    public Optional<Duration> eta(Instant now) {
        if (state.isFinal() || copiedAt != null) {
            return Optional.of(Duration.ZERO);
        }
        double rate = pointsPerSecond(now);
        if (sourcePoints == null || rate <= 0) {
            return Optional.empty();
        }
        long remaining = Math.max(0, sourcePoints - copiedPoints);
        return Optional.of(Duration.ofMillis((long) (remaining / rate * 1000)));
    }

    /** Duration from acceptance to the end (or now). */
    public Duration duration(Instant now) {
        return Duration.between(createdAt, finishedAt != null ? finishedAt : now);
    }
}
