package io.apex.migrator.qdrant;

import io.qdrant.client.grpc.Common;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One scroll page with its points left encoded ({@link WirePoint}) and the id the next page starts at. */
public record WireScrollPage(List<WirePoint> points, Optional<Common.PointId> nextOffset)
        implements RangeReader.Page<WirePoint> {

    public WireScrollPage {
        points = List.copyOf(Objects.requireNonNull(points, "points"));
        Objects.requireNonNull(nextOffset, "nextOffset");
    }

    public boolean isLast() {
        return nextOffset.isEmpty();
    }
}
