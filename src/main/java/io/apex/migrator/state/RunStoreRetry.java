package io.apex.migrator.state;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Waits out a run store that is away (restart, failover, network) and transactions that lost a conflict: a call that
 * fails because the database cannot be reached, or was rolled back as a deadlock victim or a serialization failure,
 * is tried again with capped exponential backoff for up to {@code retryFor}, so workers and trackers hold their
 * message (Kafka keeps it uncommitted) instead of dropping it. Other SQL errors fail at once. After
 * {@code retryFor} the last error is thrown, naming how long the store was away.
 */
final class RunStoreRetry {

    private static final Logger LOGGER = Logger.getLogger(RunStoreRetry.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final Duration retryFor;

    RunStoreRetry(Duration retryFor) {
        this.retryFor = retryFor;
    }

    <T> T call(String operation, Supplier<T> call) {
        long deadline = System.nanoTime() + retryFor.toNanos();
        long started = System.nanoTime();
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                T result = call.get();
                if (attempt > 1) {
                    LOGGER.infof("run store: %s succeeded after %s attempts (%s ms)", operation, attempt,
                            (System.nanoTime() - started) / 1_000_000);
                }
                return result;
            } catch (RunStoreException e) {
                if (!transientFailure(e) || System.nanoTime() + backoff.toNanos() > deadline) {
                    if (attempt > 1) {
                        throw new RunStoreException(operation + " (store away for "
                                + (System.nanoTime() - started) / 1_000_000 + " ms, " + attempt + " attempts)",
                                e.getCause());
                    }
                    throw e;
                }
                if (attempt == 1 || attempt % 10 == 0) {
                    LOGGER.warnf("run store: %s failed (%s); retrying for up to %s s", operation,
                            e.getCause() == null ? e.getMessage() : e.getCause().getMessage(), retryFor.toSeconds());
                }
                pause(backoff.toMillis() + ThreadLocalRandom.current().nextLong(backoff.toMillis() / 4 + 1));
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /** Whether trying the call again can succeed: the store was unreachable, or the transaction lost a conflict. */
    static boolean transientFailure(Throwable e) {
        return unreachable(e) || lostConflict(e);
    }

    /**
     * Whether PostgreSQL rolled the transaction back because it conflicted with another one: 40P01 (deadlock
     * detected, this one chosen as the victim) or 40001 (serialization failure). The other transaction went on, so
     * the same work run again succeeds; the server already undid this attempt, so running it again is safe.
     */
    static boolean lostConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && ("40P01".equals(sql.getSQLState())
                    || "40001".equals(sql.getSQLState()))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * Whether the failure is about reaching the database: SQLSTATE class 08 (connection exception), 57P01-03
     * (server shutting down / starting), 53300 (too many connections), or a pool that could not hand out a
     * connection in time.
     */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLRecoverableException || t instanceof SQLTransientException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"))) {
                    return true;
                }
                String message = String.valueOf(sql.getMessage()).toLowerCase(java.util.Locale.ROOT);
                if (message.contains("acquisition timeout") || message.contains("connection is closed")) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the run store", e);
        }
    }
}
