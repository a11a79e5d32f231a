package io.apex.migrator.qdrant;

import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.Points;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One page of a scroll: the points in Qdrant's id order and the id the next page starts at (inclusive). */
public record ScrollPage(List<Points.RetrievedPoint> points, Optional<Common.PointId> nextOffset)
        implements RangeReader.Page<Points.RetrievedPoint> {

    public ScrollPage {
        points = List.copyOf(Objects.requireNonNull(points, "points"));
        Objects.requireNonNull(nextOffset, "nextOffset");
    }

    /** True when this is the last page. */
    public boolean isLast() {
        return nextOffset.isEmpty();
    }
}
