package io.apex.migrator.pipeline;

import org.jboss.logging.Logger;

/**
 * Deliberate crashes at the coordinator's boundaries, for the reliability tests: with the system property
 * {@code apex.crash-point} set to a point's name, the process halts there like a SIGKILL (no shutdown
 * hooks, no offset commits). Unset everywhere else, which makes every point a no-op. (Outside {@code apex.pipeline}
 * on purpose: it is no setting of the pipeline.)
 */
final class CrashPoint {

    /** The plan is in the run store; no batch task has been published. */
    static final String AFTER_PLAN = "after-plan";
    /** Every batch task is published and the run is copying; the command's offset is not committed. */
    static final String AFTER_DISPATCH = "after-dispatch";

    private static final Logger LOGGER = Logger.getLogger(CrashPoint.class);
    private static final String PROPERTY = "apex.crash-point";

    private CrashPoint() {
    }

    static void reached(String point) {
        if (point.equals(System.getProperty(PROPERTY))) {
            LOGGER.errorf("crash point '%s' reached (%s set): halting", point, PROPERTY);
            Runtime.getRuntime().halt(137);
        }
    }
}
