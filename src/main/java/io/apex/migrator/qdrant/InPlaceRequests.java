package io.apex.migrator.qdrant;

import io.qdrant.client.grpc.Collections;
import java.util.Map;

/**
 * The UpdateCollection requests of an in-place change: one that brings a collection to what its spec says (every
 * field Qdrant changes in place), and one that puts a collection back to a config read before the change.
 */
final class InPlaceRequests {

    private InPlaceRequests() {
    }

    /** Brings {@code collection} to the in-place fields of {@code spec}; what the spec leaves out is not sent. */
    static Collections.UpdateCollection toSpec(String collection, CollectionSpec spec, boolean quantization) {
        Collections.CreateCollection want = SpecRequests.create(spec, quantization);
        Collections.UpdateCollection.Builder update = Collections.UpdateCollection.newBuilder()
                .setCollectionName(collection)
                .setHnswConfig(want.getHnswConfig())
                .setOptimizersConfig(want.getOptimizersConfig())
                .setQuantizationConfig(diff(want.hasQuantizationConfig() ? want.getQuantizationConfig() : null));
        Collections.CollectionParamsDiff.Builder params = Collections.CollectionParamsDiff.newBuilder();
        if (want.hasOnDiskPayload()) {
            params.setOnDiskPayload(want.getOnDiskPayload());
        }
        if (want.hasReplicationFactor()) {
            params.setReplicationFactor(want.getReplicationFactor());
        }
        if (want.hasWriteConsistencyFactor()) {
            params.setWriteConsistencyFactor(want.getWriteConsistencyFactor());
        }
        update.setParams(params);
        update.setVectorsConfig(vectors(want.getVectorsConfig()));
        if (want.getSparseVectorsConfig().getMapCount() > 0) {
            Collections.SparseVectorConfig.Builder sparse = Collections.SparseVectorConfig.newBuilder();
            want.getSparseVectorsConfig().getMapMap().forEach((name, p) -> {
                if (p.hasIndex()) {
                    sparse.putMap(name, Collections.SparseVectorParams.newBuilder().setIndex(p.getIndex()).build());
                }
            });
            update.setSparseVectorsConfig(sparse);
        }
        if (want.hasStrictModeConfig()) {
            update.setStrictModeConfig(want.getStrictModeConfig());
        }
        return update.build();
    }

    /** Puts {@code collection} back to {@code before} in every field {@link #toSpec} may have changed. */
    static Collections.UpdateCollection restore(String collection, Collections.CollectionConfig before) {
        Collections.CollectionParams p = before.getParams();
        Collections.UpdateCollection.Builder update = Collections.UpdateCollection.newBuilder()
                .setCollectionName(collection)
                .setHnswConfig(before.getHnswConfig())
                .setOptimizersConfig(before.getOptimizerConfig())
                .setQuantizationConfig(diff(before.hasQuantizationConfig() ? before.getQuantizationConfig() : null))
                .setVectorsConfig(vectors(p.getVectorsConfig()))
                // strict mode cannot be unset, only switched off: what was unset comes back as disabled
                .setStrictModeConfig(before.getStrictModeConfig().hasEnabled() ? before.getStrictModeConfig()
                        : before.getStrictModeConfig().toBuilder().setEnabled(false).build());
        Collections.CollectionParamsDiff.Builder params = Collections.CollectionParamsDiff.newBuilder()
                .setOnDiskPayload(p.getOnDiskPayload());
        if (p.hasReplicationFactor()) {
            params.setReplicationFactor(p.getReplicationFactor());
        }
        if (p.hasWriteConsistencyFactor()) {
            params.setWriteConsistencyFactor(p.getWriteConsistencyFactor());
        }
        update.setParams(params);
        if (p.getSparseVectorsConfig().getMapCount() > 0) {
            Collections.SparseVectorConfig.Builder sparse = Collections.SparseVectorConfig.newBuilder();
            p.getSparseVectorsConfig().getMapMap().forEach((name, s) -> sparse.putMap(name,
                    Collections.SparseVectorParams.newBuilder().setIndex(s.getIndex()).build()));
            update.setSparseVectorsConfig(sparse);
        }
        return update.build();
    }

    /** Each vector's in-place params (on_disk, own HNSW, own quantization or none). */
    private static Collections.VectorsConfigDiff vectors(Collections.VectorsConfig vectors) {
        Map<String, Collections.VectorParams> byName = vectors.hasParams() ? Map.of("", vectors.getParams())
                : vectors.getParamsMap().getMapMap();
        Collections.VectorParamsDiffMap.Builder map = Collections.VectorParamsDiffMap.newBuilder();
        byName.forEach((name, v) -> {
            Collections.VectorParamsDiff.Builder d = Collections.VectorParamsDiff.newBuilder()
                    .setQuantizationConfig(diff(v.hasQuantizationConfig() ? v.getQuantizationConfig() : null));
            if (v.hasOnDisk()) {
                d.setOnDisk(v.getOnDisk());
            }
            if (v.hasHnswConfig()) {
                d.setHnswConfig(v.getHnswConfig());
            }
            map.putMap(name, d.build());
        });
        return vectors.hasParams() ? Collections.VectorsConfigDiff.newBuilder().setParams(map.getMapOrThrow("")).build()
                : Collections.VectorsConfigDiff.newBuilder().setParamsMap(map).build();
    }

    /** A quantization as UpdateCollection sets it; null means none ({@code Disabled}). */
    private static Collections.QuantizationConfigDiff diff(Collections.QuantizationConfig q) {
        Collections.QuantizationConfigDiff.Builder diff = Collections.QuantizationConfigDiff.newBuilder();
        if (q == null) {
            return diff.setDisabled(Collections.Disabled.getDefaultInstance()).build();
        }
        switch (q.getQuantizationCase()) {
            case SCALAR -> diff.setScalar(q.getScalar());
            case PRODUCT -> diff.setProduct(q.getProduct());
            case BINARY -> diff.setBinary(q.getBinary());
            case TURBOQUANT -> diff.setTurboquant(q.getTurboquant());
            default -> diff.setDisabled(Collections.Disabled.getDefaultInstance());
        }
        return diff.build();
    }
}
