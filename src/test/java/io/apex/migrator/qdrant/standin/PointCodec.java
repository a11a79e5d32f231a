package io.apex.migrator.qdrant.standin;

import com.google.protobuf.Internal.FloatList;
import io.apex.migrator.qdrant.standin.StoredPoint.SparseVec;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.NamedVectorsOutput;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SparseVector;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.Points.VectorOutput;
import io.qdrant.client.grpc.Points.Vectors;
import io.qdrant.client.grpc.Points.VectorsOutput;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts between Qdrant's wire points and {@link StoredPoint}, validating against the collection's
 * vector config the way Qdrant does: unknown vector names and wrong dimensions are INVALID_ARGUMENT, and
 * Cosine vectors are normalised on write (Qdrant stores and returns them normalised).
 */
final class PointCodec {

    private PointCodec() {
    }

    static StoredPoint toStored(PointStruct point, StoredCollection collection, double perturbSigma,
            java.util.Random random) {
        return toStored(point, collection, perturbSigma, random, null);
    }

    /** The point as stored under {@code shardKey} (null: a collection without custom sharding). */
    static StoredPoint toStored(PointStruct point, StoredCollection collection, double perturbSigma,
            java.util.Random random, io.qdrant.client.grpc.Collections.ShardKey shardKey) {
        if (!point.hasId()) {
            throw StandInErrors.invalid("Wrong input: point id is not set");
        }
        PointKey key = PointKey.of(point.getId());
        Map<String, Vector> given = given(point.getVectors());
        if (given.isEmpty() && collection.denseVectors().containsKey("")) {
            throw StandInErrors.invalid("Wrong input: point " + key + " has no vector; the collection requires one");
        }
        Map<String, Vector> single = new HashMap<>();
        Map<String, io.qdrant.client.grpc.Points.MultiDenseVector> multi = new HashMap<>();
        given.forEach((name, v) -> {
            if (v.hasMultiDense()) {
                multi.put(name, multiStored(name, v.getMultiDense(), collection));
            } else {
                single.put(name, v);
            }
        });
        NamedVectors vectors = toStored(single, collection, perturbSigma, random);
        return new StoredPoint(key, point.getPayloadMap(), vectors.dense(), vectors.sparse(), multi, shardKey);
    }

    /**
     * A multi-dense vector (rows of the vector's size) into a vector configured with a {@code multivector_config}:
     * each row checked and stored as dense vectors are (Cosine rows normalised, the datatype applied).
     */
    private static io.qdrant.client.grpc.Points.MultiDenseVector multiStored(String name,
            io.qdrant.client.grpc.Points.MultiDenseVector given, StoredCollection collection) {
        VectorParams params = collection.denseVectors().get(name);
        if (params == null) {
            throw StandInErrors.invalid("Wrong input: Not existing vector name error: " + name);
        }
        if (!params.hasMultivectorConfig()) {
            throw StandInErrors.unsupported("a multi-dense vector for `" + name + "`, which has no multivector_config");
        }
        if (given.getVectorsCount() == 0) {
            throw StandInErrors.unsupported("an empty multi-dense vector");
        }
        io.qdrant.client.grpc.Points.MultiDenseVector.Builder out = io.qdrant.client.grpc.Points.MultiDenseVector
                .newBuilder();
        for (DenseVector row : given.getVectorsList()) {
            out.addVectors(stored(name, row, params, 0, null, floats(row)));
        }
        return out.build();
    }

    /** The vectors of a request by name, the unnamed default vector under {@code ""}. */
    static Map<String, Vector> given(Vectors vectors) {
        return switch (vectors.getVectorsOptionsCase()) {
            case VECTOR -> Map.of("", vectors.getVector());
            case VECTORS -> vectors.getVectors().getVectorsMap();
            case VECTORSOPTIONS_NOT_SET -> Map.of();
        };
    }

    /** Vectors as they are stored, each checked against the collection's config (name, kind, dimension). */
    static NamedVectors toStored(Map<String, Vector> given, StoredCollection collection, double perturbSigma,
            java.util.Random random) {
        Map<String, VectorParams> denseConfig = collection.denseVectors();
        Set<String> sparseConfig = collection.sparseVectors();
        Map<String, DenseVector> dense = new HashMap<>();
        Map<String, SparseVec> sparse = new HashMap<>();
        for (Map.Entry<String, Vector> e : given.entrySet()) {
            String name = e.getKey();
            Vector v = e.getValue();
            if (isSparse(v)) {
                if (!sparseConfig.contains(name)) {
                    throw StandInErrors.invalid("Wrong input: Not existing vector name error: " + name);
                }
                sparse.put(name, sparseOf(v));
            } else {
                VectorParams params = denseConfig.get(name);
                if (params == null) {
                    throw StandInErrors.invalid("Wrong input: Not existing vector name error: " + name);
                }
                dense.put(name, stored(name, denseWire(v), params, perturbSigma, random));
            }
        }
        return new NamedVectors(dense, sparse);
    }

