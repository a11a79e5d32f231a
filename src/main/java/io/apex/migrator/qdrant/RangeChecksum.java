package io.apex.migrator.qdrant;

import io.apex.migrator.api.PointKey;
import io.apex.migrator.api.PointRange;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The checksum of one range of a collection: SHA-256 over the digests of its points in id order, then their count.
 * A point's digest is SHA-256 over its canonical bytes ({@link CanonicalPoint}): its id, every named vector (sorted
 * by name; dense, sparse or multi-dense, the float values bit for bit as stored), its payload (keys sorted at
 * every level) and, in a custom-sharded collection, its shard key (read key by key). Two collections hold the same points in a range exactly when the checksums match, whatever order the
 * points were written in and whatever order the server returns payload keys in. Quantization does not enter: Qdrant
 * keeps the original vectors and returns those.
 *
 * <p>The points are digested as they arrive, straight from the bytes Qdrant sent ({@link WirePoint}): verification
 * reads both sides of every range, and decoding each point into objects (and its payload into JSON) cost more CPU
 * than the copy. Each byte is hashed once: the range digest covers the point digests, not the points again.
 *
 * <p>The digest of each point is kept ({@link PointDigests}): two points have the same point digest exactly when they
 * contribute the same to a range checksum, so a per-point diff finds exactly what made two range checksums differ.
 */
public final class RangeChecksum {

    private static final int DIGEST_BYTES = 32;

    private final MessageDigest digest = sha256();
    private final MessageDigest pointDigest = sha256();
    private final CanonicalPoint canonical = new CanonicalPoint();
    private final List<PointId> ids = new ArrayList<>();
    private byte[] pointDigests = new byte[DIGEST_BYTES * 256];
    private long points;

    /** A checksum of a range and the number of points it covers. */
    public record Result(String checksum, long points) {
    }

    /** A range's checksum and the digest of each of its points (built when asked: a diff needs them, a match not). */
    public static final class Detailed {
        private final Result range;
        private final List<PointId> ids;
        private final byte[] digests;

        Detailed(Result range, List<PointId> ids, byte[] digests) {
            this.range = range;
            this.ids = ids;
            this.digests = digests;
        }

        public Result range() {
            return range;
        }

        public PointDigests points() {
            Map<PointKey, String> out = new HashMap<>(ids.size() * 2);
            HexFormat hex = HexFormat.of();
            for (int i = 0; i < ids.size(); i++) {
                out.put(PointKey.of(ids.get(i)), hex.formatHex(digests, i * DIGEST_BYTES, (i + 1) * DIGEST_BYTES));
            }
            return new PointDigests(out);
        }
    }

    RangeChecksum() {
    }

    /** Reads the range from {@code collection} (vectors and payload) and digests it. */
    public static Result of(QdrantGateway gateway, String collection, PointRange range, int pageSize) {
        return read(gateway, collection, range, pageSize).result();
    }

    /**
     * {@link #of} that also keeps the digest of every point of the range (a range holds a batch of points, so they
     * stay small): when two range checksums differ, the point digests say which points made the difference.
     */
    public static Detailed withPoints(QdrantGateway gateway, String collection, PointRange range, int pageSize) {
        return read(gateway, collection, range, pageSize).detailed();
    }

    /**
     * A custom-sharded collection is read one shard key at a time, in {@link ShardKeys#ORDER}: a scroll of all keys
     * returns an id held under two keys once, and each point's digest covers the key it is stored under, so a point
     * copied under the wrong key differs.
     */
    private static RangeChecksum read(QdrantGateway gateway, String collection, PointRange range, int pageSize) {
        RangeChecksum checksum = new RangeChecksum();
        for (io.qdrant.client.grpc.Collections.ShardKey key : RangeReader.shardKeysOrAll(gateway, collection)) {
            RangeReader.readWire(range, from -> gateway.scrollWire(collection, from, pageSize, null, key),
                    page -> page.forEach(checksum::add));
        }
        return checksum;
    }

    /** Adds the next point as Qdrant sent it (callers add points in id order). */
    void add(WirePoint point) {
        add(point.id(), point.buffer(), point.offset(), point.length());
    }

    /** Adds the next point (callers add points in id order). */
    void add(RetrievedPoint point) {
        byte[] encoded = point.toByteArray();
        add(point.getId(), encoded, 0, encoded.length);
    }

    private void add(PointId id, byte[] buffer, int offset, int length) {
        byte[] bytes = canonical.write(buffer, offset, length);
        addCanonical(id, bytes, canonical.size());
    }

    /**
     * Adds the next point of each side, {@code a} to {@code source} and {@code b} to {@code target}, hashing once
     * what the two have in common: when the points arrived as the same bytes, or their canonical forms are the same
     * bytes, they have the same digest, so it is computed once and added to both. Otherwise each is added alone.
     * Either way each checksum ends up exactly as {@link #add(WirePoint)} would have made it.
     */
    static void addPair(RangeChecksum source, WirePoint a, RangeChecksum target, WirePoint b) {
        if (Arrays.equals(a.buffer(), a.offset(), a.offset() + a.length(), b.buffer(), b.offset(),
                b.offset() + b.length())) {
            source.add(a);
            target.addDigestOf(b.id(), source);
            return;
        }
        byte[] ca = source.canonical.write(a.buffer(), a.offset(), a.length());
        byte[] cb = target.canonical.write(b.buffer(), b.offset(), b.length());
        int sa = source.canonical.size();
        int sb = target.canonical.size();
        if (Arrays.equals(ca, 0, sa, cb, 0, sb)) {
            source.addCanonical(a.id(), ca, sa);
            target.addDigestOf(b.id(), source);
        } else {
            source.addCanonical(a.id(), ca, sa);
            target.addCanonical(b.id(), cb, sb);
        }
    }

    private void addCanonical(PointId id, byte[] bytes, int size) {
        pointDigest.update(bytes, 0, size);
        int at = slot();
        try {
            pointDigest.digest(pointDigests, at, DIGEST_BYTES);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-256 digests are 32 bytes", e);
        }
        added(id, at);
    }

    /** Adds a point whose digest is the last one {@code other} added. */
    private void addDigestOf(PointId id, RangeChecksum other) {
        int at = slot();
        System.arraycopy(other.pointDigests, (int) (other.points - 1) * DIGEST_BYTES, pointDigests, at, DIGEST_BYTES);
        added(id, at);
    }

    /** Where the next point's digest goes (room made for it). */
    private int slot() {
        int at = (int) points * DIGEST_BYTES;
        if (at + DIGEST_BYTES > pointDigests.length) {
            pointDigests = Arrays.copyOf(pointDigests, pointDigests.length * 2);
        }
        return at;
    }

    private void added(PointId id, int at) {
        digest.update(pointDigests, at, DIGEST_BYTES);
        ids.add(id);
        points++;
    }

    Detailed detailed() {
        return new Detailed(result(), ids, pointDigests);
    }

    Result result() {
        for (int shift = 56; shift >= 0; shift -= 8) {
            digest.update((byte) (points >>> shift));
        }
        return new Result(HexFormat.of().formatHex(digest.digest()), points);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
