package io.apex.migrator.bench;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.QueryFactory.nearest;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;

import io.apex.migrator.qdrant.QdrantGateway;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Points;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.jboss.logging.Logger;

/**
 * Search latency and recall@10 on a float collection vs an INT8-quantized one (with and without rescoring),
 * against exact search, through the product's gateway. Uses its own scratch collections and drops them after.
 */
final class QdrantQueryBench {

    private static final Logger LOGGER = Logger.getLogger(QdrantQueryBench.class);
    static final String FLOAT_COLLECTION = "apex_bench_float";
    static final String INT8_COLLECTION = "apex_bench_int8";
    private static final int K = 10;
    private static final int UPSERT_BATCH = 256;

    private final QdrantGateway gateway;
    private final SyntheticEmbeddings embeddings;
    private final int points;
    private final int queries;

    QdrantQueryBench(QdrantGateway gateway, SyntheticEmbeddings embeddings, int points, int queries) {
        this.gateway = gateway;
        this.embeddings = embeddings;
        this.points = points;
        this.queries = queries;
    }

    List<BenchRow> run() {
        try {
            create(FLOAT_COLLECTION, false);
            create(INT8_COLLECTION, true);
            load();
            return measure();
        } finally {
            dropIfPresent(FLOAT_COLLECTION);
            dropIfPresent(INT8_COLLECTION);
        }
    }

    private List<BenchRow> measure() {
        List<List<Long>> truth = new ArrayList<>();
        List<Long> exactNanos = new ArrayList<>();
        for (int q = 0; q < queries; q++) {
            long start = System.nanoTime();
            truth.add(search(FLOAT_COLLECTION, query(q), Points.SearchParams.newBuilder().setExact(true).build()));
            exactNanos.add(System.nanoTime() - start);
        }
        List<BenchRow> rows = new ArrayList<>();
        rows.add(new BenchRow("qdrant", "vector top-10", "float, exact", LatencySummary.ofNanos(exactNanos),
                OptionalDouble.of(1.0)));
        rows.add(variant("float, HNSW", FLOAT_COLLECTION, Points.SearchParams.getDefaultInstance(), truth));
        rows.add(variant("int8, no rescore", INT8_COLLECTION, quantized(false), truth));
        rows.add(variant("int8, rescore", INT8_COLLECTION, quantized(true), truth));
        return rows;
    }

    private BenchRow variant(String name, String collection, Points.SearchParams params, List<List<Long>> truth) {
        List<Long> nanos = new ArrayList<>();
        List<Double> recalls = new ArrayList<>();
        for (int q = 0; q < queries; q++) {
            long start = System.nanoTime();
            List<Long> got = search(collection, query(q), params);
            nanos.add(System.nanoTime() - start);
            recalls.add(Recall.atK(truth.get(q), got, K));
        }
        return new BenchRow("qdrant", "vector top-10", name, LatencySummary.ofNanos(nanos),
                OptionalDouble.of(Recall.mean(recalls)));
    }

    private static Points.SearchParams quantized(boolean rescore) {
        return Points.SearchParams.newBuilder().setQuantization(Points.QuantizationSearchParams.newBuilder()
                .setIgnore(false).setRescore(rescore).build()).build();
    }

    private List<Long> search(String collection, float[] vector, Points.SearchParams params) {
        Points.QueryPoints request = Points.QueryPoints.newBuilder().setCollectionName(collection)
                .setQuery(nearest(vector)).setLimit(K).setParams(params).build();
        return gateway.query(request).stream().map(p -> p.getId().getNum()).toList();
    }

    /** Queries are vectors of the same distribution that are not in the collection. */
    private float[] query(int q) {
        return embeddings.vector((long) points + q);
    }

    private void load() {
        List<Points.PointStruct> batch = new ArrayList<>(UPSERT_BATCH);
        for (long i = 0; i < points; i++) {
            batch.add(Points.PointStruct.newBuilder().setId(id(i)).setVectors(vectors(embeddings.vector(i)))
                    .putAllPayload(Map.of("topic", value(embeddings.topic(i)))).build());
            if (batch.size() == UPSERT_BATCH || i == points - 1) {
                gateway.upsert(FLOAT_COLLECTION, batch);
                gateway.upsert(INT8_COLLECTION, batch);
                batch = new ArrayList<>(UPSERT_BATCH);
            }
        }
        LOGGER.infof("loaded %d points of %d dimensions into %s and %s", points, embeddings.dimensions(),
                FLOAT_COLLECTION, INT8_COLLECTION);
    }

    private void create(String name, boolean int8) {
        dropIfPresent(name);
        Collections.CreateCollection.Builder request = Collections.CreateCollection.newBuilder().setCollectionName(name)
                .setVectorsConfig(Collections.VectorsConfig.newBuilder().setParams(Collections.VectorParams.newBuilder()
                        .setSize(embeddings.dimensions()).setDistance(Collections.Distance.Cosine)))
                .setHnswConfig(Collections.HnswConfigDiff.newBuilder().setM(16).setEfConstruct(64));
        if (int8) {
            request.setQuantizationConfig(Collections.QuantizationConfig.newBuilder().setScalar(
                    Collections.ScalarQuantization.newBuilder().setType(Collections.QuantizationType.Int8)
                            .setQuantile(0.99f).setAlwaysRam(true)));
        }
        gateway.createCollection(request.build());
    }

    private void dropIfPresent(String name) {
        if (gateway.collectionExists(name)) {
            gateway.deleteCollection(name);
        }
    }
}
