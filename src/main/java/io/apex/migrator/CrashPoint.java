package io.apex.migrator;

import org.jboss.logging.Logger;

/**
 * Deliberate crashes at the lifecycle's boundaries, for the reliability tests: with the system property
 * {@code apex.crash-point} set to a point's name, the process halts there like a SIGKILL (no shutdown hooks, no
 * offset commits, no lease released). {@code apex.crash-point.source} narrows a run's points to runs of that source
 * collection. Unset everywhere else, which makes every point a no-op. (No setting of the pipeline on purpose.)
 */
public final class CrashPoint {

    /** The plan is in the run store; no batch task has been published. */
    public static final String AFTER_PLAN = "after-plan";
    /** Every batch task is published and the run is copying; the command's offset is not committed. */
    public static final String AFTER_DISPATCH = "after-dispatch";
    /** A worker upserted the first page of a copy range; its progress is not sent. */
    public static final String MID_COPY = "mid-copy";
    /**
     * A worker inserted every page of a copy message's ranges; their backfill check has not run and none of the ranges
     * is reported.
     */
    public static final String BEFORE_BACKFILL_CHECK = "before-backfill-check";
    /** The run moved to copied; verification has not started. */
    public static final String AFTER_COPIED = "after-copied";
    /** A verify report was applied while its pass still has pending ranges. */
    public static final String MID_VERIFICATION = "mid-verification";
    /**
     * A poll's verify reports, one of them a range's verify task that failed for good, are committed to the run store;
     * the run is not failed (the redelivered report is a repeat: the pass's closing must fail the run).
     */
    public static final String AFTER_FAILED_VERIFY_STORED = "after-failed-verify-stored";
    /** A verification pass closed; what follows it is not done. */
    public static final String AFTER_PASS_CLOSED = "after-pass-closed";
    /** The run moved to verified (its event in the outbox); the cutover has not begun. */
    public static final String AFTER_VERIFIED = "after-verified";
    /** Cutting over with capture proxies: every live replica holds the run's writes; the stream is not drained. */
    public static final String MID_CUTOVER_HOLD = "mid-cutover-hold";
    /** The hold drained the stream and marked the swap (captures no longer applied); UpdateAliases not sent. */
    public static final String AFTER_SWAP_MARKED = "after-swap-marked";
    /** Cutting over, right before Qdrant's UpdateAliases. */
    public static final String BEFORE_ALIAS_SWAP = "before-alias-swap";
    /**
     * Replacing a collection named like the alias: its snapshot is recorded and its delete acknowledged; the alias is
     * not created yet (the name resolves to nothing).
     */
    public static final String AFTER_COLLECTION_DROPPED = "after-collection-dropped";
    /** UpdateAliases returned; the run is not completed and no event is recorded. */
    public static final String AFTER_ALIAS_SWAP = "after-alias-swap";
    /** The run completed with its events in the outbox; none is sent. */
    public static final String AFTER_COMPLETED = "after-completed";
    /** A schema job applied and recorded its first migration; the next has not begun. */
    public static final String MID_SCHEMA_MIGRATION = "mid-schema-migration";
    /** An in-place change's UpdateCollection was acknowledged; the run is still planned (its gates not begun). */
    public static final String AFTER_IN_PLACE_CHANGE = "after-in-place-change";
    /** A qdrant.cutover command's request is recorded; the command's offset is not committed. */
    public static final String MID_CUTOVER_COMMAND = "mid-cutover-command";

    /** A release applied every part and moved to its cutover (or ready-for-cutover); no alias has moved. */
    public static final String RELEASE_AFTER_PARTS = "release-after-parts";
    /** A release's one UpdateAliases returned; the release is not completed and release-ready is not recorded. */
    public static final String RELEASE_AFTER_ALIAS_SWAP = "release-after-alias-swap";

    /** A release.cutover command's request is recorded (the release is cutting-over); nothing is swapped yet. */
    public static final String MID_RELEASE_CUTOVER_COMMAND = "mid-release-cutover-command";

    private static final Logger LOGGER = Logger.getLogger(CrashPoint.class);
    private static final String PROPERTY = "apex.crash-point";
    private static final String SOURCE_PROPERTY = "apex.crash-point.source";

    private CrashPoint() {
    }

    /** Halts if {@code point} is the configured one. */
    public static void reached(String point) {
        reached(point, null);
    }

    /** Halts if {@code point} is the configured one and the run's source collection is the configured one (if any). */
    public static void reached(String point, String source) {
        if (!point.equals(System.getProperty(PROPERTY))) {
            return;
        }
        String only = System.getProperty(SOURCE_PROPERTY);
        if (only != null && source != null && !only.equals(source)) {
            return;
        }
        LOGGER.errorf("crash point '%s' reached (%s set): halting", point, PROPERTY);
        Runtime.getRuntime().halt(137);
    }
}
