package io.apex.migrator.pipeline;

import io.apex.migrator.api.Messages;
import io.apex.migrator.api.RangeVerification;
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
     * What one pass found.
     *
     * @param stillDiffering ranges that differ after the last allowed repair, as {@code index [start, end)}
     */
    @RegisterForReflection // stored as JSON in the run store and read back by Jackson
    record PassSummary(int pass, int checked, int differing, int repaired, long repairedPoints, long sourcePoints,
            long targetPoints, List<String> stillDiffering) {

        static PassSummary of(int pass, List<VerificationStore.RangeResult> results) {
            int differing = 0;
            int repaired = 0;
            long repairedPoints = 0;
            long sourcePoints = 0;
            long targetPoints = 0;
            List<String> still = new ArrayList<>();
            for (VerificationStore.RangeResult r : results) {
                RangeVerification v = r.verification();
                if (v == null) {
                    continue;
                }
                differing += v.differed() ? 1 : 0;
                repaired += v.differed() && v.equal() ? 1 : 0;
                repairedPoints += v.repairedPoints();
                sourcePoints += v.sourcePoints();
                targetPoints += v.targetPoints();
                if (!v.equal()) {
                    still.add(r.batchIndex() + " " + r.range());
                }
            }
            return new PassSummary(pass, results.size(), differing, repaired, repairedPoints, sourcePoints,
                    targetPoints, still);
        }
    }

    /** The report of a round of passes (and, once they passed, counts and recall). */
    static Map<String, Object> build(List<VerificationStore.Pass> round, Long sourcePoints, Long targetPoints,
            RecallGate.Result recall, boolean converged) {
        List<Map<String, Object>> passes = new ArrayList<>();
        int checked = 0;
        int differing = 0;
        int repaired = 0;
        long repairedPoints = 0;
        long checkedPoints = 0;
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
            m.put("durationMs", millis(p.startedAt(), p.closedAt()));
            if (p.updatedCopied() != null) {
                m.put("updatedAtCopied", p.updatedCopied());
            }
            passes.add(m);
            checked += s.checked();
            differing += s.differing();
            repaired += s.repaired();
            repairedPoints += s.repairedPoints();
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
        report.put("stillDiffering", still);
        report.put("catchUpConverged", converged);
        if (sourcePoints != null) {
            report.put("sourcePoints", sourcePoints);
            report.put("targetPoints", targetPoints);
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
