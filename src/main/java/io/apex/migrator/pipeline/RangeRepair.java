package io.apex.migrator.pipeline;

import io.apex.migrator.api.PointKey;
import io.apex.migrator.api.PointRange;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.RangeReader;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes one range of the target equal to the source's: upserts every source point of the range (same ids,
 * harmless for the ones that were right) and deletes the target points the source no longer has (a copy
 * alone never deletes, so a point deleted from the source during the copy would otherwise survive).
 */
final class RangeRepair {

    private RangeRepair() {
    }

    /** Re-copies the range; returns the points written plus the points deleted. */
    static long repair(QdrantGateway gateway, String source, String target, PointRange range, int pageSize) {
        Set<PointKey> sourceIds = new HashSet<>();
        long[] written = {0};
        RangeReader.readWire(range, from -> gateway.scrollWire(source, from, pageSize), page -> {
            page.forEach(p -> sourceIds.add(PointKey.of(p.id())));
            gateway.upsertWire(target, page);
            written[0] += page.size();
        });
        List<PointId> extra = new ArrayList<>();
        RangeReader.read(gateway, target, range, Math.max(pageSize, 1000), false, false, page -> page.stream()
                .map(RetrievedPoint::getId).filter(id -> !sourceIds.contains(PointKey.of(id))).forEach(extra::add));
        gateway.delete(target, extra);
        return written[0] + extra.size();
    }
}
