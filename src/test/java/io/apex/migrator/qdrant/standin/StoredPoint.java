package io.apex.migrator.qdrant.standin;

import com.google.protobuf.Internal.FloatList;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import java.util.Map;

/**
 * One point as the stand-in keeps it: dense vectors as the immutable protobuf {@link DenseVector} they arrived in
 * (or were normalised into), sparse vectors as two arrays, the payload as protobuf values. Keeping the wire
 * message, not a {@code float[]} copy, lets an upsert of an already-normalised vector store it without touching its
 * floats and a scroll return it without re-encoding them. The unnamed default vector is stored under the name
 * {@code ""}. Immutable once stored; an upsert replaces the whole point, as Qdrant's upsert does.
 */
final class StoredPoint {

    private final PointKey key;
    private final Map<String, Value> payload;
    private final Map<String, DenseVector> dense;
    private final Map<String, SparseVec> sparse;
    /** Multi-dense vectors (late interaction: rows of one size) by name, as they arrived. */
    private final Map<String, io.qdrant.client.grpc.Points.MultiDenseVector> multi;
    /** The shard key the point is stored under; null in a collection without custom sharding. */
    private final io.qdrant.client.grpc.Collections.ShardKey shardKey;
    /**
     * The point with all its payload and vectors, as scroll and get return it by default. Built when the point is
     * stored, like Qdrant keeps points in the form it serves them: the first read of a point costs what every later
     * one does (a lazily built copy made whoever scrolled first pay for it, and a benchmark's first reader look slow).
     */
    private final RetrievedPoint whole;

    StoredPoint(PointKey key, Map<String, Value> payload, Map<String, DenseVector> dense,
            Map<String, SparseVec> sparse) {
        this(key, payload, dense, sparse, null);
    }

    StoredPoint(PointKey key, Map<String, Value> payload, Map<String, DenseVector> dense,
            Map<String, SparseVec> sparse, io.qdrant.client.grpc.Collections.ShardKey shardKey) {
        this(key, payload, dense, sparse, Map.of(), shardKey);
    }

    StoredPoint(PointKey key, Map<String, Value> payload, Map<String, DenseVector> dense,
            Map<String, SparseVec> sparse, Map<String, io.qdrant.client.grpc.Points.MultiDenseVector> multi,
            io.qdrant.client.grpc.Collections.ShardKey shardKey) {
        this.key = key;
        this.multi = Map.copyOf(multi);
        this.shardKey = shardKey;
        this.payload = Map.copyOf(payload);
        this.dense = Map.copyOf(dense);
        this.sparse = Map.copyOf(sparse);
        this.whole = PointCodec.build(this, null, true, PointCodec.ALL_VECTORS);
        whole.getSerializedSize(); // memoized now, not by the first read
    }

    PointKey key() {
        return key;
    }

    /** This point with its payload replaced and its vectors kept. */
    StoredPoint withPayload(Map<String, Value> newPayload) {
        return new StoredPoint(key, newPayload, dense, sparse, multi, shardKey);
    }

    /** This point with its vectors replaced and its payload kept. */
    StoredPoint withVectors(Map<String, DenseVector> newDense, Map<String, SparseVec> newSparse) {
        return new StoredPoint(key, payload, newDense, newSparse, multi, shardKey);
    }

    /** The shard key the point is stored under; null without custom sharding. */
    io.qdrant.client.grpc.Collections.ShardKey shardKey() {
        return shardKey;
    }

    Map<String, Value> payload() {
        return payload;
    }

    Map<String, DenseVector> dense() {
        return dense;
    }

    Map<String, SparseVec> sparse() {
        return sparse;
    }

    Map<String, io.qdrant.client.grpc.Points.MultiDenseVector> multi() {
        return multi;
    }

    /** The floats of the named dense vector, read in place (no copy); null when the point has no such vector. */
    FloatList values(String name) {
        DenseVector v = dense.get(name);
        return v == null ? null : PointCodec.floats(v);
    }

    /** The whole point as a read returns it; protobuf memoizes its serialized size, so a read only copies bytes. */
    RetrievedPoint whole() {
        return whole;
    }

    /** A sparse vector as given: indices and values in the order the client sent them. */
    record SparseVec(int[] indices, float[] values) {

        SparseVec {
            if (indices.length != values.length) {
                throw StandInErrors.invalid("Wrong input: sparse vector has " + indices.length + " indices but "
                        + values.length + " values");
            }
        }

        double dot(SparseVec other) {
            double sum = 0;
            for (int i = 0; i < indices.length; i++) {
                for (int j = 0; j < other.indices.length; j++) {
                    if (indices[i] == other.indices[j]) {
                        sum += (double) values[i] * other.values[j];
                    }
                }
            }
            return sum;
        }
    }
}
