package io.apex.migrator.qdrant;

import io.apex.migrator.api.PointKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The digest of each point of a set, the bytes hashed being exactly what the point contributes to a
 * {@link RangeChecksum}: two points digest the same exactly when a range checksum cannot tell them apart. A point
 * absent from the collection has no digest. Used to find the points that make two range checksums differ, and to
 * compare those points again by id, without reading the whole range.
 */
public record PointDigests(Map<PointKey, String> digests) {

    /** Points per has_id read: far below gRPC's message limit even with large vectors. */
    static final int CHUNK = 256;

    public PointDigests {
        digests = Map.copyOf(digests);
    }

    /** The point's digest; null when the collection does not hold it. */
    public String of(PointKey point) {
        return digests.get(point);
    }

    /** Reads {@code points} from {@code collection} by id (with vectors and payload) and digests each one found. */
    public static PointDigests read(QdrantGateway gateway, String collection, Collection<PointKey> points) {
        List<PointKey> all = new ArrayList<>(new LinkedHashSet<>(points));
        RangeChecksum checksum = new RangeChecksum();
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<PointKey> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            gateway.getWire(collection, chunk.stream().map(PointKey::toPointId).toList()).points()
                    .forEach(checksum::add);
        }
        return checksum.detailed().points();
    }

    /**
     * The points whose digests differ between two sides, among {@code points}: held by one side only, or by both
     * with other ids, vectors or payload. In Qdrant's id order, so logs and reports name the lowest first.
     */
    public static Set<PointKey> differing(PointDigests source, PointDigests target, Collection<PointKey> points) {
        Set<PointKey> out = new TreeSet<>(PointDigests::compare);
        for (PointKey p : points) {
            String s = source.of(p);
            if (s == null ? target.of(p) != null : !s.equals(target.of(p))) {
                out.add(p);
            }
        }
        return out;
    }

    /** {@link #differing(PointDigests, PointDigests, Collection)} over every point either side holds. */
    public static Set<PointKey> differing(PointDigests source, PointDigests target) {
        Set<PointKey> all = new LinkedHashSet<>(source.digests().keySet());
        all.addAll(target.digests().keySet());
        return differing(source, target, all);
    }

    private static int compare(PointKey a, PointKey b) {
        return PointIdOrder.INSTANCE.compare(a.toPointId(), b.toPointId());
    }
}
