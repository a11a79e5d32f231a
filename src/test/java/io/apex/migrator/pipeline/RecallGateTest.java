package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.apex.migrator.api.PointKey;
import io.apex.migrator.api.PointRange;
import io.apex.migrator.qdrant.CollectionProvisioner;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantSettings;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.QuantizationConfig;
import io.qdrant.client.grpc.Collections.QuantizationType;
import io.qdrant.client.grpc.Collections.ScalarQuantization;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The recall gate against the Qdrant stand-in: it measures, says it could not, or refuses; never passes silently. */
class RecallGateTest {

    private static final int DIMS = 16;
    private static final List<PointRange> WHOLE = List.of(new PointRange(new PointKey(0L, null), null));

    private QdrantStandIn standIn;
    private QdrantGateway gateway;
    private RecallGate gate;

    @BeforeEach
    void start() {
        standIn = QdrantStandIn.start();
        gateway = QdrantGateway.connect(QdrantSettings.of(standIn.host(), standIn.port()));
        PipelineConfig config = new SmallRyeConfigBuilder().withMapping(PipelineConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()).build()
                .getConfigMapping(PipelineConfig.class);
        gate = new RecallGate(gateway, new CollectionProvisioner(gateway, Optional.empty()), config);
    }

    @AfterEach
    void stop() {
        gateway.close();
        standIn.close();
    }

    @Test
    void anEmptySourcePassesAQuantizedTargetSayingRecallWasNotMeasured() {
        // given
        TestCollections.create(gateway, "v1", DIMS, false);
        createQuantized("v2");

        // when
        RecallGate.Result result = gate.measure("v1", "v2", List.of());

        // then
        assertThat(result.measured()).isFalse();
        assertThat(result.passed()).isTrue();
        assertThat(result.asMap()).containsEntry("checked", true).containsEntry("measured", false)
                .containsEntry("reason", "not measured: source v1 has no points").doesNotContainKey("recallAt10");
    }

    @Test
    void aSourceWhosePointsHaveNoVectorToQueryWithRefusesTheCutoverNamingWhy() {
        // given: the source's dense vector is named, the target's quantized one is the unnamed vector
        TestCollections.create(gateway, "v1", DIMS, true);
        TestCollections.seed(gateway, "v1", 50, DIMS, true, false, 1);
        createQuantized("v2");

        // when / then
        assertThatThrownBy(() -> gate.measure("v1", "v2", WHOLE))
                .isInstanceOf(PipelineException.CutoverRefused.class)
                .hasMessageContaining("recall@10 of the quantized target v2 could not be measured")
                .hasMessageContaining("source v1 has 50 points")
                .hasMessageContaining("none of the 50 sampled source points has a dense vector [(unnamed)]");
    }

    @Test
    void aNonEmptySourceFromWhichNothingWasSampledRefusesTheCutover() {
        // given
        TestCollections.create(gateway, "v1", DIMS, false);
        TestCollections.seed(gateway, "v1", 50, DIMS, false, false, 2);
        createQuantized("v2");
        TestCollections.seed(gateway, "v2", 50, DIMS, false, false, 2);

        // when / then: no planned ranges, so no sample
        assertThatThrownBy(() -> gate.measure("v1", "v2", List.of()))
                .isInstanceOf(PipelineException.CutoverRefused.class)
                .hasMessageContaining("no point was sampled from the planned ranges");
    }

    @Test
    void aFaithfulQuantizedCopyIsMeasuredAndPasses() {
        // given
        TestCollections.create(gateway, "v1", DIMS, false);
        TestCollections.seed(gateway, "v1", 300, DIMS, false, false, 3);
        createQuantized("v2");
        TestCollections.seed(gateway, "v2", 300, DIMS, false, false, 3);

        // when
        RecallGate.Result result = gate.measure("v1", "v2", WHOLE);

        // then
        assertThat(result.measured()).isTrue();
        assertThat(result.queries()).isPositive();
        assertThat(result.passed()).isTrue();
        assertThat(result.asMap()).containsEntry("measured", true).containsKey("recallAt10");
    }

    private void createQuantized(String name) {
        gateway.createCollection(CreateCollection.newBuilder().setCollectionName(name)
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(DIMS)
                        .setDistance(Distance.Dot)))
                .setQuantizationConfig(QuantizationConfig.newBuilder().setScalar(ScalarQuantization.newBuilder()
                        .setType(QuantizationType.Int8).setQuantile(0.99f).setAlwaysRam(true)))
                .build());
    }
}
