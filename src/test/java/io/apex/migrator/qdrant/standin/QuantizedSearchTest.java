package io.apex.migrator.qdrant.standin;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.QueryFactory.nearest;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.QuantizationConfig;
import io.qdrant.client.grpc.Collections.QuantizationType;
import io.qdrant.client.grpc.Collections.ScalarQuantization;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.QuantizationSearchParams;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchParams;
import io.qdrant.client.grpc.Points.UpsertPoints;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Search on an int8-quantized collection must lose something measurable, as Qdrant's does, or a recall gate
 * built on the stand-in would check nothing.
 */
class QuantizedSearchTest {

    private static final int DIMS = 64;
    private static final int POINTS = 3000;
    private static final int QUERIES = 30;
    private static final int K = 10;

    private QdrantStandIn standIn;
    private QdrantClient client;
    private final Random random = new Random(5);
    private final List<float[]> stored = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        standIn = QdrantStandIn.start();
        client = new QdrantClient(QdrantGrpcClient.newBuilder(standIn.host(), standIn.port(), false).build());
        client.createCollectionAsync(CreateCollection.newBuilder().setCollectionName("q")
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(DIMS)
                        .setDistance(Distance.Cosine)))
                .setQuantizationConfig(QuantizationConfig.newBuilder().setScalar(ScalarQuantization.newBuilder()
                        .setType(QuantizationType.Int8).setQuantile(0.5f)))
                .build()).get();
        UpsertPoints.Builder batch = UpsertPoints.newBuilder().setCollectionName("q").setWait(true);
        for (int i = 0; i < POINTS; i++) {
            float[] v = gaussian();
            stored.add(v);
            batch.addPoints(PointStruct.newBuilder().setId(id(i)).setVectors(vectors(v)));
        }
        client.upsertAsync(batch.build()).get();
    }

    @AfterEach
    void stop() {
        client.close();
        standIn.close();
    }

    @Test
    void quantizedSearchWithoutRescoringHasMeasurablyLowerRecallThanExact() throws Exception {
        // given
        SearchParams quantizedOnly = SearchParams.newBuilder()
                .setQuantization(QuantizationSearchParams.newBuilder().setRescore(false)).build();

        // when
        double recall = recall(quantizedOnly);
        double ignoring = recall(SearchParams.newBuilder()
                .setQuantization(QuantizationSearchParams.newBuilder().setIgnore(true)).build());

        // then
        assertThat(recall).isLessThan(0.98).isGreaterThan(0.3);
        assertThat(ignoring).isEqualTo(1.0);
    }

    @Test
    void oversamplingWithRescoringRecoversRecallAndReportsExactScores() throws Exception {
        // given
        SearchParams plain = SearchParams.getDefaultInstance();
        SearchParams oversampled = SearchParams.newBuilder().setQuantization(QuantizationSearchParams.newBuilder()
                .setRescore(true).setOversampling(4.0)).build();

        // when
        double plainRecall = recall(plain);
        double oversampledRecall = recall(oversampled);
        float[] query = gaussian();
        List<ScoredPoint> hits = query(query, oversampled);

        // then
        assertThat(oversampledRecall).isGreaterThan(plainRecall);
        for (ScoredPoint hit : hits) {
            float[] v = stored.get((int) hit.getId().getNum());
            assertThat(hit.getScore()).isCloseTo(cosine(query, v), within(1e-4f));
        }
    }

    private double recall(SearchParams params) throws Exception {
        Random queries = new Random(99);
        int found = 0;
        for (int q = 0; q < QUERIES; q++) {
            float[] query = gaussian(queries);
            Set<PointId> exact = ids(query(query, SearchParams.newBuilder().setExact(true).build()));
            Set<PointId> approx = ids(query(query, params));
            approx.retainAll(exact);
            found += approx.size();
        }
        return found / (double) (QUERIES * K);
    }

    private List<ScoredPoint> query(float[] query, SearchParams params) throws Exception {
        return client.queryAsync(QueryPoints.newBuilder().setCollectionName("q").setQuery(nearest(query))
                .setParams(params).setLimit(K).build()).get();
    }

    private static Set<PointId> ids(List<ScoredPoint> hits) {
        Set<PointId> ids = new HashSet<>();
        hits.forEach(h -> ids.add(h.getId()));
        return ids;
    }

    private float[] gaussian() {
        return gaussian(random);
    }

    private static float[] gaussian(Random random) {
        float[] v = new float[DIMS];
        for (int i = 0; i < DIMS; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static float cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return (float) (dot / Math.sqrt(na * nb));
    }
}