    /** A point's vectors by name: dense and sparse. */
    record NamedVectors(Map<String, DenseVector> dense, Map<String, SparseVec> sparse) {
    }

    static boolean isSparse(Vector v) {
        return v.hasSparse() || v.hasIndices();
    }

    /** The dense vector as sent: the {@code dense} field, or the deprecated bare {@code data} floats. */
    @SuppressWarnings("deprecation")
    static DenseVector denseWire(Vector v) {
        return switch (v.getVectorCase()) {
            case DENSE -> v.getDense();
            case VECTOR_NOT_SET -> dense(toArray(v.getDataList()));
            default -> throw StandInErrors.unsupported(v.getVectorCase() + " vectors");
        };
    }

    /**
     * The vector as Qdrant stores it: dimension checked, Cosine vectors normalised. One that needs no change (a
     * unit vector copied from another collection) is kept as the very message that arrived, floats untouched.
     */
    private static DenseVector stored(String name, DenseVector wire, VectorParams params, double perturbSigma,
            java.util.Random random) {
        FloatList floats = floats(wire);
        if (floats.size() != params.getSize()) {
            throw StandInErrors.dimension(name, params.getSize(), floats.size());
        }
        if (params.hasMultivectorConfig()) {
            throw StandInErrors.unsupported("a single dense vector for the multivector `" + name + "`");
        }
        return stored(name, wire, params, perturbSigma, random, floats);
    }

    /** One dense vector or one row of a multi-dense one, as stored. */
    private static DenseVector stored(String name, DenseVector wire, VectorParams params, double perturbSigma,
            java.util.Random random, FloatList floats) {
        if (floats.size() != params.getSize()) {
            throw StandInErrors.dimension(name, params.getSize(), floats.size());
        }
        boolean cosine = params.getDistance() == Distance.Cosine;
        if (perturbSigma <= 0 && !(cosine && needsNormalising(squaredNorm(floats)))
                && StorageTypes.storesExactly(params, floats)) {
            return wire;
        }
        float[] values = toArray(floats);
        if (perturbSigma > 0) {
            for (int i = 0; i < values.length; i++) {
                values[i] += (float) (random.nextGaussian() * perturbSigma);
            }
        }
        if (cosine) {
            normalize(values);
        }
        StorageTypes.apply(params, values);
        return dense(values);
    }

    /** The floats of a dense vector in place: protobuf keeps them as its primitive list (never boxed here). */
    static FloatList floats(DenseVector v) {
        // generated code returns its Internal.FloatList field itself from getDataList()
        return (FloatList) v.getDataList();
    }

    @SuppressWarnings("deprecation")
    static SparseVec sparseOf(Vector v) {
        if (v.hasSparse()) {
            return sparseOf(v.getSparse());
        }
        return new SparseVec(v.getIndices().getDataList().stream().mapToInt(Integer::intValue).toArray(),
                toArray(v.getDataList()));
    }

    static SparseVec sparseOf(SparseVector v) {
        return new SparseVec(v.getIndicesList().stream().mapToInt(Integer::intValue).toArray(),
                toArray(v.getValuesList()));
    }

