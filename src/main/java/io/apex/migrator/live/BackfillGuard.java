package io.apex.migrator.live;

import io.apex.migrator.api.PointKey;
import io.apex.migrator.proxy.CapturePublisher;
import io.apex.migrator.qdrant.WirePoint;
import io.apex.migrator.state.Tombstones;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps a backfill page from undoing the capture stream. The page is written insert-only, so a point the stream
 * already wrote keeps the stream's (newer) state; what insert-only cannot prevent is bringing back a point the
 * stream deleted after the page was read, or missing a write by filter applied before the page landed. So: take the
 * tombstone {@link #horizon} before reading the page, and after the insert ({@link Pages#check}) ask the stream to re-sync the points
 * that a tombstone recorded since then concerns (every point of the page after a write by filter). The re-sync
 * travels in the stream, after the writes that caused it, and reads the source's state at that point.
 *
 * <p>Why nothing escapes: the stream records a tombstone before it deletes from the target. If that delete reached
 * the target before the page's insert, the tombstone was committed before the check that follows the insert, and
 * it is numbered above the horizon if the delete came after the page was read (numbers are in commit order).
 *
 * <p>The check may come after several pages ({@link Pages}): a horizon taken before the first of them is older than
 * each later page's, which only makes the check look at more entries, and every insert precedes the check. A worker
 * checks a message's pages together, before it reports their ranges copied. A message taken over from an attempt
 * that never reported it is checked for that attempt's inserts too ({@link #recheck}).
 *
 * <p>Cost: one run-store transaction per check, which also yields the next check's horizon.
 */
@ApplicationScoped
public class BackfillGuard {

    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);

    private static final int REMEMBERED_RUNS = 1024;

    private final Tombstones tombstones;
    /** The highest entry of each run seen by this process: the horizon of its next page. */
    private final Map<UUID, Long> horizons = new ConcurrentHashMap<>();
    private final CapturePublisher publisher;

    @Inject
    public BackfillGuard(Tombstones tombstones, CapturePublisher publisher) {
        this.tombstones = tombstones;
        this.publisher = publisher;
    }

    /**
     * Take before reading a page from the source. The run's highest entry that this process saw last (at the check of
     * an earlier page, or read now): any horizon seen before the read is a valid one, as entries are numbered in commit
     * order, so an older one only makes the check look at more entries, never miss one.
     */
    public long horizon(UUID runId) {
        Long seen = horizons.get(runId);
        if (seen != null) {
            return seen;
        }
        long now = tombstones.horizon(runId);
        remember(runId, now);
        return now;
    }

    /** Pages of one run to be checked together: at the latest when {@code maxPoints} points wait, and on {@link Pages#check}. */
    public Pages pages(UUID runId, String source, int maxPoints) {
        return new Pages(runId, source, maxPoints);
    }

    /**
     * Checks what an earlier attempt at a message may have inserted without checking it: that attempt (its replica
     * crashed or stopped between its inserts and its check) may have brought back a point the stream deleted, and the
     * attempt that takes the message over neither reads that point (the source no longer has it) nor knows the
     * earlier horizon. So the target's points in the message's ranges ({@code targetKeys}, which hold any point brought
     * back) are checked against every entry of the run, {@code chunk} at a time. Returns how many were re-synced.
     */
    public int recheck(UUID runId, String source, List<PointKey> targetKeys, int chunk) {
        int resynced = 0;
        for (int from = 0; from < targetKeys.size(); from += chunk) {
            resynced += check(runId, source, 0, new LinkedHashSet<>(
                    targetKeys.subList(from, Math.min(targetKeys.size(), from + chunk))));
        }
        return resynced;
    }

    /** After the pages' insert-only upserts: returns how many of their points were sent to be re-synced. */
    private int check(UUID runId, String source, long horizon, Set<PointKey> keys) {
        Tombstones.Touched touched = tombstones.since(runId, horizon, keys);
        remember(runId, touched.horizon());
        if (touched.none()) {
            return 0;
        }
        Set<PointKey> resync = touched.byFilter() ? keys : touched.points();
        try {
            publisher.publishResync(runId, source, resync).get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing a re-sync", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("run " + runId + ": cannot publish a re-sync of " + resync.size()
                    + " points to the capture topic: " + e.getMessage(), e);
        }
        return resync.size();
    }

    /** Pages inserted since their last check; not thread-safe (one copy thread's). */
    public final class Pages {
        private final UUID runId;
        private final String source;
        private final int maxPoints;
        private final Set<PointKey> keys = new LinkedHashSet<>();
        private long horizon = -1;

        private Pages(UUID runId, String source, int maxPoints) {
            this.runId = runId;
            this.source = source;
            this.maxPoints = maxPoints;
        }

        /** Before reading a page from the source. */
        public void beforeRead() {
            if (horizon < 0) {
                horizon = horizon(runId);
            }
        }

        /** After the page's insert-only upsert; checks the pages now if {@code maxPoints} points wait. */
        public void inserted(List<WirePoint> page) {
            page.forEach(p -> keys.add(PointKey.of(p.id())));
            if (keys.size() >= maxPoints) {
                check();
            }
        }

        /** Checks the pages inserted since the last check: before they are reported copied. Returns the re-synced count. */
        public int check() {
            if (keys.isEmpty()) {
                return 0;
            }
            int resynced = BackfillGuard.this.check(runId, source, horizon, keys);
            keys.clear();
            horizon = -1;
            return resynced;
        }
    }

    private void remember(UUID runId, long horizon) {
        if (horizons.size() >= REMEMBERED_RUNS && !horizons.containsKey(runId)) {
            horizons.clear(); // a long-lived worker forgets old runs; the next page of a run reads its horizon again
        }
        horizons.merge(runId, horizon, Math::max);
    }
}
