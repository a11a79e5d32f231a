package io.apex.migrator.qdrant;

import io.qdrant.client.grpc.Collections;

/** Translates a spec into Qdrant's protobuf requests. */
final class SpecRequests {

    private SpecRequests() {
    }

    /** The CreateCollection request of {@code spec}; {@code quantization=false} leaves quantization out. */
    static Collections.CreateCollection create(CollectionSpec spec, boolean quantization) {
        Collections.VectorParams.Builder vector = Collections.VectorParams.newBuilder()
                .setSize(spec.vectors().size()).setDistance(distance(spec.vectors().distance()));
        spec.vectors().onDisk().ifPresent(vector::setOnDisk);

        Collections.HnswConfigDiff.Builder hnsw = Collections.HnswConfigDiff.newBuilder()
                .setM(spec.hnsw().m()).setEfConstruct(spec.hnsw().efConstruct());
        spec.hnsw().fullScanThreshold().ifPresent(hnsw::setFullScanThreshold);
        spec.hnsw().onDisk().ifPresent(hnsw::setOnDisk);

        CollectionSpec.OptimizersSpec o = spec.optimizers();
        Collections.OptimizersConfigDiff.Builder optimizers = Collections.OptimizersConfigDiff.newBuilder();
        o.defaultSegmentNumber().ifPresent(optimizers::setDefaultSegmentNumber);
        o.indexingThreshold().ifPresent(optimizers::setIndexingThreshold);
        o.memmapThreshold().ifPresent(optimizers::setMemmapThreshold);
        o.deletedThreshold().ifPresent(optimizers::setDeletedThreshold);
        o.flushIntervalSec().ifPresent(optimizers::setFlushIntervalSec);

        Collections.CreateCollection.Builder request = Collections.CreateCollection.newBuilder()
                .setCollectionName(spec.collection())
                .setVectorsConfig(Collections.VectorsConfig.newBuilder().setParams(vector))
                .setHnswConfig(hnsw)
                .setOptimizersConfig(optimizers);
        if (quantization) {
            spec.quantization().ifPresent(q -> request.setQuantizationConfig(quantization(q.scalar())));
        }
        if (!spec.sparseVectors().isEmpty()) {
            Collections.SparseVectorConfig.Builder sparse = Collections.SparseVectorConfig.newBuilder();
            spec.sparseVectors().forEach((name, params) -> {
                Collections.SparseVectorParams.Builder p = Collections.SparseVectorParams.newBuilder();
                params.modifier().ifPresent(m -> p.setModifier(
                        m.equals("idf") ? Collections.Modifier.Idf : Collections.Modifier.None));
                sparse.putMap(name, p.build());
            });
            request.setSparseVectorsConfig(sparse);
        }
        return request.build();
    }

    static Collections.QuantizationConfig quantization(CollectionSpec.ScalarSpec scalar) {
        return Collections.QuantizationConfig.newBuilder().setScalar(Collections.ScalarQuantization.newBuilder()
                .setType(Collections.QuantizationType.Int8)
                .setQuantile((float) scalar.quantile())
                .setAlwaysRam(scalar.alwaysRam())).build();
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
