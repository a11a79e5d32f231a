package io.apex.migrator.qdrant;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;

/** The one place that turns gRPC failures into the Qdrant area's exceptions. */
final class GrpcErrors {

    static final Metadata.Key<String> RETRY_AFTER = Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);

    private GrpcErrors() {
    }

    /**
     * Maps a failure of {@code operation} on {@code collection} (null when the call is not about one collection).
     * Already-mapped exceptions pass through.
     */
    static QdrantException map(Throwable failure, String collection, String operation, String endpoint) {
        Throwable cause = unwrap(failure);
        if (cause instanceof QdrantException mapped) {
            return mapped;
        }
        Status status;
        Metadata trailers;
        if (cause instanceof StatusRuntimeException sre) {
            status = sre.getStatus();
            trailers = sre.getTrailers();
        } else if (cause instanceof StatusException se) {
            status = se.getStatus();
            trailers = se.getTrailers();
        } else if (cause instanceof CancellationException) {
            status = Status.CANCELLED.withDescription("call cancelled");
            trailers = null;
        } else {
            return new QdrantRequestException(collection, operation, Status.Code.UNKNOWN,
                    cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
        }
        String detail = status.getDescription();
        return switch (status.getCode()) {
            case NOT_FOUND -> new CollectionNotFoundException(collection == null ? "?" : collection, operation,
                    detail, cause);
            case ALREADY_EXISTS -> new CollectionAlreadyExistsException(collection == null ? "?" : collection,
                    detail, cause);
            case UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED -> new QdrantTransientException(collection, operation,
                    status.getCode(), withEndpoint(detail, status.getCode(), endpoint), null, cause);
            case RESOURCE_EXHAUSTED -> isMessageTooLarge(detail)
                    ? new QdrantRequestException(collection, operation, status.getCode(), detail, cause)
                    : new QdrantTransientException(collection, operation, status.getCode(), detail,
                            retryAfter(trailers), cause);
            default -> new QdrantRequestException(collection, operation, status.getCode(), detail, cause);
        };
    }

    private static String withEndpoint(String detail, Status.Code code, String endpoint) {
        String text = detail == null ? "" : detail;
        return code == Status.Code.UNAVAILABLE ? "Qdrant at " + endpoint + " is not reachable"
                + (text.isBlank() ? "" : " (" + text + ")") : text;
    }

    /** gRPC's own size limit also answers RESOURCE_EXHAUSTED; repeating such a request cannot succeed. */
    static boolean isMessageTooLarge(String detail) {
        if (detail == null) {
            return false;
        }
        String lower = detail.toLowerCase(Locale.ROOT);
        return lower.contains("message") && (lower.contains("larger than max") || lower.contains("exceeds maximum")
                || lower.contains("too large"));
    }

    /** Qdrant's rate limiter sends {@code retry-after} in seconds (an integer, sometimes a decimal). */
    static Duration retryAfter(Metadata trailers) {
        if (trailers == null) {
            return null;
        }
        String value = trailers.get(RETRY_AFTER);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            BigDecimal seconds = new BigDecimal(value.strip());
            if (seconds.signum() < 0) {
                return null;
            }
            return Duration.ofMillis(seconds.movePointRight(3).longValue());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof ExecutionException || current instanceof java.util.concurrent.CompletionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
