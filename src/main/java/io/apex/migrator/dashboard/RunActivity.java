package io.apex.migrator.dashboard;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/** What the run views beside the progress bar show: the range map, the workers, the event timeline. */
public final class RunActivity {

    private RunActivity() {
    }

    /**
     * One cell of the range map.
     *
     * @param index the range's position in the plan
     * @param start first id of the range (inclusive)
     * @param end first id after it; null for the last range (open end)
     * @param state where the range is
     * @param copy its copy
     * @param verify its verification in the current pass; null before verification reached the range
     * @param repairedPoints points of the range re-synced by verification, over all passes
     */
    @RegisterForReflection
    public record RangeCell(int index, String start, String end, RangeState state, Work copy, Work verify,
            long repairedPoints) {
    }

    /**
     * A worker's part in a range (the copy or the verification of the current pass).
     *
     * @param state the row's state: pending, done, failed, skipped
     * @param worker the worker that took it last (null before one did)
     * @param attempts how often a worker took it (more than once: redelivered after a worker stopped)
     * @param failedAttempts attempts that failed and were retried
     * @param durationMs as reported; while a worker holds it, how long it has held it so far
     * @param points points copied or checked (once reported)
     * @param error the error of its last failed attempt, or why it failed for good
     * @param pass the verification pass (verify rows)
     */
    @RegisterForReflection
    public record Work(String state, String worker, int attempts, int failedAttempts, Long durationMs, Long points,
            String error, Integer pass) {
    }

    /**
     * The workers that took part in a run.
     *
     * @param replicas worker replicas seen on the run's ranges
     */
    @RegisterForReflection
    public record Workers(int replicas, List<WorkerView> workers) {
    }

    /**
     * One worker replica's share of a run.
     *
     * @param rangesCopied copy ranges it reported done
     * @param rangesVerified verify ranges of the current pass it reported done
     * @param inFlight ranges it holds now
     * @param pointsCopied points of the ranges it copied
     * @param pointsPerSecond those points over the time from its first range taken to its last copy reported
     * @param failedAttempts attempts of its ranges that failed and were retried
     * @param lastSeen its last report or range taken
     */
    @RegisterForReflection
    public record WorkerView(String worker, int rangesCopied, int rangesVerified, int inFlight, long pointsCopied,
            double pointsPerSecond, int failedAttempts, Instant lastSeen) {
    }

    /**
     * One lifecycle event of the run, as recorded in the run store's outbox.
     *
     * @param summary the event's facts in a line (points, ranges, alias, version)
     * @param reason why (rejections, failures)
     * @param sent the outbox relay has sent it to the events topic
     */
    @RegisterForReflection
    public record TimelineEntry(long seq, Instant time, String type, String summary, String reason, boolean sent) {
    }
}
