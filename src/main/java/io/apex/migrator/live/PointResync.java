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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

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

    /** Re-syncs {@code points} one chunk after another; returns how many were written and deleted. */
    public static Result resync(QdrantGateway gateway, Tombstones tombstones, UUID runId, String source,
            String target, Collection<PointKey> points) {
        return resync(gateway, tombstones, runId, source, target, points, Runnable::run);
    }

    /**
     * Re-syncs {@code points}, its chunks side by side on {@code chunks}: they hold different points, and each reads
     * the source's state of its own, so they need no order among them. A chunk that failed fails the whole re-sync
     * (after the others ended), which is safe to repeat.
     */
    public static Result resync(QdrantGateway gateway, Tombstones tombstones, UUID runId, String source,
            String target, Collection<PointKey> points, Executor chunks) {
        List<PointKey> all = new ArrayList<>(new LinkedHashSet<>(points));
        List<CompletableFuture<Result>> parts = new ArrayList<>();
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<PointKey> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            parts.add(CompletableFuture.supplyAsync(() -> chunk(gateway, tombstones, runId, source, target, chunk),
                    chunks));
        }
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        long written = 0;
        long deleted = 0;
        for (CompletableFuture<Result> part : parts) {
            Result r = joined(part);
            written += r.written();
            deleted += r.deleted();
        }
        return new Result(written, deleted);
    }

    private static Result chunk(QdrantGateway gateway, Tombstones tombstones, UUID runId, String source,
            String target, List<PointKey> chunk) {
        WireScrollPage page = gateway.getWire(source, chunk.stream().map(PointKey::toPointId).toList());
        Set<PointKey> present = new HashSet<>();
        for (WirePoint p : page.points()) {
            present.add(PointKey.of(p.id()));
        }
        if (!page.points().isEmpty()) {
            gateway.upsertWire(target, page.points());
        }
        List<PointKey> gone = chunk.stream().filter(k -> !present.contains(k)).toList();
        if (!gone.isEmpty()) {
            tombstones.recordDeleted(runId, gone);
            List<PointId> ids = gone.stream().map(PointKey::toPointId).toList();
            gateway.delete(target, ids);
        }
        return new Result(page.points().size(), gone.size());
    }

    private static Result joined(CompletableFuture<Result> part) {
        try {
            return part.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
