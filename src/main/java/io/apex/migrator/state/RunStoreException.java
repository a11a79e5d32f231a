package io.apex.migrator.state;

/** The run store could not be read or written (connection, SQL); carries the operation that failed. */
public final class RunStoreException extends RuntimeException {

    public RunStoreException(String operation, Throwable cause) {
        super("run store: " + operation + " failed: " + cause.getMessage(), cause);
    }

    /** Whether the store could not be reached (as opposed to refusing the statement): worth waiting out. */
    public boolean storeUnreachable() {
        return RunStoreRetry.unreachable(this);
    }
}
