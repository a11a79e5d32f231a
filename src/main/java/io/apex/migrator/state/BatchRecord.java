package io.apex.migrator.state;

import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.PointRange;

/** One planned range of a run and what its worker reported. */
public record BatchRecord(int batchIndex, BatchKind kind, PointRange range, String state, Long points,
        String worker, String reason, String checksum, int reports) {
}
