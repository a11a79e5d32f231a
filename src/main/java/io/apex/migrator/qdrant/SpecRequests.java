package io.apex.migrator.qdrant;

import io.qdrant.client.grpc.Collections;
import java.util.Map;

/** Translates a spec into Qdrant's protobuf requests. */
final class SpecRequests {

    private SpecRequests() {
    }

    /**
     * The CreateCollection request of {@code spec}; {@code quantization=false} leaves every quantization (the
     * collection's and the vectors' own) out. Shard keys are not part of it: they are created afterwards.
     */
    static Collections.CreateCollection create(CollectionSpec spec, boolean quantization) {
        Collections.VectorsConfig.Builder vectors = Collections.VectorsConfig.newBuilder();
        if (spec.vectors() != null) {
            vectors.setParams(vector(spec.vectors(), quantization));
        } else {
            Collections.VectorParamsMap.Builder map = Collections.VectorParamsMap.newBuilder();
            spec.namedVectors().forEach((name, v) -> map.putMap(name, vector(v, quantization)));
            vectors.setParamsMap(map);
        }
        CollectionSpec.HnswSpec h = spec.hnsw();
        Collections.HnswConfigDiff.Builder hnsw = Collections.HnswConfigDiff.newBuilder()
                .setM(h.m()).setEfConstruct(h.efConstruct());
        h.fullScanThreshold().ifPresent(hnsw::setFullScanThreshold);
        h.onDisk().ifPresent(hnsw::setOnDisk);
        h.payloadM().ifPresent(hnsw::setPayloadM);

        Collections.CreateCollection.Builder request = Collections.CreateCollection.newBuilder()
                .setCollectionName(spec.collection())
                .setVectorsConfig(vectors)
                .setHnswConfig(hnsw)
                .setOptimizersConfig(optimizers(spec.optimizers()));
        if (quantization) {
            spec.quantization().ifPresent(q -> request.setQuantizationConfig(quantization(q)));
        }
        if (!spec.sparseVectors().isEmpty()) {
            Collections.SparseVectorConfig.Builder sparse = Collections.SparseVectorConfig.newBuilder();
            spec.sparseVectors().forEach((name, params) -> sparse.putMap(name, sparse(params)));
            request.setSparseVectorsConfig(sparse);
        }
        spec.onDiskPayload().ifPresent(request::setOnDiskPayload);
        spec.shardNumber().ifPresent(request::setShardNumber);
        spec.replicationFactor().ifPresent(request::setReplicationFactor);
        spec.writeConsistencyFactor().ifPresent(request::setWriteConsistencyFactor);
        if (spec.shardingMethod() == CollectionSpec.ShardingMethod.CUSTOM) {
            request.setShardingMethod(Collections.ShardingMethod.Custom);
        }
        if (!spec.strictMode().isEmpty()) {
            request.setStrictModeConfig(spec.strictMode().toProto());
        }
        return request.build();
    }

    /** The CreateShardKey requests a custom-sharded spec needs after its collection exists, in the spec's order. */
    static java.util.List<Collections.CreateShardKeyRequest> shardKeys(CollectionSpec spec) {
        return spec.shardKeys().stream().map(key -> Collections.CreateShardKeyRequest.newBuilder()
                .setCollectionName(spec.collection())
                .setRequest(Collections.CreateShardKey.newBuilder().setShardKey(shardKey(key))).build()).toList();
    }

    static Collections.ShardKey shardKey(Object key) {
        return key instanceof Number n ? Collections.ShardKey.newBuilder().setNumber(n.longValue()).build()
                : Collections.ShardKey.newBuilder().setKeyword(key.toString()).build();
    }

    /** A shard key as specs and reports write it. */
    static String label(Collections.ShardKey key) {
        return key.hasNumber() ? Long.toString(key.getNumber()) : key.getKeyword();
    }

    static Collections.VectorParams vector(CollectionSpec.VectorSpec v, boolean quantization) {
        Collections.VectorParams.Builder vector = Collections.VectorParams.newBuilder()
                .setSize(v.size()).setDistance(distance(v.distance()));
        v.onDisk().ifPresent(vector::setOnDisk);
        v.datatype().ifPresent(d -> vector.setDatatype(datatype(d)));
        v.hnsw().ifPresent(h -> vector.setHnswConfig(hnsw(h)));
        if (quantization) {
            v.quantization().ifPresent(q -> vector.setQuantizationConfig(quantization(q)));
        }
        v.multivector().ifPresent(m -> vector.setMultivectorConfig(Collections.MultiVectorConfig.newBuilder()
                .setComparator(Collections.MultiVectorComparator.MaxSim)));
        return vector.build();
    }

