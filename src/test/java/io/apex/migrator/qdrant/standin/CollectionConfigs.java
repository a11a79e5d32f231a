package io.apex.migrator.qdrant.standin;

import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.HnswConfigDiff;
import io.qdrant.client.grpc.Collections.OptimizersConfigDiff;
import io.qdrant.client.grpc.Collections.QuantizationConfig;
import io.qdrant.client.grpc.Collections.QuantizationConfigDiff;
import io.qdrant.client.grpc.Collections.QuantizationType;
import io.qdrant.client.grpc.Collections.ScalarQuantization;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.Collections.UpdateCollection;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsDiff;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Collections.WalConfigDiff;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a CreateCollection into the config a real Qdrant echoes in collection info (its defaults filled in
 * under what the request set) and applies UpdateCollection diffs to it. Protobuf's {@code mergeFrom} on
 * messages of optional fields is exactly "diff over current", which is how Qdrant applies them too.
 */
final class CollectionConfigs {

    /** Qdrant's defaults for a new collection (config/config.yaml of Qdrant 1.x). */
    static final HnswConfigDiff DEFAULT_HNSW = HnswConfigDiff.newBuilder()
            .setM(16).setEfConstruct(100).setFullScanThreshold(10_000).setMaxIndexingThreads(0)
            .setOnDisk(false).build();
    static final OptimizersConfigDiff DEFAULT_OPTIMIZERS = OptimizersConfigDiff.newBuilder()
            .setDeletedThreshold(0.2).setVacuumMinVectorNumber(1000).setDefaultSegmentNumber(0)
            .setIndexingThreshold(10_000).setFlushIntervalSec(5).build();
    static final WalConfigDiff DEFAULT_WAL = WalConfigDiff.newBuilder()
            .setWalCapacityMb(32).setWalSegmentsAhead(0).build();

    private static final int MAX_DIMENSION = 65_536;

    private CollectionConfigs() {
    }

    static CollectionConfig fromCreate(CreateCollection request) {
        validateName(request.getCollectionName());
        VectorsConfig vectors = request.hasVectorsConfig() ? request.getVectorsConfig()
                : VectorsConfig.newBuilder().setParamsMap(VectorParamsMap.getDefaultInstance()).build();
        validateVectors(vectors);
        if (request.hasQuantizationConfig()) {
            validateQuantization(request.getQuantizationConfig());
        }
        CollectionParams.Builder params = CollectionParams.newBuilder()
                .setShardNumber(request.hasShardNumber() ? request.getShardNumber() : 1)
                .setOnDiskPayload(!request.hasOnDiskPayload() || request.getOnDiskPayload())
                .setVectorsConfig(vectors)
                .setReplicationFactor(request.hasReplicationFactor() ? request.getReplicationFactor() : 1)
                .setWriteConsistencyFactor(
                        request.hasWriteConsistencyFactor() ? request.getWriteConsistencyFactor() : 1);
        if (request.hasShardingMethod()) {
            params.setShardingMethod(request.getShardingMethod());
        }
        if (request.hasSparseVectorsConfig()) {
            params.setSparseVectorsConfig(request.getSparseVectorsConfig());
        }
        CollectionConfig.Builder config = CollectionConfig.newBuilder()
                .setParams(params)
                .setHnswConfig(DEFAULT_HNSW.toBuilder().mergeFrom(request.getHnswConfig()))
                .setOptimizerConfig(DEFAULT_OPTIMIZERS.toBuilder().mergeFrom(request.getOptimizersConfig()))
                .setWalConfig(DEFAULT_WAL.toBuilder().mergeFrom(request.getWalConfig()))
                .putAllMetadata(request.getMetadataMap());
        if (request.hasQuantizationConfig()) {
            config.setQuantizationConfig(request.getQuantizationConfig());
        }
        if (request.hasStrictModeConfig()) {
            config.setStrictModeConfig(request.getStrictModeConfig());
        }
        return config.build();
    }

