package io.apex.migrator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RangeStateTest {

    private static final RangeState.Row PENDING = row("pending", false, null, false, null);
    private static final RangeState.Row TAKEN = row("pending", true, null, false, null);
    private static final RangeState.Row RETRYING = row("pending", true, "upsert: UNAVAILABLE", false, null);
    private static final RangeState.Row DONE = row("done", true, null, false, null);
    private static final RangeState.Row EQUAL = row("done", true, null, false, true);
    private static final RangeState.Row STILL_DIFFERENT = row("done", true, null, false, false);
    private static final RangeState.Row FAILED_LOCALLY = row("failed", true, "INVALID_ARGUMENT", false, null);
    private static final RangeState.Row DEAD = row("failed", true, "INVALID_ARGUMENT", true, null);

    static Stream<Arguments> ranges() {
        return Stream.of(
                argumentSet("planned, not taken", PENDING, null, 0L, RangeState.PENDING),
                argumentSet("taken by a worker", TAKEN, null, 0L, RangeState.COPYING),
                argumentSet("an attempt failed, retried", RETRYING, null, 0L, RangeState.FAILED),
                argumentSet("copied, verification not started", DONE, null, 0L, RangeState.COPIED),
                argumentSet("copied, its verify task waiting", DONE, PENDING, 0L, RangeState.COPIED),
                argumentSet("being verified", DONE, TAKEN, 0L, RangeState.VERIFYING),
                argumentSet("verified equal", DONE, EQUAL, 0L, RangeState.VERIFIED),
                argumentSet("made equal by a re-sync", DONE, EQUAL, 3L, RangeState.REPAIRED),
                argumentSet("repaired in an earlier pass, waiting for the next", DONE, PENDING, 3L, RangeState.REPAIRED),
                argumentSet("still different after the last repair", DONE, STILL_DIFFERENT, 3L, RangeState.FAILED),
                argumentSet("copy failed for good without a dead-letter topic", FAILED_LOCALLY, null, 0L,
                        RangeState.FAILED),
                argumentSet("copy dead-lettered", DEAD, null, 0L, RangeState.DEAD_LETTERED),
                argumentSet("verify task dead-lettered", DONE, DEAD, 0L, RangeState.DEAD_LETTERED),
                argumentSet("its run ended before it was copied", row("skipped", true, null, false, null), null, 0L,
                        RangeState.PENDING));
    }

    @ParameterizedTest
    @MethodSource("ranges")
    void aRangeIsColouredByWhereItIs(RangeState.Row copy, RangeState.Row verify, long repairedPoints,
            RangeState expected) {
        // when
        RangeState state = RangeState.of(copy, verify, repairedPoints);

        // then
        assertThat(state).isEqualTo(expected);
    }

    private static RangeState.Row row(String state, boolean started, String error, boolean dead, Boolean equal) {
        return new RangeState.Row(state, started, error, dead, equal);
    }
}