    static Collections.HnswConfigDiff hnsw(CollectionSpec.HnswOverrides h) {
        Collections.HnswConfigDiff.Builder hnsw = Collections.HnswConfigDiff.newBuilder();
        h.m().ifPresent(hnsw::setM);
        h.efConstruct().ifPresent(hnsw::setEfConstruct);
        h.fullScanThreshold().ifPresent(hnsw::setFullScanThreshold);
        h.onDisk().ifPresent(hnsw::setOnDisk);
        h.payloadM().ifPresent(hnsw::setPayloadM);
        return hnsw.build();
    }

    static Collections.OptimizersConfigDiff optimizers(CollectionSpec.OptimizersSpec o) {
        Collections.OptimizersConfigDiff.Builder optimizers = Collections.OptimizersConfigDiff.newBuilder();
        o.defaultSegmentNumber().ifPresent(optimizers::setDefaultSegmentNumber);
        o.indexingThreshold().ifPresent(optimizers::setIndexingThreshold);
        o.memmapThreshold().ifPresent(optimizers::setMemmapThreshold);
        o.deletedThreshold().ifPresent(optimizers::setDeletedThreshold);
        o.flushIntervalSec().ifPresent(optimizers::setFlushIntervalSec);
        return optimizers.build();
    }

    static Collections.SparseVectorParams sparse(CollectionSpec.SparseVectorSpec params) {
        Collections.SparseVectorParams.Builder p = Collections.SparseVectorParams.newBuilder();
        params.modifier().ifPresent(m -> p.setModifier(
                m.equals("idf") ? Collections.Modifier.Idf : Collections.Modifier.None));
        params.index().ifPresent(i -> {
            Collections.SparseIndexConfig.Builder index = Collections.SparseIndexConfig.newBuilder();
            i.onDisk().ifPresent(index::setOnDisk);
            i.fullScanThreshold().ifPresent(index::setFullScanThreshold);
            i.datatype().ifPresent(d -> index.setDatatype(datatype(d)));
            p.setIndex(index);
        });
        return p.build();
    }

    static Collections.QuantizationConfig quantization(CollectionSpec.QuantizationSpec q) {
        Collections.QuantizationConfig.Builder config = Collections.QuantizationConfig.newBuilder();
        if (q.scalar() != null) {
            config.setScalar(Collections.ScalarQuantization.newBuilder()
                    .setType(Collections.QuantizationType.Int8)
                    .setQuantile((float) q.scalar().quantile())
                    .setAlwaysRam(q.scalar().alwaysRam()));
        } else if (q.product() != null) {
            Collections.ProductQuantization.Builder product = Collections.ProductQuantization.newBuilder()
                    .setCompression(Collections.CompressionRatio.valueOf(q.product().compression()));
            q.product().alwaysRam().ifPresent(product::setAlwaysRam);
            config.setProduct(product);
        } else {
            Collections.BinaryQuantization.Builder binary = Collections.BinaryQuantization.newBuilder();
            q.binary().alwaysRam().ifPresent(binary::setAlwaysRam);
            q.binary().encoding().ifPresent(e -> binary.setEncoding(ENCODINGS.get(e)));
            q.binary().queryEncoding().ifPresent(e -> binary.setQueryEncoding(
                    Collections.BinaryQuantizationQueryEncoding.newBuilder().setSetting(QUERY_ENCODINGS.get(e))));
            config.setBinary(binary);
        }
        return config.build();
    }

    static final Map<String, Collections.BinaryQuantizationEncoding> ENCODINGS = Map.of(
            "one_bit", Collections.BinaryQuantizationEncoding.OneBit,
            "two_bits", Collections.BinaryQuantizationEncoding.TwoBits,
            "one_and_half_bits", Collections.BinaryQuantizationEncoding.OneAndHalfBits);
    static final Map<String, Collections.BinaryQuantizationQueryEncoding.Setting> QUERY_ENCODINGS = Map.of(
            "default", Collections.BinaryQuantizationQueryEncoding.Setting.Default,
            "binary", Collections.BinaryQuantizationQueryEncoding.Setting.Binary,
            "scalar4bits", Collections.BinaryQuantizationQueryEncoding.Setting.Scalar4Bits,
            "scalar8bits", Collections.BinaryQuantizationQueryEncoding.Setting.Scalar8Bits);

    static Collections.Datatype datatype(CollectionSpec.Datatype datatype) {
        return switch (datatype) {
            case FLOAT32 -> Collections.Datatype.Float32;
            case FLOAT16 -> Collections.Datatype.Float16;
            case UINT8 -> Collections.Datatype.Uint8;
        };
    }

    static Collections.Distance distance(CollectionSpec.Distance distance) {
        return switch (distance) {
            case COSINE -> Collections.Distance.Cosine;
            case DOT -> Collections.Distance.Dot;
            case EUCLID -> Collections.Distance.Euclid;
            case MANHATTAN -> Collections.Distance.Manhattan;
        };
    }
}
