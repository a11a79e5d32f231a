package io.apex.migrator.pipeline;

import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.BatchProgress;
import io.apex.migrator.api.EventType;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Applies progress reports to the run store, idempotently: the first report of a range counts, a repeat
 * changes nothing. The report that completes the copy moves the run to 'copied' exactly once, even when two
 * trackers race, and that tracker carries on with verification and cutover.
 */
@ApplicationScoped
public class Tracker {

    private static final Logger LOGGER = Logger.getLogger(Tracker.class);

    private final RunStore runStore;
    private final RunFinisher finisher;
    private final EventPublisher events;
    private final BulkLoad bulkLoad;

    @Inject
    public Tracker(RunStore runStore, RunFinisher finisher, EventPublisher events, BulkLoad bulkLoad) {
        this.runStore = runStore;
        this.finisher = finisher;
        this.events = events;
        this.bulkLoad = bulkLoad;
    }

    public void apply(BatchProgress progress) {
        if (progress.kind() == BatchKind.VERIFY) {
            finisher.onVerifyProgress(progress);
            return;
        }
        RunStore.ProgressOutcome outcome = runStore.applyProgress(progress);
        if (outcome == RunStore.ProgressOutcome.DUPLICATE && progress.kind() == BatchKind.COPY
                && progress.status() != BatchProgress.Status.FAILED) {
            // A redelivered report whose first delivery was applied but whose copy check did not run (the run
            // store went away in between) must still move the run on; the check is idempotent.
            checkCopied(UUID.fromString(progress.runId()));
        }
        if (outcome != RunStore.ProgressOutcome.APPLIED) {
            LOGGER.debugf("run %s: progress of range %s %s", progress.runId(), progress.batchIndex(),
                    outcome == RunStore.ProgressOutcome.DUPLICATE ? "was applied before" : "is of no known run");
            return;
        }
        UUID runId = UUID.fromString(progress.runId());
        if (progress.status() == BatchProgress.Status.FAILED) {
            Optional<Run> run = runStore.findRun(runId);
            if (run.isPresent()) {
                events.publishRunEvent(EventType.BATCH_FAILED, RunFinisher.base(run.get()).reason(progress.reason())
                        .details(java.util.Map.of("batchIndex", progress.batchIndex(), "worker",
                                String.valueOf(progress.worker()))).build(), false);
                finisher.fail(run.get(), "range " + progress.batchIndex() + " failed: " + progress.reason());
            }
            return;
        }
        checkCopied(runId);
    }

    /** Moves the run on if all its ranges are copied (also used for a plan without ranges). */
    public void checkCopied(UUID runId) {
        if (runStore.markCopiedIfComplete(runId)) {
            Run run = runStore.findRun(runId).orElseThrow();
            LOGGER.infof("run %s: all %s ranges copied (%s points)", runId, run.plannedBatches(), run.copiedPoints());
            events.publishRunEvent(EventType.COPIED, RunFinisher.base(run).batches(run.plannedBatches())
                    .copiedPoints(run.copiedPoints()).sourcePoints(run.sourcePoints()).build(), true);
            try {
                bulkLoad.end(run);
            } catch (PipelineException | io.apex.migrator.qdrant.QdrantException e) {
                finisher.fail(run, e.getMessage());
                return;
            }
            finisher.afterCopy(runId);
        }
    }
}