    static CollectionConfig applyUpdate(CollectionConfig current, UpdateCollection update) {
        CollectionConfig.Builder config = current.toBuilder();
        if (update.hasOptimizersConfig()) {
            config.getOptimizerConfigBuilder().mergeFrom(update.getOptimizersConfig());
        }
        if (update.hasHnswConfig()) {
            config.getHnswConfigBuilder().mergeFrom(update.getHnswConfig());
        }
        if (update.hasQuantizationConfig()) {
            QuantizationConfig q = applyQuantization(update.getQuantizationConfig());
            if (q == null) {
                config.clearQuantizationConfig();
            } else {
                config.setQuantizationConfig(q);
            }
        }
        if (update.hasParams()) {
            var diff = update.getParams();
            CollectionParams.Builder params = config.getParamsBuilder();
            if (diff.hasReplicationFactor()) {
                params.setReplicationFactor(diff.getReplicationFactor());
            }
            if (diff.hasWriteConsistencyFactor()) {
                params.setWriteConsistencyFactor(diff.getWriteConsistencyFactor());
            }
            if (diff.hasOnDiskPayload()) {
                params.setOnDiskPayload(diff.getOnDiskPayload());
            }
            if (diff.hasReadFanOutFactor()) {
                params.setReadFanOutFactor(diff.getReadFanOutFactor());
            }
        }
        if (update.hasVectorsConfig()) {
            config.getParamsBuilder().setVectorsConfig(
                    applyVectorsDiff(config.getParams().getVectorsConfig(), update.getVectorsConfig()));
        }
        if (update.hasSparseVectorsConfig()) {
            config.getParamsBuilder().setSparseVectorsConfig(applySparseDiff(
                    config.getParams().getSparseVectorsConfig(), update.getSparseVectorsConfig()));
        }
        if (update.hasStrictModeConfig()) {
            config.getStrictModeConfigBuilder().mergeFrom(update.getStrictModeConfig());
        }
        config.putAllMetadata(update.getMetadataMap());
        return config.build();
    }

    /** The dense vectors of a collection by name; the unnamed default vector is named {@code ""}. */
    static Map<String, VectorParams> denseVectors(CollectionConfig config) {
        VectorsConfig vectors = config.getParams().getVectorsConfig();
        return switch (vectors.getConfigCase()) {
            case PARAMS -> Map.of("", vectors.getParams());
            case PARAMS_MAP -> vectors.getParamsMap().getMapMap();
            case CONFIG_NOT_SET -> Map.of();
        };
    }

    /** The quantization that applies to one vector: its own, else the collection's; null if none. */
    static QuantizationConfig quantizationOf(CollectionConfig config, String vectorName) {
        VectorParams params = denseVectors(config).get(vectorName);
        if (params != null && params.hasQuantizationConfig()) {
            return params.getQuantizationConfig();
        }
        return config.hasQuantizationConfig() ? config.getQuantizationConfig() : null;
    }

    private static VectorsConfig applyVectorsDiff(VectorsConfig current,
            io.qdrant.client.grpc.Collections.VectorsConfigDiff diff) {
        Map<String, VectorParamsDiff> diffs = switch (diff.getConfigCase()) {
            case PARAMS -> Map.of("", diff.getParams());
            case PARAMS_MAP -> diff.getParamsMap().getMapMap();
            case CONFIG_NOT_SET -> Map.of();
        };
        Map<String, VectorParams> vectors = new LinkedHashMap<>(switch (current.getConfigCase()) {
            case PARAMS -> Map.of("", current.getParams());
            case PARAMS_MAP -> current.getParamsMap().getMapMap();
            case CONFIG_NOT_SET -> Map.<String, VectorParams>of();
        });
        diffs.forEach((name, d) -> {
            VectorParams params = vectors.get(name);
            if (params == null) {
                throw StandInErrors.invalid("Wrong input: Not existing vector name error: " + name);
            }
            VectorParams.Builder b = params.toBuilder();
            if (d.hasHnswConfig()) {
                b.getHnswConfigBuilder().mergeFrom(d.getHnswConfig());
            }
            if (d.hasOnDisk()) {
                b.setOnDisk(d.getOnDisk());
            }
            if (d.hasQuantizationConfig()) {
                QuantizationConfig q = applyQuantization(d.getQuantizationConfig());
                if (q == null) {
                    b.clearQuantizationConfig();
                } else {
                    b.setQuantizationConfig(q);
                }
            }
            vectors.put(name, b.build());
        });
        return current.getConfigCase() == VectorsConfig.ConfigCase.PARAMS
                ? VectorsConfig.newBuilder().setParams(vectors.get("")).build()
                : VectorsConfig.newBuilder().setParamsMap(VectorParamsMap.newBuilder().putAllMap(vectors)).build();
    }