    static float[] toArray(List<Float> values) {
        float[] out = new float[values.size()];
        if (values instanceof com.google.protobuf.Internal.FloatList floats) {
            // protobuf's own list: read the primitives (get(i) would box every float of every vector)
            for (int i = 0; i < out.length; i++) {
                out[i] = floats.getFloat(i);
            }
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    static void normalize(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        if (needsNormalising(norm)) {
            float inv = (float) (1.0 / Math.sqrt(norm));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
    }

    /**
     * As Qdrant's cosine_preprocess: a vector whose squared length is already 1 (within 1e-6) is stored as sent, so
     * copying stored vectors from one collection to another keeps them bit for bit.
     */
    static boolean needsNormalising(double squaredNorm) {
        return squaredNorm > 0 && Math.abs(squaredNorm - 1.0) > 1e-6;
    }

    private static double squaredNorm(FloatList v) {
        double norm = 0;
        for (int i = 0, n = v.size(); i < n; i++) {
            float x = v.getFloat(i);
            norm += (double) x * x;
        }
        return norm;
    }

    /** Selects every vector, as {@code with_vectors: true}. */
    static final WithVectorsSelector ALL_VECTORS = WithVectorsSelector.newBuilder().setEnable(true).build();

    static RetrievedPoint toRetrieved(StoredPoint p, WithPayloadSelector payload, boolean payloadDefault,
            WithVectorsSelector vectors) {
        if (selectsAll(payload, payloadDefault) && vectors != null && vectors.equals(ALL_VECTORS)) {
            return p.whole();
        }
        return build(p, payload, payloadDefault, vectors);
    }

    static RetrievedPoint build(StoredPoint p, WithPayloadSelector payload, boolean payloadDefault,
            WithVectorsSelector vectors) {
        RetrievedPoint.Builder b = RetrievedPoint.newBuilder().setId(p.key().toPointId())
                .putAllPayload(selectPayload(p.payload(), payload, payloadDefault));
        VectorsOutput out = selectVectors(p, vectors);
        if (out != null) {
            b.setVectors(out);
        }
        if (p.shardKey() != null) {
            b.setShardKey(p.shardKey());
        }
        return b.build();
    }

    private static boolean selectsAll(WithPayloadSelector selector, boolean byDefault) {
        if (selector == null) {
            return byDefault;
        }
        return switch (selector.getSelectorOptionsCase()) {
            case ENABLE -> selector.getEnable();
            case SELECTOROPTIONS_NOT_SET -> byDefault;
            default -> false;
        };
    }

    static ScoredPoint toScored(StoredPoint p, float score, WithPayloadSelector payload,
            WithVectorsSelector vectors) {
        ScoredPoint.Builder b = ScoredPoint.newBuilder().setId(p.key().toPointId()).setScore(score)
                .putAllPayload(selectPayload(p.payload(), payload, false));
        VectorsOutput out = selectVectors(p, vectors);
        if (out != null) {
            b.setVectors(out);
        }
        if (p.shardKey() != null) {
            b.setShardKey(p.shardKey());
        }
        return b.build();
    }

    static Map<String, Value> selectPayload(Map<String, Value> payload, WithPayloadSelector selector,
            boolean byDefault) {
        if (selector == null) {
            return byDefault ? payload : Map.of();
        }
        return switch (selector.getSelectorOptionsCase()) {
            case ENABLE -> selector.getEnable() ? payload : Map.of();
            case INCLUDE -> {
                Map<String, Value> out = new LinkedHashMap<>();
                for (String field : selector.getInclude().getFieldsList()) {
                    String top = field.split("\\.")[0];
                    if (payload.containsKey(top)) {
                        out.put(top, payload.get(top));
                    }
                }
                yield out;
            }
            case EXCLUDE -> {
                Map<String, Value> out = new LinkedHashMap<>(payload);
                selector.getExclude().getFieldsList().forEach(out::remove);
                yield out;
            }
            case SELECTOROPTIONS_NOT_SET -> byDefault ? payload : Map.of();
        };
    }

    /** Null when no vector is asked for; the unnamed vector alone comes back as {@code vector}, else a map. */
    static VectorsOutput selectVectors(StoredPoint p, WithVectorsSelector selector) {
        if (selector == null) {
            return null;
        }
        Set<String> names = switch (selector.getSelectorOptionsCase()) {
            case ENABLE -> selector.getEnable() ? null : Set.of();
            case INCLUDE -> Set.copyOf(selector.getInclude().getNamesList());
            case SELECTOROPTIONS_NOT_SET -> Set.of();
        };
        if (names != null && names.isEmpty()) {
            return null;
        }
        Map<String, VectorOutput> out = new LinkedHashMap<>();
        p.dense().forEach((name, values) -> {
            if (names == null || names.contains(name)) {
                out.put(name, denseOutput(values));
            }
        });
        p.sparse().forEach((name, sv) -> {
            if (names == null || names.contains(name)) {
                out.put(name, sparseOutput(sv));
            }
        });
        p.multi().forEach((name, rows) -> {
            if (names == null || names.contains(name)) {
                out.put(name, VectorOutput.newBuilder().setMultiDense(rows).build());
            }
        });
        if (out.size() == 1 && out.containsKey("")) {
            return VectorsOutput.newBuilder().setVector(out.get("")).build();
        }
        return VectorsOutput.newBuilder().setVectors(NamedVectorsOutput.newBuilder().putAllVectors(out)).build();
    }

    private static VectorOutput denseOutput(DenseVector values) {
        return VectorOutput.newBuilder().setDense(values).build();
    }

    /**
     * A DenseVector of {@code values}, built by protobuf's own packed-float parser from one bulk-encoded buffer: it
     * sizes its list once, where {@code addData} per float grows and copies it a dozen times (the stand-in's hottest
     * spot when it serves scroll pages of 1536-d vectors).
     */
    static DenseVector dense(float[] values) {
        int length = values.length * Float.BYTES;
        java.nio.ByteBuffer wire = java.nio.ByteBuffer.allocate(1 + com.google.protobuf.CodedOutputStream
                .computeUInt32SizeNoTag(length) + length);
        wire.put((byte) 0x0A); // field 1 (data), length-delimited: the packed encoding
        int varint = length;
        while ((varint & ~0x7F) != 0) {
            wire.put((byte) ((varint & 0x7F) | 0x80));
            varint >>>= 7;
        }
        wire.put((byte) varint);
        wire.order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values);
        try {
            return DenseVector.parseFrom(wire.array());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot encode a dense vector", e);
        }
    }

    private static VectorOutput sparseOutput(SparseVec sv) {
        SparseVector.Builder sparse = SparseVector.newBuilder();
        for (int i = 0; i < sv.indices().length; i++) {
            sparse.addIndices(sv.indices()[i]).addValues(sv.values()[i]);
        }
        return VectorOutput.newBuilder().setSparse(sparse).build();
    }
}
