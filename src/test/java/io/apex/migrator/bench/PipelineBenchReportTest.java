package io.apex.migrator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineBenchReportTest {

    private static final PipelineBench.Scenario ONE_BY_FOUR = new PipelineBench.Scenario(1, 4, 256, 256, false);

    @Test
    void aSpreadIsTheMedianWithTheSmallestAndLargest() {
        assertThat(PipelineBenchReport.spread(new double[] {0.9, 0.7, 0.8})).isEqualTo("median 0.80 (0.70–0.90)");
        assertThat(PipelineBenchReport.spread(new double[] {0.9, 0.7, 0.8, 1.0})).isEqualTo("median 0.85 (0.70–1.00)");
    }

    @Test
    void eachRoundIsComparedWithTheMeanOfTheBareWireLoopsAroundIt() {
        PipelineBench.Result round = result(1, 24_000, 20_000, 40_000);

        assertThat(round.bareWirePointsPerSecond()).isEqualTo(30_000);
        assertThat(round.wireRatio()).isEqualTo(0.8);
    }

    @Test
    void theSummaryGivesEachScenarioOfSeveralRoundsItsSpreadAndTheIdleFleetsCpu() {
        List<PipelineBench.Result> rounds = List.of(result(1, 24_000, 30_000, 30_000), result(2, 27_000, 30_000, 30_000),
                result(3, 21_000, 30_000, 30_000));

        String summary = PipelineBenchReport.summary(rounds);

        assertThat(summary).contains("1 worker(s) x 4, batch 256, page 256: the coordinator and worker(s), idle, used "
                + "2.5 % of one core while the bare wire loops ran")
                .contains("1 worker(s) x 4, batch 256, page 256, 3 rounds: pipeline/bare wire median 0.80 (0.70–0.90); "
                        + "completed/copy median 2.00 (2.00–2.00)");
    }

    @Test
    void aSingleRoundWithoutBareLoopsHasNoSummary() {
        PipelineBench.Result alone = result(1, 24_000, 0, 0);

        assertThat(PipelineBenchReport.summary(List.of(alone))).isEmpty();
    }

    private static PipelineBench.Result result(int round, double pointsPerSecond, double bareWireBefore,
            double bareWireAfter) {
        return new PipelineBench.Result(ONE_BY_FOUR, round, 100_000, 100_000 / pointsPerSecond, pointsPerSecond, 1,
                LatencySummary.ofNanos(List.of(1L)), 100, 1, 300, 300, 0, 0, bareWireBefore, bareWireAfter, 0.025,
                2 * 100_000 / pointsPerSecond, new PipelineBench.Verification(1, 200_000, 3, 0.1), 1024,
                0.02);
    }
}
