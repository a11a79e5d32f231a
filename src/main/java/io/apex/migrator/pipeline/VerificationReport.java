package io.apex.migrator.pipeline;

import io.apex.migrator.api.BatchProgress;
import io.apex.migrator.api.Messages;
import io.apex.migrator.api.RangeVerification;
import io.apex.migrator.live.ExactCounts;
import io.apex.migrator.state.VerificationStore;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The verification report stored with the run and carried in the {@code verified} (or {@code failed}) event's
 * {@code details.verification}: per pass what was checked, what differed and what was repaired, the totals,
 * the exact counts, the recall gate and the time it all took.
 */
final class VerificationReport {

    private VerificationReport() {
    }

    /**
     * The ranges of a pass whose verify task failed for good, as {@code index [start, end)}: they were not checked. The
     * tracker fails the run when such a report arrives; if its replica died after storing the report and before
     * failing the run, the redelivered report is a repeat and changes nothing, so the pass's closing must refuse them.
     */
    static List<String> unverified(List<VerificationStore.RangeResult> results) {
        return results.stream().filter(r -> BatchProgress.Status.FAILED.wireName().equals(r.state()))
                .map(r -> r.batchIndex() + " " + r.range()).toList();
    }

    /**
     * What one pass found.
     *
     * @param differing ranges whose checksums differed when first compared
     * @param repaired ranges made equal with at least one point repaired by checksum
     * @param repairedPoints points repaired by checksum (a re-sync made them equal: bypassed or lost writes)
     * @param differingPoints points that made the differing ranges differ
     * @param convergedByStream of those, points the capture stream made equal (writes in flight)
     * @param resyncedPoints points re-synced by the repairs (what they wrote or deleted)
     * @param stillDiffering ranges that differ after the last allowed repair, as {@code index [start, end)} and
     *     some of their points
     */
    @RegisterForReflection // stored as JSON in the run store and read back by Jackson
    record PassSummary(int pass, int checked, int differing, int repaired, long repairedPoints, long sourcePoints,
            long targetPoints, List<String> stillDiffering, long differingPoints, long convergedByStream,
            long resyncedPoints) {

        PassSummary {
            stillDiffering = stillDiffering == null ? List.of() : List.copyOf(stillDiffering);
        }

        static PassSummary of(int pass, List<VerificationStore.RangeResult> results) {
            int differing = 0;
            int repaired = 0;
            long repairedPoints = 0;
            long sourcePoints = 0;
            long targetPoints = 0;
            long differingPoints = 0;
            long converged = 0;
            long resynced = 0;
            List<String> still = new ArrayList<>();
            for (VerificationStore.RangeResult r : results) {
                RangeVerification v = r.verification();
                if (v == null) {
                    continue;
                }
                differing += v.differed() ? 1 : 0;
                repaired += v.repairedPoints() > 0 && v.equal() ? 1 : 0;
                repairedPoints += v.repairedPoints();
                sourcePoints += v.sourcePoints();
                targetPoints += v.targetPoints();
                differingPoints += v.differingPoints();
                converged += v.convergedByStream();
                resynced += v.resyncedPoints();
                if (!v.equal()) {
                    still.add(r.batchIndex() + " " + r.range() + (v.stillDifferingPoints().isEmpty() ? ""
                            : " points " + String.join(", ", v.stillDifferingPoints())));
                }
            }
            return new PassSummary(pass, results.size(), differing, repaired, repairedPoints, sourcePoints,
                    targetPoints, still, differingPoints, converged, resynced);
        }

        /**
         * Whether another catch-up pass is worth it: points had to be repaired by checksum, so something writes
         * around the capture and may have changed ranges this pass had already checked. Differences the stream
         * explained need none: the stream keeps applying the writes after the pass as during it.
         */
        boolean needsCatchUp() {
            return repairedPoints > 0;
        }
    }

    /** The report of a round of passes (and, once they passed, counts and recall). */
    /**
     * The report of a round of passes, with the exact counts as last taken ({@code counts}, null before; differing
     * counts {@code countsDeferred} to the cutover hold), and the writes the capture stream applied for the run
     * ({@code capturedWrites}, null when unknown).
     */
    static Map<String, Object> build(List<VerificationStore.Pass> round, ExactCounts.Result counts,
            boolean countsDeferred, RecallGate.Result recall, boolean converged, Long capturedWrites) {
        List<Map<String, Object>> passes = new ArrayList<>();
        int checked = 0;
        int differing = 0;
        int repaired = 0;
        long repairedPoints = 0;
        long checkedPoints = 0;
        long convergedByStream = 0;
        long resyncedPoints = 0;
        List<String> still = List.of();
        for (VerificationStore.Pass p : round) {
            PassSummary s = read(p.summaryJson());
            if (s == null) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pass", s.pass());
            m.put("rangesChecked", s.checked());
            m.put("differing", s.differing());
            m.put("repaired", s.repaired());
            m.put("repairedPoints", s.repairedPoints());
            m.put("differingPoints", s.differingPoints());
            m.put("convergedByStream", s.convergedByStream());
            m.put("resyncedPoints", s.resyncedPoints());
            m.put("durationMs", millis(p.startedAt(), p.closedAt()));
            if (p.updatedCopied() != null) {
                m.put("updatedAtCopied", p.updatedCopied());
            }
            passes.add(m);
            checked += s.checked();
            differing += s.differing();
            repaired += s.repaired();
            repairedPoints += s.repairedPoints();
            convergedByStream += s.convergedByStream();
            resyncedPoints += s.resyncedPoints();
            checkedPoints += s.sourcePoints() + s.targetPoints();
            still = s.stillDiffering();
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("checks", recall != null && !recall.quantizedVectors().isEmpty()
                ? List.of("range-checksums", "exact-count", "recall@10") : List.of("range-checksums", "exact-count"));
        report.put("passes", passes.size());
        report.put("rangesChecked", checked);
        report.put("differing", differing);
        report.put("repaired", repaired);
        report.put("repairedPoints", repairedPoints);
        report.put("convergedByStream", convergedByStream);
        report.put("resyncedPoints", resyncedPoints);
        report.put("stillDiffering", still);
        report.put("catchUpConverged", converged);
        if (capturedWrites != null) {
            report.put("capturedWrites", capturedWrites);
            report.put("writes", capturedWrites + " writes arrived through the proxy, " + convergedByStream
                    + " differing points were explained by captures in flight, " + repairedPoints
                    + " points repaired by checksums");
        }
        if (counts != null) {
            report.put("sourcePoints", counts.sourcePoints());
            report.put("targetPoints", counts.targetPoints());
            report.put("exactCounts", counts.equal() ? "equal" : countsDeferred ? ExactCounts.DEFERRED : "differ");
            report.put("countAttempts", counts.attempts());
        }
        long duration = round.isEmpty() ? 0 : millis(round.get(0).startedAt(), Instant.now());
        report.put("durationMs", duration);
        report.put("pointsChecked", checkedPoints);
        if (recall != null) {
            report.put("recall", recall.asMap());
        }
        report.put("passDetails", passes);
        return report;
    }

    private static long millis(Instant from, Instant to) {
        return from == null || to == null ? 0 : Duration.between(from, to).toMillis();
    }

    private static PassSummary read(String json) {
        if (json == null) {
            return null;
        }
        try {
            return Messages.get().mapper().readValue(json, PassSummary.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
