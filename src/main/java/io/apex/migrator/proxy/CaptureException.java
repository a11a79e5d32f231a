package io.apex.migrator.proxy;

/** Why the proxy could not make sure a write is captured; the client gets UNAVAILABLE with this message. */
public abstract sealed class CaptureException extends RuntimeException {

    CaptureException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The run store cannot say whether the write's collection is under migration; the write was not forwarded. */
    public static final class RunStoreUnavailable extends CaptureException {
        RunStoreUnavailable(Throwable cause) {
            super("the run store cannot be read, so the write cannot be captured; it was not sent to Qdrant: "
                    + cause.getMessage(), cause);
        }
    }

    /** Qdrant applied the write but Kafka did not acknowledge its capture. */
    public static final class NotCaptured extends CaptureException {
        NotCaptured(String runId, String method, Throwable cause) {
            super("the write was applied to the source collection but its capture for run " + runId
                    + " was not acknowledged (" + method + "): " + cause.getMessage()
                    + "; the run's checksum catch-up carries it to the target", cause);
        }
    }
}
