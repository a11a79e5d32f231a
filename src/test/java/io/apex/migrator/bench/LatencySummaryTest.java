package io.apex.migrator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {

    @Test
    void percentilesUseTheNearestRank() {
        // given 1..100 ms
        List<Long> nanos = LongStream.rangeClosed(1, 100).map(ms -> ms * 1_000_000).boxed().toList();

        // when
        LatencySummary s = LatencySummary.ofNanos(nanos);

        // then
        assertThat(s.p50Ms()).isEqualTo(50.0);
        assertThat(s.p90Ms()).isEqualTo(90.0);
        assertThat(s.p99Ms()).isEqualTo(99.0);
        assertThat(s.samples()).isEqualTo(100);
    }

    @Test
    void noSamplesIsAnError() {
        assertThatThrownBy(() -> LatencySummary.ofNanos(List.of())).hasMessageContaining("no latency samples");
    }

    @Test
    void recallCountsTheExactTopKFoundByTheApproximateSearch() {
        assertThat(Recall.atK(List.of(1, 2, 3, 4), List.of(4, 9, 2, 8), 4)).isEqualTo(0.5);
        assertThat(Recall.atK(List.of(1, 2), List.of(1, 2, 3), 2)).isEqualTo(1.0);
        assertThat(Recall.atK(List.of(1, 2, 3), List.of(), 3)).isEqualTo(0.0);
    }
}
