package io.apex.migrator.pipeline;

import static io.qdrant.client.ValueFactory.list;
import static io.qdrant.client.ValueFactory.nullValue;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorFactory.vector;
import static io.qdrant.client.VectorsFactory.namedVectors;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.ScrollPage;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.HnswConfigDiff;
import io.qdrant.client.grpc.Collections.OptimizersConfigDiff;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Test collections for the pipeline: dense-only (unnamed vector) or hybrid (named dense + sparse), with
 * numeric and UUID ids and every payload type. Dot distance, so stored vectors are exactly what was sent
 * (Cosine normalises on upsert) and "target equals source" can be checked bit for bit.
 */
public final class TestCollections {

    private TestCollections() {
    }

    public static void create(QdrantGateway gateway, String name, int dims, boolean hybrid) {
        CreateCollection.Builder request = CreateCollection.newBuilder().setCollectionName(name);
        VectorParams dense = VectorParams.newBuilder().setSize(dims).setDistance(Distance.Dot).build();
        if (hybrid) {
            request.setVectorsConfig(VectorsConfig.newBuilder()
                    .setParamsMap(VectorParamsMap.newBuilder().putMap("dense", dense)));
            request.setSparseVectorsConfig(SparseVectorConfig.newBuilder()
                    .putMap("text", SparseVectorParams.getDefaultInstance()));
        } else {
            request.setVectorsConfig(VectorsConfig.newBuilder().setParams(dense));
        }
        gateway.createCollection(request.build());
    }

    /**
     * An empty dense-only collection that Qdrant indexes once it holds a copy (HNSW on, 10 KB indexing threshold):
     * the target the readiness gate waits for; the stand-in's indexing fault keeps it yellow.
     */
    public static void createIndexed(QdrantGateway gateway, String name, int dims) {
        gateway.createCollection(CreateCollection.newBuilder().setCollectionName(name)
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(dims)
                        .setDistance(Distance.Dot)))
                .setHnswConfig(HnswConfigDiff.newBuilder().setM(16))
                .setOptimizersConfig(OptimizersConfigDiff.newBuilder().setIndexingThreshold(10))
                .build());
    }

    /** Upserts {@code count} points; with {@code uuids}, every third point has a UUID id. */
    public static void seed(QdrantGateway gateway, String name, int count, int dims, boolean hybrid, boolean uuids,
            long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<PointStruct> page = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            PointId id = uuids && i % 3 == 0
                    ? PointId.newBuilder().setUuid(new UUID(random.nextLong(), random.nextLong()).toString()).build()
                    : PointId.newBuilder().setNum(1_000_000L + i * 7L).build();
            float[] v = new float[dims];
            for (int d = 0; d < dims; d++) {
                v[d] = (float) (random.nextDouble() * 2 - 1);
            }
            PointStruct.Builder point = PointStruct.newBuilder().setId(id).putAllPayload(payload(i, random));
            if (hybrid) {
                List<Float> values = List.of((float) random.nextDouble(), (float) random.nextDouble());
                List<Integer> indices = List.of(i % 1000, 1000 + i % 7);
                point.setVectors(namedVectors(Map.of("dense", vector(v), "text", vector(values, indices))));
            } else {
                point.setVectors(vectors(v));
            }
            page.add(point.build());
            if (page.size() == 256) {
                gateway.upsert(name, page);
                page = new ArrayList<>();
            }
        }
        gateway.upsert(name, page);
    }

    private static Map<String, Value> payload(int i, SplittableRandom random) {
        return Map.of(
                "doc_id", value(i),
                "title", value("document " + i),
                "score", value(random.nextDouble()),
                "published", value(i % 2 == 0),
                "tags", list(List.of(value("t" + i % 5), value("all"))),
                "meta", value(Map.of("source", value("it"), "rank", value(i % 10))),
                "nothing", nullValue());
    }

    /** Scrolls both collections side by side and asserts equal ids, vectors and payloads; returns the count. */
    /**
     * A collection of {@code size}-d Dot vectors, sharding method custom, with these shard keys (a String is a keyword,
     * a Long a number), created through a plain client on the shared stand-in (the gateway creates no shard keys).
     */
    static void createCustomSharded(QdrantGateway gateway, String name, int size, Object... keys) {
        gateway.createCollection(io.qdrant.client.grpc.Collections.CreateCollection.newBuilder()
                .setCollectionName(name).setShardingMethod(io.qdrant.client.grpc.Collections.ShardingMethod.Custom)
                .setVectorsConfig(io.qdrant.client.grpc.Collections.VectorsConfig.newBuilder().setParams(
                        io.qdrant.client.grpc.Collections.VectorParams.newBuilder().setSize(size)
                                .setDistance(io.qdrant.client.grpc.Collections.Distance.Dot)))
                .build());
        io.apex.migrator.qdrant.standin.QdrantStandIn.Shared standIn =
                io.apex.migrator.qdrant.standin.QdrantStandIn.shared();
        try (io.qdrant.client.QdrantClient client = new io.qdrant.client.QdrantClient(
                io.qdrant.client.QdrantGrpcClient.newBuilder(standIn.host(), standIn.port(), false).build())) {
            for (Object key : keys) {
                io.qdrant.client.grpc.Collections.ShardKey.Builder k = io.qdrant.client.grpc.Collections.ShardKey
                        .newBuilder();
                if (key instanceof Long number) {
                    k.setNumber(number);
                } else {
                    k.setKeyword((String) key);
                }
                client.createShardKeyAsync(io.qdrant.client.grpc.Collections.CreateShardKeyRequest.newBuilder()
                        .setCollectionName(name).setRequest(io.qdrant.client.grpc.Collections.CreateShardKey
                                .newBuilder().setShardKey(k)).build()).get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static long assertSameContent(QdrantGateway gateway, String source, String target) {
        PointId offset = null;
        long compared = 0;
        while (true) {
            ScrollPage a = gateway.scroll(source, offset, 500, true, true);
            ScrollPage b = gateway.scroll(target, offset, 500, true, true);
            assertThat(ids(b.points())).as("ids of %s after %s points", target, compared).isEqualTo(ids(a.points()));
            for (int i = 0; i < a.points().size(); i++) {
                RetrievedPoint p = a.points().get(i);
                RetrievedPoint q = b.points().get(i);
                assertThat(q.getPayloadMap()).as("payload of %s", p.getId()).isEqualTo(p.getPayloadMap());
                assertThat(q.getVectors()).as("vectors of %s", p.getId()).isEqualTo(p.getVectors());
                assertThat(q.getShardKey()).as("shard key of %s", p.getId()).isEqualTo(p.getShardKey());
            }
            compared += a.points().size();
            assertThat(b.nextOffset()).isEqualTo(a.nextOffset());
            if (a.isLast()) {
                return compared;
            }
            offset = a.nextOffset().orElseThrow();
        }
    }

    private static List<PointId> ids(List<RetrievedPoint> points) {
        return points.stream().map(RetrievedPoint::getId).toList();
    }
}
