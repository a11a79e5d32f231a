package io.apex.migrator.qdrant;

import io.apex.migrator.api.PointRange;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the points of one range {@code [start, end)} page by page in Qdrant's id order. Qdrant's scroll has no
 * end id, so the reader stops at the first point at or after {@code end} ({@link PointIdOrder}).
 */
public final class RangeReader {

    private RangeReader() {
    }

    /** Hands every page of the range (never empty) to {@code pages}, in id order. */
    public static void read(QdrantGateway gateway, String collection, PointRange range, int pageSize,
            boolean withVectors, boolean withPayload, Consumer<List<RetrievedPoint>> pages) {
        PointId end = range.end() == null ? null : range.end().toPointId();
        PointId offset = range.start().toPointId();
        while (offset != null) {
            ScrollPage page = gateway.scroll(collection, offset, pageSize, withVectors, withPayload);
            List<RetrievedPoint> inside = new ArrayList<>(page.points().size());
            boolean reachedEnd = false;
            for (RetrievedPoint p : page.points()) {
                if (end != null && PointIdOrder.INSTANCE.compare(p.getId(), end) >= 0) {
                    reachedEnd = true;
                    break;
                }
                inside.add(p);
            }
            if (!inside.isEmpty()) {
                pages.accept(inside);
            }
            offset = reachedEnd || page.isLast() ? null : page.nextOffset().orElse(null);
            if (end != null && offset != null && PointIdOrder.INSTANCE.compare(offset, end) >= 0) {
                offset = null;
            }
        }
    }
}
