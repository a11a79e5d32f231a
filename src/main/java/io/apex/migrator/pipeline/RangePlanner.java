package io.apex.migrator.pipeline;

import io.apex.migrator.api.PointKey;
import io.apex.migrator.api.PointRange;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.ScrollPage;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Plans the ranges of a copy by scrolling ids only (no vectors, no payload) and recording the first id of
 * every {@code batchSize} points: range <i>i</i> is {@code [start_i, start_{i+1})} and the last one is
 * open-ended, so points inserted during the copy still fall into some range.
 */
public final class RangePlanner {

    /** The ranges and the number of points seen while planning. */
    public record Plan(List<PointRange> ranges, long points) {
        public Plan {
            ranges = List.copyOf(ranges);
        }
    }

    private RangePlanner() {
    }

    public static Plan plan(QdrantGateway gateway, String collection, int batchSize, int pageSize) {
        return plan(offset -> gateway.scroll(collection, offset, pageSize, false, false), batchSize);
    }

    /** Plans over any source of id pages (each page starts at the given offset, inclusive; null = first). */
    static Plan plan(Function<PointId, ScrollPage> pages, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, was " + batchSize);
        }
        List<PointKey> starts = new ArrayList<>();
        long seen = 0;
        PointId offset = null;
        while (true) {
            ScrollPage page = pages.apply(offset);
            for (RetrievedPoint p : page.points()) {
                if (seen % batchSize == 0) {
                    starts.add(PointKey.of(p.getId()));
                }
                seen++;
            }
            if (page.isLast() || page.points().isEmpty()) {
                break;
            }
            offset = page.nextOffset().orElseThrow();
        }
        List<PointRange> ranges = new ArrayList<>(starts.size());
        for (int i = 0; i < starts.size(); i++) {
            ranges.add(new PointRange(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : null));
        }
        return new Plan(ranges, seen);
    }
}
