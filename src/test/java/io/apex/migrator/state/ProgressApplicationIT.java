package io.apex.migrator.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.BatchProgress;
import io.apex.migrator.api.PointKey;
import io.apex.migrator.api.PointRange;
import io.apex.migrator.support.RunStoreDatabase;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A poll's progress reports applied in one run-store transaction on a real PostgreSQL 15: each counts once (also
 * when the poll holds it twice), each run's counters move by the first delivery of each of its ranges only (also
 * when the poll holds reports of several runs), a report of no known run changes nothing, and the same poll delivered
 * again changes nothing more.
 */
class ProgressApplicationIT {

    private static RunStoreDatabase db;
    private static RunStore runStore;

    @BeforeAll
    static void store() throws SQLException {
        db = RunStoreDatabase.create("apex_progress_");
        runStore = db.runStore();
    }

    @Test
    void aPollOfReportsCountsEachRangeOnceAndARedeliveredPollChangesNothing() throws SQLException {
        // given: a planned run of three ranges, and another of two
        UUID run = db.plannedRun("dst", 250, List.of(range(0, 100), range(100, 200), new PointRange(key(200), null)));
        UUID other = db.plannedRun("dst_other", 80, List.of(range(0, 50), new PointRange(key(50), null)));
        List<BatchProgress> poll = List.of(
                done(run, 0, 100),
                done(other, 1, 30),
                done(run, 1, 100),
                done(run, 0, 100), // the same range twice in one poll (a worker's retry)
                done(UUID.randomUUID(), 0, 7), // a run this store does not know
                new BatchProgress(run.toString(), 2, BatchKind.COPY, BatchProgress.Status.FAILED, 0, 3, "w1",
                        "refused", null, null),
                done(other, 0, 50));

        // when
        RunStore.ProgressApplied first = runStore.applyProgress(poll);
        RunStore.ProgressApplied again = runStore.applyProgress(poll);

        // then
        assertThat(first.outcomes()).containsExactly(RunStore.ProgressOutcome.APPLIED, RunStore.ProgressOutcome.APPLIED,
                RunStore.ProgressOutcome.APPLIED, RunStore.ProgressOutcome.DUPLICATE, RunStore.ProgressOutcome.UNKNOWN,
                RunStore.ProgressOutcome.APPLIED, RunStore.ProgressOutcome.APPLIED);
        assertThat(again.outcomes()).containsExactly(RunStore.ProgressOutcome.DUPLICATE, RunStore.ProgressOutcome.DUPLICATE,
                RunStore.ProgressOutcome.DUPLICATE, RunStore.ProgressOutcome.DUPLICATE,
                RunStore.ProgressOutcome.UNKNOWN, RunStore.ProgressOutcome.DUPLICATE,
                RunStore.ProgressOutcome.DUPLICATE);
        Run stored = runStore.findRun(run).orElseThrow();
        assertThat(stored.doneBatches()).isEqualTo(2);
        assertThat(stored.failedBatches()).isEqualTo(1);
        assertThat(stored.copiedPoints()).isEqualTo(200);
        List<BatchRecord> batches = runStore.batches(run, BatchKind.COPY);
        assertThat(batches).extracting(BatchRecord::state).containsExactly("done", "done", "failed");
        assertThat(batches).extracting(BatchRecord::reports).containsExactly(4, 2, 2);
        assertThat(batches.get(2).reason()).isEqualTo("refused");
        Run storedOther = runStore.findRun(other).orElseThrow();
        assertThat(storedOther.doneBatches()).isEqualTo(2);
        assertThat(storedOther.failedBatches()).isZero();
        assertThat(storedOther.copiedPoints()).isEqualTo(80);
        assertThat(runStore.batches(other, BatchKind.COPY)).extracting(BatchRecord::reports).containsExactly(2, 2);
        assertThat(first.tallies()).containsOnlyKeys(run, other);
        assertThat(first.tallies().get(run)).isEqualTo(CopyTally.of(stored));
        assertThat(first.tallies().get(other)).isEqualTo(CopyTally.of(storedOther));
        assertThat(again.tallies()).isEmpty();
    }

    @Test
    void eachPollReturnsTheTallyOfTheRunsItMovedAsStoredSoCompletionNeedsNoReadBack() throws SQLException {
        // given: a planned run of two ranges
        UUID run = db.plannedRun("dst_tally", 150, List.of(range(0, 100), new PointRange(key(100), null)));

        // when: its first range is reported, then its last, then the last again (a redelivered poll)
        RunStore.ProgressApplied first = runStore.applyProgress(List.of(done(run, 0, 100)));
        RunStore.ProgressApplied last = runStore.applyProgress(List.of(done(run, 1, 50)));
        RunStore.ProgressApplied repeated = runStore.applyProgress(List.of(done(run, 1, 50)));

        // then: each poll that moved the run returns its counters as stored, and only the last is complete
        Run stored = runStore.findRun(run).orElseThrow();
        assertThat(first.tallies()).containsOnlyKeys(run);
        assertThat(first.tallies().get(run).doneBatches()).isEqualTo(1);
        assertThat(first.tallies().get(run).allRangesCopied()).isFalse();
        assertThat(last.tallies().get(run)).isEqualTo(CopyTally.of(stored));
        assertThat(last.tallies().get(run)).isEqualTo(new CopyTally(stored.state(), 2, 2, 0));
        assertThat(last.tallies().get(run).allRangesCopied()).isTrue();
        assertThat(repeated.outcomes()).containsExactly(RunStore.ProgressOutcome.DUPLICATE);
        assertThat(repeated.tallies()).isEmpty();
    }

    private static BatchProgress done(UUID run, int index, long points) {
        return new BatchProgress(run.toString(), index, BatchKind.COPY, BatchProgress.Status.DONE, points, 5, "w1",
                null, null, null);
    }

    private static PointRange range(long from, long to) {
        return new PointRange(key(from), key(to));
    }

    private static PointKey key(long id) {
        return PointKey.parse(Long.toString(id));
    }
}
