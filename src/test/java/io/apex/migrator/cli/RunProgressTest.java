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

    @Test
    void aRunWaitingForItsCutoverSaysHowToGiveTheGoAheadAndWhyTheGateHeldItWhenItDid() {
        // given: one verified and waiting; one whose readiness gate gave up on a target still indexing
        Run waiting = run("docs_v1", "docs_v2", 250, RunState.READY_FOR_CUTOVER, null);
        Run indexing = run("docs_v1", "docs_v3", 250, RunState.READY_FOR_CUTOVER,
                "{\"readiness\":{\"ready\":false,\"status\":\"yellow\",\"reason\":\"status yellow; 10 of 990 "
                        + "required vectors indexed\"}}");

        // when
        String summary = RunProgress.summary(List.of(waiting, indexing), true);

        // then
        assertThat(summary).contains(waiting.id() + "  docs_v1 -> docs_v2  ready-for-cutover  250 points\n"
                + "  verified, waiting for its cutover; give the go-ahead with: apex-migrator qdrant cutover "
                + waiting.id() + " --local\n");
        assertThat(summary).contains(indexing.id() + "  docs_v1 -> docs_v3  ready-for-cutover  250 points\n"
                + "  verified; target not ready to serve yet (status yellow; 10 of 990 required vectors indexed); "
                + "give the go-ahead once it is: apex-migrator qdrant cutover " + indexing.id() + " --local\n");
    }

    private static Run run(String source, String target, long copied) {
        return run(source, target, copied, RunState.COMPLETED, null);
    }

    private static Run run(String source, String target, long copied, RunState state, String summaryJson) {
        Instant now = Instant.now();
        return new Run(UUID.randomUUID(), "c-1", source, target, "docs", 1000, "{}", state, false, 0,
                null, null, null, 0, 0, copied, null, null, null, summaryJson, now, null, null,
                state.isFinal() ? now : null);
    }
}
