package io.apex.migrator.state;

import java.util.UUID;

/**
 * What asking for a run's manual cutover did: recorded it, found its command processed before, or refused it because
 * the run was not waiting in ready-for-cutover ({@link #stateRead()}: the state the refusal was decided on).
 */
public record CutoverRequest(Outcome outcome, RunState stateRead) {

    public enum Outcome {
        RECORDED,
        SEEN_BEFORE,
        REFUSED
    }

    static final CutoverRequest RECORDED = new CutoverRequest(Outcome.RECORDED, RunState.READY_FOR_CUTOVER);
    static final CutoverRequest SEEN_BEFORE = new CutoverRequest(Outcome.SEEN_BEFORE, null);

    static CutoverRequest refused(RunState stateRead) {
        return new CutoverRequest(Outcome.REFUSED, stateRead);
    }

    public boolean recorded() {
        return outcome == Outcome.RECORDED;
    }

    public boolean refused() {
        return outcome == Outcome.REFUSED;
    }

    /** Why a cutover of this run is refused: the words every refusal uses (command rejection, CLI). */
    public static String notWaiting(UUID runId, RunState state) {
        return "run " + runId + " is " + state.db() + ", not ready-for-cutover";
    }
}
