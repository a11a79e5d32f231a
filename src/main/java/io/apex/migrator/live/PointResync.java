package io.apex.migrator.live;

import io.apex.migrator.api.PointKey;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.WirePoint;
import io.apex.migrator.qdrant.WireScrollPage;
import io.apex.migrator.state.Tombstones;
import io.qdrant.client.grpc.Common.PointId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Makes points of a run's target what the source holds NOW: the ones the source has are upserted (overwriting), the
 * ones it has not are deleted after a tombstone is recorded. Because it reads the source's current state rather than
 * replaying a request, applying a capture late, twice, or in another order than Qdrant applied the writes, still
 * leaves the target equal to the source once the stream is applied (the capture stream applies them one at a time).
 */
public final class PointResync {

    /** Points per request: a has_id scroll and an upsert of this many stay far below gRPC's message limit. */
    static final int CHUNK = 256;

    private PointResync() {
    }

    /** What a re-sync did. */
    public record Result(long written, long deleted) {
    }

    /** Re-syncs {@code points}; returns how many were written and deleted. */
    public static Result resync(QdrantGateway gateway, Tombstones tombstones, UUID runId, String source,
            String target, Collection<PointKey> points) {
        List<PointKey> all = new ArrayList<>(new LinkedHashSet<>(points));
        long written = 0;
        long deleted = 0;
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<PointKey> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            WireScrollPage page = gateway.getWire(source, chunk.stream().map(PointKey::toPointId).toList());
            Set<PointKey> present = new HashSet<>();
            for (WirePoint p : page.points()) {
                present.add(PointKey.of(p.id()));
            }
            if (!page.points().isEmpty()) {
                gateway.upsertWire(target, page.points());
                written += page.points().size();
            }
            List<PointKey> gone = chunk.stream().filter(k -> !present.contains(k)).toList();
            if (!gone.isEmpty()) {
                tombstones.recordDeleted(runId, gone);
                List<PointId> ids = gone.stream().map(PointKey::toPointId).toList();
                gateway.delete(target, ids);
                deleted += gone.size();
            }
        }
        return new Result(written, deleted);
    }
}
