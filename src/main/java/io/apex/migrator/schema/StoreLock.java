package io.apex.migrator.schema;

/** The store-specific half of the one lock template ({@link LockTemplate}): a non-blocking try and a release. */
public interface StoreLock {

    /** Tries once, without blocking and without leaving a transaction open; true when this runner now holds it. */
    boolean tryAcquire();

    /**
     * Fails with {@link SchemaException.LockLost} unless this runner still holds the lock: the fence checked before
     * every statement, so a runner that lost it (a lease expired while paused, a session ended) applies nothing more.
     */
    void confirm();

    /** Releases the lock if this runner holds it. */
    void release();

    /** Who holds the lock now, for the message a waiting runner gives up with. */
    String holder();
}
