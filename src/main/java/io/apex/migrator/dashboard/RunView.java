package io.apex.migrator.dashboard;

import io.apex.migrator.state.Run;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.UUID;

/** One run as the dashboard lists it. */
@RegisterForReflection
public record RunView(UUID id, String state, boolean paused, String source, String target, String alias,
        Long sourcePoints, long copiedPoints, double progress, double pointsPerSecond, Long etaSeconds,
        Integer plannedBatches, int doneBatches, int failedBatches, String failure, Instant createdAt,
        Instant finishedAt) {

    static RunView of(Run run, Instant now) {
        double progress = run.state().isFinal() && run.failure() == null && run.finishedAt() != null
                && "completed".equals(run.state().db()) ? 1.0
                : run.sourcePoints() == null || run.sourcePoints() == 0 ? 0.0
                : Math.min(1.0, (double) run.copiedPoints() / run.sourcePoints());
        return new RunView(run.id(), run.state().db(), run.paused(), run.source(), run.target(), run.alias(),
                run.sourcePoints(), run.copiedPoints(), progress, run.pointsPerSecond(now),
                run.eta(now).map(d -> d.toSeconds()).orElse(null), run.plannedBatches(), run.doneBatches(),
                run.failedBatches(), run.failure(), run.createdAt(), run.finishedAt());
    }
}
