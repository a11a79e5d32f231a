package io.apex.migrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The half-open id range {@code [start, end)} of one batch in Qdrant's scroll order; {@code end} is null
 * for the last, open-ended range. Points inserted into a range during the copy stay inside it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PointRange(PointKey start, PointKey end) {

    public PointRange {
        if (start == null) {
            throw new InvalidMessageException("$.range.start", "is required");
        }
    }

    public boolean openEnded() {
        return end == null;
    }

    @Override
    public String toString() {
        return "[" + start + ", " + (end == null ? "end" : end.text()) + ")";
    }
}
