package io.apex.migrator.qdrant.standin;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Qdrant's gRPC errors: the status codes and message texts a real server answers with. */
final class StandInErrors {

    private StandInErrors() {
    }

    static StatusRuntimeException collectionNotFound(String name) {
        return Status.NOT_FOUND.withDescription("Not found: Collection `" + name + "` doesn't exist!")
                .asRuntimeException();
    }

    static StatusRuntimeException aliasNotFound(String alias) {
        return Status.NOT_FOUND.withDescription("Not found: Alias `" + alias + "` doesn't exist!")
                .asRuntimeException();
    }

    static StatusRuntimeException collectionExists(String name) {
        return Status.ALREADY_EXISTS.withDescription("Wrong input: Collection `" + name + "` already exists!")
                .asRuntimeException();
    }

    /** Qdrant's PointNotFound for a by-id write: NOT_FOUND, "No point with id 7 found". */
    static StatusRuntimeException pointNotFound(PointKey key) {
        return Status.NOT_FOUND.withDescription("Not found: No point with id " + key + " found").asRuntimeException();
    }

    static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }

    static StatusRuntimeException dimension(String vectorName, long expected, int got) {
        String which = vectorName.isEmpty() ? "" : " for vector `" + vectorName + "`";
        return invalid("Wrong input: Vector dimension error: expected dim: " + expected + ", got " + got + which);
    }

    /** What Qdrant has but the stand-in does not model: said plainly rather than answered wrongly. */
    static StatusRuntimeException unsupported(String what) {
        return Status.UNIMPLEMENTED.withDescription("Qdrant stand-in does not support " + what)
                .asRuntimeException();
    }
}
