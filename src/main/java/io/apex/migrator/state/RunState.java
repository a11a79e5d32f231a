package io.apex.migrator.state;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a run: accepted → planned → copying → copied → (verifying → verified) → [ready-for-cutover] →
 * cutting-over → completed; or failed / cancelled. Each move is a conditional UPDATE, so it happens once.
 */
public enum RunState {
    ACCEPTED,
    PLANNED,
    COPYING,
    COPIED,
    VERIFYING,
    VERIFIED,
    READY_FOR_CUTOVER,
    CUTTING_OVER,
    COMPLETED,
    FAILED,
    CANCELLED;

    /** States a run never leaves. */
    public static final Set<RunState> FINAL = EnumSet.of(COMPLETED, FAILED, CANCELLED);

    public String db() {
        return name().toLowerCase().replace('_', '-');
    }

    public static RunState fromDb(String value) {
        return valueOf(value.toUpperCase().replace('-', '_'));
    }

    public boolean isFinal() {
        return FINAL.contains(this);
    }
}
