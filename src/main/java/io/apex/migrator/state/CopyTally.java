package io.apex.migrator.state;

/**
 * A run's state and copy counters as one statement left them (the progress update returns them), so the tracker can
 * tell whether the copy is complete without reading the run back.
 */
public record CopyTally(RunState state, Integer plannedBatches, int doneBatches, int failedBatches) {

    /** Every planned range is copied and none failed, and the run is still before its "copied" step. */
    public boolean allRangesCopied() {
        return (state == RunState.COPYING || state == RunState.PLANNED) && plannedBatches != null
                && doneBatches >= plannedBatches && failedBatches == 0;
    }

    public static CopyTally of(Run run) {
        return new CopyTally(run.state(), run.plannedBatches(), run.doneBatches(), run.failedBatches());
    }
}
