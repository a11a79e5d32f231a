package io.apex.migrator.release;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A release as {@code status} and the dashboard show it: its state, and per part the store, the version or alias, the
 * part's state and its progress.
 *
 * @param actions what an operator can do with it now: {@code cutover}, {@code cancel}, {@code rollback}
 */
@RegisterForReflection
public record ReleaseView(UUID id, String name, String commandId, String state, String failedPart, String failure,
        Instant createdAt, Instant finishedAt, List<Part> parts, List<String> actions) {

    /**
     * One part.
     *
     * @param store {@code postgres}, {@code neo4j} or {@code qdrant}
     * @param subject the store, or the alias
     * @param previous the version or collection before the release ({@code null} until the part began)
     * @param target the version or collection the release brings it to
     * @param state pending, running, done, failed, cancelled or rolled-back
     * @param progress 0..1: a schema part 0 or 1, a copy its copied share of the source's points
     * @param progressText the progress in words, e.g. "1,200 / 3,000 points (verifying)"
     * @param runId the run that copies a Qdrant part
     */
    @RegisterForReflection
    public record Part(int position, String store, String subject, String previous, String target, String state,
            double progress, String progressText, String detail, UUID runId) {
    }
}
