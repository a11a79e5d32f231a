package io.apex.migrator.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.pipeline.CollectionRecall;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantSettings;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.QuantizationConfig;
import io.qdrant.client.grpc.Collections.QuantizationType;
import io.qdrant.client.grpc.Collections.ScalarQuantization;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.PointStruct;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code apex_recall_at_k}: measured per collection and vector on the stand-in; a degraded quantization shows. */
class RecallWatchTest {

    private static final int DIMS = 16;

    private QdrantStandIn standIn;
    private QdrantGateway gateway;
    private SimpleMeterRegistry registry;
    private RecallWatch watch;

    @BeforeEach
    void start() {
        standIn = QdrantStandIn.start();
        gateway = QdrantGateway.connect(QdrantSettings.of(standIn.host(), standIn.port()));
        ObservabilityConfig config = new SmallRyeConfigBuilder().withMapping(ObservabilityConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withDefaultValue("apex.observability.recall.sample", "50").build()
                .getConfigMapping(ObservabilityConfig.class);
        registry = new SimpleMeterRegistry();
        watch = new RecallWatch(registry, gateway, config);
    }

    @AfterEach
    void stop() {
        gateway.close();
        standIn.close();
    }

    @Test
    void eachDenseVectorOfTheAliasedCollectionGetsItsGaugeAndADegradedQuantizationLowersIt() {
        // given: two named dense vectors, int8-quantized, behind an alias
        VectorParams dense = VectorParams.newBuilder().setSize(DIMS).setDistance(Distance.Dot).build();
        gateway.createCollection(CreateCollection.newBuilder().setCollectionName("docs_v2")
                .setVectorsConfig(VectorsConfig.newBuilder().setParamsMap(VectorParamsMap.newBuilder()
                        .putMap("title", dense).putMap("body", dense)))
                .setQuantizationConfig(QuantizationConfig.newBuilder().setScalar(ScalarQuantization.newBuilder()
                        .setType(QuantizationType.Int8).setQuantile(0.99f).setAlwaysRam(true)))
                .build());
        Random random = new Random(7);
        List<PointStruct> points = new ArrayList<>();
        for (int i = 1; i <= 400; i++) {
            points.add(PointStruct.newBuilder().setId(PointId.newBuilder().setNum(i))
                    .setVectors(io.qdrant.client.VectorsFactory.namedVectors(Map.of(
                            "title", io.qdrant.client.VectorFactory.vector(randomVector(random)),
                            "body", io.qdrant.client.VectorFactory.vector(randomVector(random))))).build());
        }
        gateway.upsert("docs_v2", points);
        gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                .setAliasName("docs").setCollectionName("docs_v2")).build()));

        // when
        CollectionRecall.Report healthy = watch.measure("docs");
        double healthyTitle = gauge("title").value();
        standIn.faults().quantizationNoise("docs_v2", 0.5);
        watch.measure("docs");
        double degradedTitle = gauge("title").value();

        // then
        assertThat(healthy.collection()).isEqualTo("docs_v2");
        assertThat(healthy.sampled()).isEqualTo(50);
        assertThat(healthy.vectors()).extracting(v -> v.vector()).containsExactly("body", "title");
        assertThat(healthy.vectors()).allSatisfy(v -> assertThat(v.queries()).isEqualTo(50));
        assertThat(healthyTitle).isEqualTo(healthy.vectors().get(1).recall()).isGreaterThan(0.9);
        assertThat(gauge("body").value()).isBetween(0.0, 1.0);
        assertThat(degradedTitle).isLessThan(healthyTitle);
    }

    private Gauge gauge(String vector) {
        Gauge gauge = registry.find("apex.recall.at.k").tags("collection", "docs", "vector", vector).gauge();
        assertThat(gauge).as("gauge of " + vector).isNotNull();
        return gauge;
    }

    private static float[] randomVector(Random random) {
        float[] v = new float[DIMS];
        for (int i = 0; i < DIMS; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
