package io.apex.migrator.qdrant;

import io.grpc.Status;

/**
 * Qdrant refused the request and repeating it will not help: INVALID_ARGUMENT, FAILED_PRECONDITION,
 * PERMISSION_DENIED, UNAUTHENTICATED, a message over the size limit, or an unexpected answer.
 */
public final class QdrantRequestException extends QdrantException {

    private final String operation;
    private final Status.Code code;

    public QdrantRequestException(String collection, String operation, Status.Code code, String detail,
            Throwable cause) {
        super(collection, "Qdrant refused " + operation
                + (collection == null ? "" : " on collection `" + collection + "`")
                + " (" + code + ")" + (detail == null || detail.isBlank() ? "" : ": " + detail), cause);
        this.operation = operation;
        this.code = code;
    }

    /** The gateway operation that failed, e.g. {@code createCollection}. */
    public String operation() {
        return operation;
    }

    /** The gRPC status code Qdrant answered with. */
    public Status.Code code() {
        return code;
    }
}
