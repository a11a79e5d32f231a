package io.apex.migrator.schema;

import java.time.Duration;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The one lock template of the engine: poll {@link StoreLock#tryAcquire()} with backoff until {@code wait}
 * is over, run the work, release in {@code finally}. Waiters poll rather than block because a PostgreSQL
 * session blocked in {@code pg_advisory_lock()} would hold a snapshot that the holder's
 * {@code CREATE INDEX CONCURRENTLY} waits for: a deadlock. Polling with no open transaction avoids it.
 */
final class LockTemplate {

    private static final Logger LOGGER = Logger.getLogger(LockTemplate.class);
    private static final Duration FIRST_POLL = Duration.ofMillis(50);
    private static final Duration MAX_POLL = Duration.ofSeconds(1);

    private LockTemplate() {
    }

    static <T> T withLock(Store store, StoreLock lock, Duration wait, String runId, Supplier<T> work) {
        long deadline = System.nanoTime() + wait.toNanos();
        Duration poll = FIRST_POLL;
        boolean logged = false;
        while (!lock.tryAcquire()) {
            if (System.nanoTime() >= deadline) {
                throw new SchemaException.LockUnavailable(store, lock.holder(), wait);
            }
            if (!logged) {
                LOGGER.infof("[run %s] %s migration lock is held by %s; waiting up to %d s", runId, store.id(),
                        lock.holder(), wait.toSeconds());
                logged = true;
            }
            pause(poll);
            poll = poll.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : poll.multipliedBy(2);
        }
        boolean lost = false;
        try {
            return work.get();
        } catch (SchemaException.LockLost e) {
            lost = true;
            LOGGER.errorf("[run %s] %s", runId, e.getMessage());
            throw e;
        } finally {
            if (!lost) {
                release(store, lock, runId);
            }
        }
    }

    /** A lock that was lost is not released: it is no longer ours (another runner's, or gone with the session). */
    private static void release(Store store, StoreLock lock, String runId) {
        try {
            lock.release();
        } catch (RuntimeException e) {
            LOGGER.errorf(e, "[run %s] could not release the %s migration lock; it is released when the session "
                    + "ends (PostgreSQL) or when its lease expires (Neo4j)", runId, store.id());
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaException.InvalidRequest("interrupted while waiting for the migration lock");
        }
    }
}
