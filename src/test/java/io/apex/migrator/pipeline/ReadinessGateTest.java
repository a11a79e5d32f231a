package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantSettings;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.HnswConfigDiff;
import io.qdrant.client.grpc.Collections.OptimizersConfigDiff;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The readiness gate: what Qdrant is expected to index, and a target that stays yellow past the timeout. */
class ReadinessGateTest {

    private QdrantStandIn standIn;
    private QdrantGateway gateway;

    @BeforeEach
    void start() {
        standIn = QdrantStandIn.start();
        gateway = QdrantGateway.connect(QdrantSettings.of(standIn.host(), standIn.port()));
    }

    @AfterEach
    void stop() {
        gateway.close();
        standIn.close();
    }

    @Test
    void aTargetStillIndexingWhenTheTimeoutPassesIsReportedNotReadyWithItsReason() {
        // given: a target past its 1 KB threshold that the stand-in keeps yellow for ten minutes after a change
        gateway.createCollection(CreateCollection.newBuilder().setCollectionName("t")
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(16)
                        .setDistance(Distance.Dot)))
                .setOptimizersConfig(OptimizersConfigDiff.newBuilder().setIndexingThreshold(1)).build());
        standIn.faults().indexingDelay(Duration.ofMinutes(10));
        TestCollections.seed(gateway, "t", 100, 16, false, false, 1);
        ReadinessGate gate = new ReadinessGate(gateway, config("1s"));
        List<ReadinessGate.Readiness> progress = new ArrayList<>();

        // when
        ReadinessGate.Readiness last = gate.await("t", progress::add);

        // then: not ready, why, and the progress seen once (nothing changed between the polls)
        assertThat(last.ready()).isFalse();
        assertThat(last.status()).isEqualTo("yellow");
        assertThat(last.requiredIndexed()).isEqualTo(99);
        assertThat(last.reason()).isEqualTo("status yellow; 0 of 99 required vectors indexed");
        assertThat(progress).containsExactly(last);
    }

    @Test
    void aReadyTargetPassesAtTheFirstLookWithoutProgress() {
        TestCollections.create(gateway, "small", 8, false);
        TestCollections.seed(gateway, "small", 10, 8, false, false, 2);
        List<ReadinessGate.Readiness> progress = new ArrayList<>();

        ReadinessGate.Readiness last = new ReadinessGate(gateway, config("1m")).await("small", progress::add);

        assertThat(last.ready()).isTrue();
        assertThat(progress).isEmpty();
    }

    @Test
    void onlyVectorsWithHnswOnInCollectionsPastTheThresholdAreExpectedIndexed() {
        // 1,000 points of 2 x 256 floats = 2 MB
        CollectionConfig both = config(16, 1_000, named(null, null));
        CollectionConfig oneOff = config(16, 1_000, named(0L, null));
        assertThat(ReadinessGate.requiredIndexed(both, 1_000, 1, 0.99)).isEqualTo(1_980);
        assertThat(ReadinessGate.requiredIndexed(oneOff, 1_000, 1, 0.99)).isEqualTo(990);
        // HNSW off for the collection (a bulk load), or a threshold of 0 (indexing disabled): nothing to wait for
        assertThat(ReadinessGate.requiredIndexed(config(0, 1_000, named(null, null)), 1_000, 1, 0.99)).isZero();
        assertThat(ReadinessGate.requiredIndexed(config(16, 0, named(null, null)), 1_000, 1, 0.99)).isZero();
        // below the threshold per segment: Qdrant searches those segments exactly
        assertThat(ReadinessGate.requiredIndexed(both, 1_000, 4, 0.99)).isZero();
        assertThat(ReadinessGate.requiredIndexed(config(16, 10_000, named(null, null)), 1_000, 1, 0.99)).isZero();
    }

    private static VectorsConfig named(Long firstM, Long secondM) {
        return VectorsConfig.newBuilder().setParamsMap(VectorParamsMap.newBuilder()
                .putMap("a", vector(firstM)).putMap("b", vector(secondM))).build();
    }

    private static VectorParams vector(Long m) {
        VectorParams.Builder v = VectorParams.newBuilder().setSize(256).setDistance(Distance.Cosine);
        if (m != null) {
            v.setHnswConfig(HnswConfigDiff.newBuilder().setM(m));
        }
        return v.build();
    }

    private static CollectionConfig config(long m, long thresholdKb, VectorsConfig vectors) {
        return CollectionConfig.newBuilder().setParams(CollectionParams.newBuilder().setVectorsConfig(vectors))
                .setHnswConfig(HnswConfigDiff.newBuilder().setM(m))
                .setOptimizerConfig(OptimizersConfigDiff.newBuilder()
                        .setIndexingThreshold(thresholdKb))
                .build();
    }

    private static PipelineConfig config(String timeout) {
        return new SmallRyeConfigBuilder().withMapping(PipelineConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withDefaultValue("apex.pipeline.readiness.timeout", timeout)
                .build().getConfigMapping(PipelineConfig.class);
    }
}
