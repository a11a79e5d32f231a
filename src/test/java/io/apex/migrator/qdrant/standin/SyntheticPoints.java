package io.apex.migrator.qdrant.standin;

import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Synthetic points for the benchmark and the local demo: {@code count} points with ids 1..count, Gaussian
 * vectors of {@code dimensions} (Cosine), and a small payload (doc_id, tenant, text). Deterministic for a
 * seed. Loaded straight into the stand-in's store, because pushing 200k x 1536-d points through gRPC would
 * only measure the loader.
 */
public record SyntheticPoints(int count, int dimensions, long seed) {

    public SyntheticPoints {
        if (count < 0 || dimensions < 1) {
            throw new IllegalArgumentException("count must be >= 0 and dimensions >= 1, got " + count + ", "
                    + dimensions);
        }
    }

    void loadInto(Catalog catalog, String collectionName) {
        StoredCollection collection;
        try {
            collection = catalog.resolve(collectionName);
        } catch (io.grpc.StatusRuntimeException notFound) {
            collection = catalog.create(collectionName, CollectionConfigs.fromCreate(CreateCollection.newBuilder()
                    .setCollectionName(collectionName)
                    .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder()
                            .setSize(dimensions).setDistance(Distance.Cosine)))
                    .build()));
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 1; i <= count; i++) {
            float[] v = new float[dimensions];
            for (int d = 0; d < dimensions; d++) {
                v[d] = (float) (random.nextDouble() * 2 - 1);
            }
            PointCodec.normalize(v);
            Map<String, Value> payload = Map.of(
                    "doc_id", Value.newBuilder().setIntegerValue(i).build(),
                    "tenant", Value.newBuilder().setStringValue("tenant-" + (i % 8)).build(),
                    "text", Value.newBuilder().setStringValue("synthetic document " + i).build());
            collection.put(new StoredPoint(PointKey.num(i), payload, Map.of("", PointCodec.dense(v)), Map.of()));
        }
    }
}
