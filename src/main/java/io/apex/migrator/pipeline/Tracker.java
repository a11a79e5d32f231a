package io.apex.migrator.pipeline;

import io.apex.migrator.CrashPoint;
import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.BatchProgress;
import io.apex.migrator.state.CopyTally;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.state.VerificationStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Applies progress reports to the run store, idempotently: the first report of a range counts, a repeat changes
 * nothing. What follows a report that completes the copy or a verification pass is not done here, on the Kafka
 * consumer's thread, but by the {@link RunDriver} it wakes (on the lifecycle pool, under the run's lease); if this
 * replica dies in between, another one's reconciler finds the run in the stored state and drives it on.
 */
@ApplicationScoped
public class Tracker {

    private static final Logger LOGGER = Logger.getLogger(Tracker.class);

    private final RunStore runStore;
    private final VerificationStore verifications;
    private final RunFinisher finisher;
    private final RunDriver driver;

    @Inject
    public Tracker(RunStore runStore, VerificationStore verifications, RunFinisher finisher, RunDriver driver) {
        this.runStore = runStore;
        this.verifications = verifications;
        this.finisher = finisher;
        this.driver = driver;
    }

    public void apply(BatchProgress progress) {
        applyAll(List.of(progress));
    }

    /**
     * Applies a poll's reports: the copy reports in one run-store transaction, then each run's copy check once, then
     * the verification reports in one transaction, then each run's pass check once. Applying them again (a
     * redelivered poll) changes nothing more.
     */
    public void applyAll(List<BatchProgress> reports) {
        List<BatchProgress> copies = reports.stream().filter(p -> p.kind() != BatchKind.VERIFY).toList();
        RunStore.ProgressApplied applied = copies.isEmpty() ? new RunStore.ProgressApplied(List.of(), Map.of())
                : runStore.applyProgress(copies);
        List<RunStore.ProgressOutcome> outcomes = applied.outcomes();
        Set<UUID> toCheck = new LinkedHashSet<>();
        for (int i = 0; i < copies.size(); i++) {
            BatchProgress progress = copies.get(i);
            UUID runId = UUID.fromString(progress.runId());
            RunStore.ProgressOutcome outcome = outcomes.get(i);
            if (outcome == RunStore.ProgressOutcome.UNKNOWN) {
                LOGGER.debugf("run %s: progress of range %s is of no known run", runId, progress.batchIndex());
            } else if (progress.status() == BatchProgress.Status.FAILED) {
                if (outcome == RunStore.ProgressOutcome.APPLIED) {
                    runStore.findRun(runId).ifPresent(run -> failRange(run, progress));
                }
            } else {
                // a repeat too: its first delivery was applied but the copy check may not have run (the replica died)
                toCheck.add(runId);
            }
        }
        // the poll's update returned the tally of each run it moved; a run it did not move (only repeats) is read
        toCheck.forEach(runId -> checkCopied(runId, Optional.ofNullable(applied.tallies().get(runId))
                .or(() -> runStore.findRun(runId).map(CopyTally::of))));
        List<BatchProgress> verifies = reports.stream().filter(p -> p.kind() == BatchKind.VERIFY).toList();
        if (!verifies.isEmpty()) {
            applyVerifies(verifies);
        }
    }

    /**
     * The verification reports of a poll: applied together, then a run whose range failed is failed, then each run
     * with a range done tries to close its pass once (a failed run no longer verifies, so its pass stays open).
     */
    private void applyVerifies(List<BatchProgress> reports) {
        List<RunStore.ProgressOutcome> outcomes = verifications.apply(reports);
        Set<UUID> toClose = new LinkedHashSet<>();
        for (int i = 0; i < reports.size(); i++) {
            BatchProgress progress = reports.get(i);
            UUID runId = UUID.fromString(progress.runId());
            if (outcomes.get(i) == RunStore.ProgressOutcome.APPLIED
                    && progress.status() == BatchProgress.Status.FAILED) {
                runStore.findRun(runId).ifPresent(run -> {
                    CrashPoint.reached(CrashPoint.AFTER_FAILED_VERIFY_STORED, run.source());
                    finisher.fail(run, "verification of range " + progress.batchIndex() + " failed: "
                            + progress.reason());
                });
            } else if (progress.status() == BatchProgress.Status.DONE) {
                // a repeat too: closing is idempotent, and a repeated report closes a pass whose first closing
                // attempt never ran (the replica died)
                toClose.add(runId);
            }
        }
        toClose.forEach(this::closePassIfComplete);
    }

    private void closePassIfComplete(UUID runId) {
        Optional<Run> run = runStore.findRun(runId).filter(r -> r.state() == RunState.VERIFYING);
        if (run.isEmpty()) {
            return;
        }
        Optional<Integer> closed = verifications.closePassIfComplete(runId);
        if (closed.isEmpty()) {
            CrashPoint.reached(CrashPoint.MID_VERIFICATION, run.get().source());
            return;
        }
        CrashPoint.reached(CrashPoint.AFTER_PASS_CLOSED, run.get().source());
        driver.wake(runId);
    }

    private void failRange(Run run, BatchProgress progress) {
        finisher.publishBatchFailed(run, progress);
        finisher.fail(run, "range " + progress.batchIndex() + " failed: " + progress.reason());
    }

    /** Wakes the run's driver if all its ranges are copied (also used for a plan without ranges). */
    public void checkCopied(UUID runId) {
        checkCopied(runId, runStore.findRun(runId).map(CopyTally::of));
    }

    private void checkCopied(UUID runId, Optional<CopyTally> tally) {
        if (tally.isPresent() && tally.get().allRangesCopied()) {
            driver.wake(runId);
        }
    }
}
