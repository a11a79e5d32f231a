package io.apex.migrator.qdrant.standin;

import io.grpc.StatusRuntimeException;

/**
 * A write that failed while it was being applied, after Qdrant had accepted it (written it to its WAL), such as a
 * by-id payload change naming a point that does not exist. Qdrant reports such a failure only to a caller that
 * waits ({@code wait: true}); one that does not gets {@code Acknowledged} (LocalShard::update answers before the
 * update worker applies the operation). Whatever was applied before the failure stays applied.
 */
final class ApplyFailure extends RuntimeException {

    private final transient StatusRuntimeException status;

    ApplyFailure(StatusRuntimeException status) {
        super(status.getStatus().getDescription(), null, false, false);
        this.status = status;
    }

    StatusRuntimeException status() {
        return status;
    }
}
