package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.api.PointKey;
import io.apex.migrator.api.PointRange;
import io.apex.migrator.api.RangeVerification;
import io.apex.migrator.state.VerificationStore;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerificationReportTest {

    @Test
    void aRangeWhoseVerifyTaskFailedForGoodIsUnverifiedAndNotCountedAsChecked() {
        // given: a closed pass whose range 1 was reported failed (the run not failed: its replica died in between)
        List<VerificationStore.RangeResult> results = List.of(
                new VerificationStore.RangeResult(0, range(0, 100), "done", equal(1)),
                new VerificationStore.RangeResult(1, range(100, 200), "failed", null),
                new VerificationStore.RangeResult(2, range(200, 300), "skipped", null));

        // when
        List<String> unverified = VerificationReport.unverified(results);
        VerificationReport.PassSummary summary = VerificationReport.PassSummary.of(1, results);

        // then: the summary alone would let the pass through, which is why the failed range must be refused
        assertThat(summary.stillDiffering()).isEmpty();
        assertThat(unverified).containsExactly("1 " + range(100, 200));
    }

    @Test
    void aPassWhoseRangesAllReportedHasNoUnverifiedRange() {
        assertThat(VerificationReport.unverified(List.of(
                new VerificationStore.RangeResult(0, range(0, 100), "done", equal(1))))).isEmpty();
    }

    private static RangeVerification equal(int pass) {
        return new RangeVerification(pass, "s", "s", 100, 100, false, 0, 0, true, 0, 0, 0, List.of());
    }

    private static PointRange range(long from, long to) {
        return new PointRange(PointKey.parse(Long.toString(from)), PointKey.parse(Long.toString(to)));
    }
}
