package io.apex.migrator.pipeline;

import io.apex.migrator.CrashPoint;
import io.apex.migrator.api.EventType;
import io.apex.migrator.qdrant.QdrantException;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The next step of a run, chosen by its stored state alone (see {@link RunDriver}): true when the step moved the run
 * on (take the next one), false when the run now waits for something outside (the workers' reports, an operator).
 */
@ApplicationScoped
public class RunSteps {

    private static final Logger LOGGER = Logger.getLogger(RunSteps.class);

    private final RunStore runStore;
    private final Coordinator coordinator;
    private final BulkLoad bulkLoad;
    private final RunFinisher finisher;
    private final CutoverStep cutover;
    private final InPlaceGates inPlaceGates;

    @Inject
    public RunSteps(RunStore runStore, Coordinator coordinator, BulkLoad bulkLoad, RunFinisher finisher,
            CutoverStep cutover, InPlaceGates inPlaceGates) {
        this.inPlaceGates = inPlaceGates;
        this.runStore = runStore;
        this.coordinator = coordinator;
        this.bulkLoad = bulkLoad;
        this.finisher = finisher;
        this.cutover = cutover;
    }

    boolean step(Run run) {
        return switch (run.state()) {
            case ACCEPTED, PLANNED -> coordinator.resume(run);
            case COPYING -> markCopiedIfComplete(run);
            case COPIED -> startVerification(run);
            case VERIFYING -> InPlaceChange.of(run) ? inPlaceGates.step(run) : finisher.verificationStep(run);
            case VERIFIED -> finisher.afterVerified(run);
            case READY_FOR_CUTOVER -> finisher.cutoverIfRequested(run);
            case CUTTING_OVER -> cutover.run(run);
            case COMPLETED, FAILED, CANCELLED -> false;
        };
    }

    /** Moves the run to copied (with its event) when every range is copied; true for the caller that moved it. */
    boolean markCopiedIfComplete(Run run) {
        boolean moved = runStore.markCopiedIfComplete(run.id(), copied -> List.of(EventPublisher.event(EventType.COPIED,
                RunFinisher.base(copied).batches(copied.plannedBatches()).copiedPoints(copied.copiedPoints())
                        .sourcePoints(copied.sourcePoints()).build(), true)));
        if (moved) {
            LOGGER.infof("run %s: all %s ranges copied (%s points)", run.id(), run.plannedBatches(),
                    run.copiedPoints());
            CrashPoint.reached(CrashPoint.AFTER_COPIED, run.source());
        }
        return moved;
    }

    private boolean startVerification(Run run) {
        try {
            bulkLoad.end(run);
        } catch (PipelineException | QdrantException e) {
            if (e instanceof io.apex.migrator.qdrant.QdrantTransientException t) {
                throw t;
            }
            finisher.fail(run, e.getMessage());
            return false;
        }
        if (runStore.transition(run.id(), RunState.VERIFYING, RunState.COPIED)) {
            finisher.startPass(run, 1, true);
        }
        return true;
    }
}
