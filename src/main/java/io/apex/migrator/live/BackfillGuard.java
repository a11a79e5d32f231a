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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps a backfill page from undoing the capture stream. The page is written insert-only, so a point the stream
 * already wrote keeps the stream's (newer) state; what insert-only cannot prevent is bringing back a point the
 * stream deleted after the page was read, or missing a write by filter applied before the page landed. So: take the
 * tombstone {@link #horizon} before reading the page, and {@link #afterInsert} ask the stream to re-sync the points
 * that a tombstone recorded since then concerns (every point of the page after a write by filter). The re-sync
 * travels in the stream, after the writes that caused it, and reads the source's state at that point.
 *
 * <p>Why nothing escapes: the stream records a tombstone before it deletes from the target. If that delete reached
 * the target before the page's insert, the tombstone was committed before the check that follows the insert, and
 * it is numbered above the horizon if the delete came after the page was read (numbers are in commit order).
 */
@ApplicationScoped
public class BackfillGuard {

    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);

    private final Tombstones tombstones;
    private final CapturePublisher publisher;

    @Inject
    public BackfillGuard(Tombstones tombstones, CapturePublisher publisher) {
        this.tombstones = tombstones;
        this.publisher = publisher;
    }

    /** Take before reading a page from the source. */
    public long horizon(UUID runId) {
        return tombstones.horizon(runId);
    }

    /** After the page's insert-only upsert: returns how many of its points were sent to be re-synced. */
    public int afterInsert(UUID runId, String source, long horizon, List<WirePoint> page) {
        Set<PointKey> keys = new LinkedHashSet<>();
        page.forEach(p -> keys.add(PointKey.of(p.id())));
        Tombstones.Touched touched = tombstones.since(runId, horizon, keys);
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
}
