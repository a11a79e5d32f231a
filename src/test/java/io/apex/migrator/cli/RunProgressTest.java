package io.apex.migrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunProgressTest {

    @Test
    void aCopyLineCountsItsPointsAndAnInPlaceLineSaysInPlace() {
        // given
        Run copy = run("docs_v1", "docs_v2", 250);
        Run inPlace = run("docs_v2", "docs_v2", 0);

        // when
        String summary = RunProgress.summary(List.of(copy, inPlace), false);

        // then
        assertThat(summary).contains(copy.id() + "  docs_v1 -> docs_v2  completed  250 points\n")
                .contains(inPlace.id() + "  docs_v2 (in place)  completed\n");
    }

    private static Run run(String source, String target, long copied) {
        Instant now = Instant.now();
        return new Run(UUID.randomUUID(), "c-1", source, target, "docs", 1000, "{}", RunState.COMPLETED, false, 0,
                null, null, null, 0, 0, copied, null, null, null, null, now, null, null, now);
    }
}