    private static SparseVectorConfig applySparseDiff(SparseVectorConfig current, SparseVectorConfig diff) {
        SparseVectorConfig.Builder merged = current.toBuilder();
        diff.getMapMap().forEach((name, params) -> {
            SparseVectorParams existing = current.getMapMap().get(name);
            if (existing == null) {
                throw StandInErrors.invalid("Wrong input: Not existing vector name error: " + name);
            }
            merged.putMap(name, existing.toBuilder().mergeFrom(params).build());
        });
        return merged.build();
    }

    /** Null means "disabled". */
    private static QuantizationConfig applyQuantization(QuantizationConfigDiff diff) {
        QuantizationConfig config = switch (diff.getQuantizationCase()) {
            case SCALAR -> QuantizationConfig.newBuilder().setScalar(diff.getScalar()).build();
            case PRODUCT -> QuantizationConfig.newBuilder().setProduct(diff.getProduct()).build();
            case BINARY -> QuantizationConfig.newBuilder().setBinary(diff.getBinary()).build();
            case TURBOQUANT -> QuantizationConfig.newBuilder().setTurboquant(diff.getTurboquant()).build();
            case DISABLED -> null;
            case QUANTIZATION_NOT_SET -> throw StandInErrors.invalid("Wrong input: empty quantization config");
        };
        if (config != null) {
            validateQuantization(config);
        }
        return config;
    }

    private static void validateQuantization(QuantizationConfig config) {
        if (config.hasScalar()) {
            ScalarQuantization scalar = config.getScalar();
            if (scalar.getType() != QuantizationType.Int8) {
                throw StandInErrors.invalid("Wrong input: scalar quantization type must be int8, got "
                        + scalar.getType());
            }
            if (scalar.hasQuantile() && (scalar.getQuantile() < 0.5f || scalar.getQuantile() > 1.0f)) {
                throw StandInErrors.invalid("Validation error in body: [quantization_config.scalar.quantile: "
                        + "value " + scalar.getQuantile() + " invalid, must be from 0.5 to 1.0]");
            }
        }
    }

    private static void validateVectors(VectorsConfig vectors) {
        switch (vectors.getConfigCase()) {
            case PARAMS -> validateVector("", vectors.getParams());
            case PARAMS_MAP -> vectors.getParamsMap().getMapMap().forEach(CollectionConfigs::validateVector);
            case CONFIG_NOT_SET -> throw StandInErrors.invalid("Wrong input: vectors config is empty");
        }
    }

    private static void validateVector(String name, VectorParams params) {
        String field = name.isEmpty() ? "vectors_config.params" : "vectors_config.params_map." + name;
        if (params.getSize() < 1 || params.getSize() > MAX_DIMENSION) {
            throw StandInErrors.invalid("Validation error in body: [" + field + ".size: value "
                    + params.getSize() + " invalid, must be from 1 to " + MAX_DIMENSION + "]");
        }
        if (params.getDistance() == Distance.UnknownDistance || params.getDistance() == Distance.UNRECOGNIZED) {
            throw StandInErrors.invalid("Validation error in body: [" + field + ".distance: unknown distance]");
        }
        if (params.hasQuantizationConfig()) {
            validateQuantization(params.getQuantizationConfig());
        }
    }

    static void validateName(String name) {
        if (name.isEmpty() || name.length() > 255) {
            throw StandInErrors.invalid("Validation error in body: [collection_name: length must be from 1 to 255]");
        }
        for (char c : name.toCharArray()) {
            if ("<>:\"/\\|?*".indexOf(c) >= 0 || Character.isISOControl(c)) {
                throw StandInErrors.invalid("Validation error in body: [collection_name: collection name cannot "
                        + "contain \"" + c + "\" char]");
            }
        }
    }
}
