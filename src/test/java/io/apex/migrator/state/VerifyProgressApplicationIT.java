package io.apex.migrator.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.BatchProgress;
import io.apex.migrator.api.PointKey;
import io.apex.migrator.api.PointRange;
import io.apex.migrator.api.RangeVerification;
import io.apex.migrator.support.RunStoreDatabase;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A poll of verify reports applied in one run-store transaction on a real PostgreSQL 15, as the tracker applies them:
 * the first report of a range in the current pass counts, a repeat in the same poll or a report of an earlier pass
 * does not, a poll delivered again changes nothing more, and the pass closes once every range reported.
 */
class VerifyProgressApplicationIT {

    private static RunStoreDatabase db;
    private static RunStore runStore;
    private static VerificationStore verifications;

    @BeforeAll
    static void store() throws SQLException {
        db = RunStoreDatabase.create("apex_verify_progress_");
        runStore = db.runStore();
        verifications = new VerificationStore(runStore);
    }

    @Test
    void aPollOfVerifyReportsCountsEachRangeOnceInItsPassAndTheLastClosesThePass() throws SQLException {
        // given: a run of three ranges in its second verification pass
        UUID run = db.plannedRun("dst", 250, List.of(range(0, 100), range(100, 200), new PointRange(key(200), null)));
        assertThat(verifications.startPass(run, 1, true)).isTrue();
        assertThat(verifications.startPass(run, 2, false)).isTrue();
        List<BatchProgress> poll = List.of(
                verified(run, 0, 2),
                verified(run, 1, 1), // a late report of the pass before
                verified(run, 1, 2),
                verified(run, 0, 2)); // the same range twice in one poll (a worker's retry)

        // when
        List<RunStore.ProgressOutcome> first = verifications.apply(poll);
        java.util.Optional<Integer> closedEarly = verifications.closePassIfComplete(run);
        List<RunStore.ProgressOutcome> again = verifications.apply(poll);
        List<RunStore.ProgressOutcome> last = verifications.apply(List.of(verified(run, 2, 2)));

        // then
        assertThat(first).containsExactly(RunStore.ProgressOutcome.APPLIED, RunStore.ProgressOutcome.DUPLICATE,
                RunStore.ProgressOutcome.APPLIED, RunStore.ProgressOutcome.DUPLICATE);
        assertThat(closedEarly).as("closed while range 2 is pending").isEmpty();
        assertThat(again).containsOnly(RunStore.ProgressOutcome.DUPLICATE);
        assertThat(last).containsExactly(RunStore.ProgressOutcome.APPLIED);
        List<VerificationStore.RangeResult> results = verifications.results(run);
        assertThat(results).extracting(VerificationStore.RangeResult::state).containsExactly("done", "done", "done");
        assertThat(results).extracting(r -> r.verification().pass()).containsExactly(2, 2, 2);
        assertThat(verifications.closePassIfComplete(run)).contains(2);
        assertThat(verifications.closePassIfComplete(run)).as("closed once").isEmpty();
    }

    private static BatchProgress verified(UUID run, int index, int pass) {
        RangeVerification v = new RangeVerification(pass, "s" + index, "s" + index, 100, 100, false, 0, 0, true, 0,
                0, 0, List.of());
        return new BatchProgress(run.toString(), index, BatchKind.VERIFY, BatchProgress.Status.DONE, 100, 5, "w1",
                null, "s" + index, v);
    }

    private static PointRange range(long from, long to) {
        return new PointRange(key(from), key(to));
    }

    private static PointKey key(long id) {
        return PointKey.parse(Long.toString(id));
    }
}
