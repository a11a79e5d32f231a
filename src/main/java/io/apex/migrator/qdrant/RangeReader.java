package io.apex.migrator.qdrant;

import io.apex.migrator.api.PointRange;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads the points of one range {@code [start, end)} page by page in Qdrant's id order. Qdrant's scroll has no
 * end id, so the reader stops at the first point at or after {@code end} ({@link PointIdOrder}).
 */
public final class RangeReader {

    private RangeReader() {
    }

    /** A scroll page: points in id order and the id the next page starts at. */
    public interface Page<P> {
        List<P> points();

        Optional<PointId> nextOffset();
    }

    /**
     * The shard keys to read a collection by, one at a time: its keys in {@link ShardKeys#ORDER}, or one null (the
     * whole collection) when it has none.
     */
    public static List<io.qdrant.client.grpc.Collections.ShardKey> shardKeysOrAll(QdrantGateway gateway,
            String collection) {
        List<io.qdrant.client.grpc.Collections.ShardKey> keys = gateway.shardKeys(collection);
        return keys.isEmpty() ? java.util.Collections.singletonList(null) : keys;
    }

    /** Hands every page of the range (never empty) to {@code pages}, in id order. */
    public static void read(QdrantGateway gateway, String collection, PointRange range, int pageSize,
            boolean withVectors, boolean withPayload, Consumer<List<RetrievedPoint>> pages) {
        read(range, offset -> gateway.scroll(collection, offset, pageSize, withVectors, withPayload),
                RetrievedPoint::getId, pages);
    }

    /** The range's points left encoded, each page read by {@code scroll} (which may add retries). */
    public static void readWire(PointRange range, Function<PointId, WireScrollPage> scroll,
            Consumer<List<WirePoint>> pages) {
        read(range, scroll, WirePoint::id, pages);
    }

    private static <P> void read(PointRange range, Function<PointId, ? extends Page<P>> scroll,
            Function<P, PointId> idOf, Consumer<List<P>> pages) {
        PointId offset = range.start().toPointId();
        while (offset != null) {
            Slice<P> slice = slice(range, scroll.apply(offset), idOf);
            if (!slice.inside().isEmpty()) {
                pages.accept(slice.inside());
            }
            offset = slice.next();
        }
    }

    /** The points of a page that lie in a range, and the id the range's next page starts at (null: none). */
    record Slice<P>(List<P> inside, PointId next) {
    }

    /** Cuts a scroll page of {@code range} at the range's end. */
    static <P> Slice<P> slice(PointRange range, Page<P> page, Function<P, PointId> idOf) {
        PointId end = range.end() == null ? null : range.end().toPointId();
        List<P> inside = new ArrayList<>(page.points().size());
        boolean reachedEnd = false;
        for (P p : page.points()) {
            if (end != null && PointIdOrder.INSTANCE.compare(idOf.apply(p), end) >= 0) {
                reachedEnd = true;
                break;
            }
            inside.add(p);
        }
        PointId next = reachedEnd ? null : page.nextOffset().orElse(null);
        if (end != null && next != null && PointIdOrder.INSTANCE.compare(next, end) >= 0) {
            next = null;
        }
        return new Slice<>(inside, next);
    }
}
