package io.apex.migrator.qdrant;

import io.grpc.Status;
import java.time.Duration;
import java.util.Optional;

/**
 * A failure that may go away when the request is repeated: UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED or
 * RESOURCE_EXHAUSTED (rate limiting, with the server's {@code retry-after} when it sent one). The gateway retries
 * these itself; when one escapes, the retries are used up.
 */
public final class QdrantTransientException extends QdrantException {

    private final String operation;
    private final Status.Code code;
    private final Duration retryAfter;

    public QdrantTransientException(String collection, String operation, Status.Code code, String detail,
            Duration retryAfter, Throwable cause) {
        super(collection, "Qdrant " + code + " during " + operation
                + (collection == null ? "" : " on collection `" + collection + "`")
                + (detail == null || detail.isBlank() ? "" : ": " + detail), cause);
        this.operation = operation;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    /** The gateway operation that failed, e.g. {@code upsert}. */
    public String operation() {
        return operation;
    }

    /** The gRPC status code Qdrant (or the channel) answered with. */
    public Status.Code code() {
        return code;
    }

    /** How long the server asked us to wait before retrying (RESOURCE_EXHAUSTED with retry-after), if it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
