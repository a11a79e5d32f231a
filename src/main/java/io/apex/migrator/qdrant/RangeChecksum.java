package io.apex.migrator.qdrant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.apex.migrator.api.PointKey;
import io.apex.migrator.api.PointRange;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checksum of one range of a collection: SHA-256 over its points in id order, each as its id, every
 * named vector (sorted by name; dense, sparse or multi-dense, the float values bit for bit as stored) and its
 * payload as canonical JSON (keys sorted at every level). Two collections hold the same points in a range
 * exactly when the checksums match, whatever order the points were written in and whatever order the
 * server returns payload keys in. Quantization does not enter: Qdrant keeps the original vectors and returns
 * those.
 *
 * <p>Each point's bytes are also what {@link PointDigests} hashes on its own: two points have the same point digest
 * exactly when they contribute the same bytes to a range checksum, so a per-point diff finds exactly what made two
 * range checksums differ.
 */
public final class RangeChecksum {

    /** Payload to canonical JSON; a plain mapper writes the TreeMaps in key order. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MessageDigest digest;
    private final DataOutputStream out;
    /** One point's canonical bytes, before they go into the range digest (and, when asked, a digest of their own). */
    private final ByteArrayOutputStream pointBytes = new ByteArrayOutputStream(8 * 1024);
    private final DataOutputStream pointOut = new DataOutputStream(pointBytes);
    private final MessageDigest pointDigest;
    private final Map<PointKey, String> perPoint;
    private long points;
    private ByteBuffer scratch = ByteBuffer.allocate(0);

    /** A checksum of a range and the number of points it covers. */
    public record Result(String checksum, long points) {
    }

    /** A range's checksum and the digest of each of its points. */
    public record Detailed(Result range, PointDigests points) {
    }

    RangeChecksum() {
        this(false);
    }

    RangeChecksum(boolean withPointDigests) {
        digest = sha256();
        out = new DataOutputStream(new BufferedOutputStream(
                new DigestOutputStream(OutputStream.nullOutputStream(), digest), 64 * 1024));
        pointDigest = withPointDigests ? sha256() : null;
        perPoint = withPointDigests ? new HashMap<>() : null;
    }

    /** Reads the range from {@code collection} (vectors and payload) and digests it. */
    public static Result of(QdrantGateway gateway, String collection, PointRange range, int pageSize) {
        RangeChecksum checksum = new RangeChecksum();
        RangeReader.read(gateway, collection, range, pageSize, true, true, page -> page.forEach(checksum::add));
        return checksum.result();
    }

    /**
     * {@link #of} that also keeps the digest of every point of the range (a range holds a batch of points, so the
     * map stays small): when two range checksums differ, the point digests say which points made the difference.
     */
    public static Detailed withPoints(QdrantGateway gateway, String collection, PointRange range, int pageSize) {
        RangeChecksum checksum = new RangeChecksum(true);
        RangeReader.read(gateway, collection, range, pageSize, true, true, page -> page.forEach(checksum::add));
        return checksum.detailed();
    }

    /** Adds the next point (callers add points in id order). */
    void add(RetrievedPoint point) {
        try {
            pointBytes.reset();
            PointKey key = PointKey.of(point.getId());
            writePoint(key, point);
            pointOut.flush();
            pointBytes.writeTo(out);
            if (perPoint != null) {
                perPoint.put(key, HexFormat.of().formatHex(pointDigest.digest(pointBytes.toByteArray())));
            }
            points++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The canonical bytes of one point (into {@link #pointOut}): id, named vectors, canonical payload. */
    private void writePoint(PointKey key, RetrievedPoint point) throws IOException {
        DataOutputStream out = pointOut;
        byte[] id = key.text().getBytes(StandardCharsets.UTF_8);
        out.writeInt(id.length);
        out.write(id);
        Map<String, StoredVectors.Vector> vectors = StoredVectors.of(point.getVectors());
        out.writeInt(vectors.size());
        for (Map.Entry<String, StoredVectors.Vector> e : vectors.entrySet()) {
            out.writeUTF(e.getKey());
            StoredVectors.Vector v = e.getValue();
            out.writeByte(v.indices() != null ? 'S' : v.rows() > 1 ? 'M' : 'D');
            out.writeInt(v.rows());
            out.writeInt(v.values().length);
            writeFloats(v.values());
            if (v.indices() != null) {
                for (int i : v.indices()) {
                    out.writeInt(i);
                }
            }
        }
        byte[] payload = canonicalJson(point.getPayloadMap()).getBytes(StandardCharsets.UTF_8);
        out.writeInt(payload.length);
        out.write(payload);
    }

    /**
     * The same bytes as {@code writeFloat} per value (big-endian {@code floatToIntBits}), handed over in one write:
     * per-float writes through the stream were most of a verify task's CPU.
     */
    private void writeFloats(float[] values) throws IOException {
        if (scratch.capacity() < values.length * Float.BYTES) {
            scratch = ByteBuffer.allocate(values.length * Float.BYTES);
        }
        scratch.clear();
        for (float x : values) {
            scratch.putInt(Float.floatToIntBits(x));
        }
        pointOut.write(scratch.array(), 0, scratch.position());
    }

    Detailed detailed() {
        return new Detailed(result(), new PointDigests(perPoint));
    }

    Result result() {
        try {
            out.writeLong(points);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    /** The payload as JSON with keys sorted at every level. */
    public static String canonicalJson(Map<String, Value> payload) {
        try {
            return JSON.writeValueAsString(plain(payload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("payload cannot be written as JSON", e);
        }
    }

    private static Map<String, Object> plain(Map<String, Value> struct) {
        Map<String, Object> out = new TreeMap<>();
        struct.forEach((k, v) -> out.put(k, plain(v)));
        return out;
    }

    private static Object plain(Value v) {
        return switch (v.getKindCase()) {
            case DOUBLE_VALUE -> v.getDoubleValue();
            case INTEGER_VALUE -> v.getIntegerValue();
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> v.getBoolValue();
            case STRUCT_VALUE -> plain(v.getStructValue().getFieldsMap());
            case LIST_VALUE -> {
                List<Object> list = new ArrayList<>(v.getListValue().getValuesCount());
                v.getListValue().getValuesList().forEach(x -> list.add(plain(x)));
                yield list;
            }
            default -> null;
        };
    }
}
