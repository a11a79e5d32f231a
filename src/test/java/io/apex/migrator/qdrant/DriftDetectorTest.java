package io.apex.migrator.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DriftDetectorTest {

    private static final List<String> KEYS = List.of("tenant_a", "tenant_b", "7");

    /** What Qdrant echoes for the full spec: the create request's fields, its payload indexes, Qdrant's defaults. */
    static CollectionInfo matching(CollectionSpec spec) {
        Collections.CreateCollection request = SpecRequests.create(spec, true);
        CollectionConfig.Builder config = CollectionConfig.newBuilder()
                .setParams(Collections.CollectionParams.newBuilder()
                        .setVectorsConfig(request.getVectorsConfig())
                        .setSparseVectorsConfig(request.getSparseVectorsConfig())
                        .setOnDiskPayload(!request.hasOnDiskPayload() || request.getOnDiskPayload())
                        .setShardNumber(request.hasShardNumber() ? request.getShardNumber() : 1)
                        .setReplicationFactor(1).setWriteConsistencyFactor(1)
                        .setShardingMethod(request.getShardingMethod()))
                .setHnswConfig(request.getHnswConfig().toBuilder().setMaxIndexingThreads(0))
                .setOptimizerConfig(request.getOptimizersConfig().toBuilder().setVacuumMinVectorNumber(1000))
                .setStrictModeConfig(request.getStrictModeConfig().toBuilder().setSearchAllowExact(true));
        if (request.hasQuantizationConfig()) {
            config.setQuantizationConfig(request.getQuantizationConfig());
        }
        CollectionInfo.Builder info = CollectionInfo.newBuilder().setConfig(config);
        spec.payloadIndexes().forEach((field, type) -> info.putPayloadSchema(field,
                Collections.PayloadSchemaInfo.newBuilder().setDataType(type.schemaType()).build()));
        return info.build();
    }

    @Test
    void aCollectionAsTheFullSpecDescribesItHasNoDrift() {
        // given
        CollectionSpec spec = FullCollectionSpecTest.full();

        // then
        assertThat(DriftDetector.compare(spec, true, matching(spec), KEYS)).isEmpty();
    }

    @Test
    void theSeedsSpecsMatchWhatTheyCreate() {
        CollectionSpecs.load(java.util.Optional.empty()).all().forEach(spec ->
                assertThat(DriftDetector.compare(spec, true, matching(spec), List.of())).as(spec.label()).isEmpty());
    }

    @Test
    void aMissingShardKeyIsDrift() {
        // given
        CollectionSpec spec = FullCollectionSpecTest.full();

        // then
        assertThat(DriftDetector.compare(spec, true, matching(spec), List.of("tenant_a", "7")))
                .containsExactly(new Drift("shard_keys.tenant_b", "present", "missing"));
    }

    @Test
    void anOptimizerSettingTheSpecGivesIsComparedAndOneItLeavesOutIsNot() {
        // given
        CollectionSpec documents = CollectionSpecs.load(java.util.Optional.empty()).byCollection("documents_v2")
                .orElseThrow();
        CollectionInfo info = matching(documents);
        CollectionConfig.Builder config = info.getConfig().toBuilder();
        config.getOptimizerConfigBuilder().setIndexingThreshold(7).setMaxSegmentSize(99);

        // when
        List<Drift> drifts = DriftDetector.compare(documents, true, info.toBuilder().setConfig(config).build(),
                List.of());

        // then
        assertThat(drifts).containsExactly(new Drift("optimizers.indexing_threshold", "20000", "7"));
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                change("a vector's size", c -> vector(c, "image", v -> v.setSize(5)),
                        "named_vectors.image.size", "4", "5"),
                change("a vector's distance", c -> vector(c, "image", v -> v.setDistance(Collections.Distance.Cosine)),
                        "named_vectors.image.distance", "dot", "cosine"),
                change("a vector's datatype", c -> vector(c, "image", v -> v.clearDatatype()),
                        "named_vectors.image.datatype", "uint8", "float32"),
                change("a vector's on_disk", c -> vector(c, "text", v -> v.setOnDisk(false)),
                        "named_vectors.text.on_disk", "true", "false"),
                change("a vector's own hnsw", c -> vector(c, "text", v -> v.getHnswConfigBuilder().setPayloadM(8)),
                        "named_vectors.text.hnsw.payload_m", "16", "8"),
                change("a vector's own quantization", c -> vector(c, "text", v -> v.clearQuantizationConfig()),
                        "named_vectors.text.quantization", "product compression=x16 always_ram=true", "none"),
                change("a multivector config", c -> vector(c, "colbert", v -> v.clearMultivectorConfig()),
                        "named_vectors.colbert.multivector", "max_sim", "none"),
                change("a missing named vector", c -> c.getParamsBuilder().getVectorsConfigBuilder()
                        .getParamsMapBuilder().removeMap("colbert"), "named_vectors.colbert", "present", "missing"),
                change("an extra named vector", c -> c.getParamsBuilder().getVectorsConfigBuilder()
                        .getParamsMapBuilder().putMap("audio", Collections.VectorParams.newBuilder().setSize(2)
                                .setDistance(Collections.Distance.Dot).build()), "named_vectors.audio", "absent", "present"),
                change("a sparse modifier", c -> c.getParamsBuilder().getSparseVectorsConfigBuilder().putMap("keywords",
                        Collections.SparseVectorParams.newBuilder().setIndex(Collections.SparseIndexConfig.newBuilder()
                                .setOnDisk(true).setFullScanThreshold(500)).build()),
                        "sparse_vectors.keywords.modifier", "idf", "none"),
                change("a sparse index on_disk", c -> c.getParamsBuilder().getSparseVectorsConfigBuilder().putMap(
                        "keywords", Collections.SparseVectorParams.newBuilder().setModifier(Collections.Modifier.Idf)
                                .setIndex(Collections.SparseIndexConfig.newBuilder().setFullScanThreshold(500)).build()),
                        "sparse_vectors.keywords.index.on_disk", "true", "unset"),
                change("hnsw payload_m", c -> c.getHnswConfigBuilder().setPayloadM(0), "hnsw.payload_m", "12", "0"),
                change("hnsw on_disk", c -> c.getHnswConfigBuilder().setOnDisk(false), "hnsw.on_disk", "true", "false"),
                change("hnsw full_scan_threshold", c -> c.getHnswConfigBuilder().setFullScanThreshold(10_000),
                        "hnsw.full_scan_threshold", "5000", "10000"),
                change("binary encoding", c -> c.getQuantizationConfigBuilder().getBinaryBuilder()
                        .setEncoding(Collections.BinaryQuantizationEncoding.OneBit), "quantization",
                        "binary encoding=two_bits query_encoding=scalar8bits always_ram=true",
                        "binary encoding=one_bit query_encoding=scalar8bits always_ram=true"),
                change("on_disk_payload", c -> c.getParamsBuilder().setOnDiskPayload(true), "on_disk_payload",
                        "false", "true"),
                change("shard_number", c -> c.getParamsBuilder().setShardNumber(1), "shard_number", "2", "1"),
                change("replication_factor", c -> c.getParamsBuilder().setReplicationFactor(2), "replication_factor",
                        "1", "2"),
                change("write_consistency_factor", c -> c.getParamsBuilder().setWriteConsistencyFactor(2),
                        "write_consistency_factor", "1", "2"),
                change("sharding_method", c -> c.getParamsBuilder().clearShardingMethod(), "sharding_method",
                        "custom", "auto"),
                change("a strict-mode setting", c -> c.getStrictModeConfigBuilder().setMaxQueryLimit(10),
                        "strict_mode.max_query_limit", "100", "10"),
                change("a float strict-mode setting", c -> c.getStrictModeConfigBuilder().clearSearchMaxOversampling(),
                        "strict_mode.search_max_oversampling", "1.5", "unset"));
    }

    private static Arguments change(String name, Consumer<CollectionConfig.Builder> change, String field,
            String expected, String actual) {
        return argumentSet(name, change, field, expected, actual);
    }

    private static CollectionConfig.Builder vector(CollectionConfig.Builder config, String name,
            java.util.function.Consumer<Collections.VectorParams.Builder> change) {
        var map = config.getParamsBuilder().getVectorsConfigBuilder().getParamsMapBuilder();
        Collections.VectorParams.Builder v = map.getMapOrThrow(name).toBuilder();
        change.accept(v);
        map.putMap(name, v.build());
        return config;
    }

    @ParameterizedTest
    @MethodSource("changes")
    void eachFieldThatDiffersIsReportedAsOneDriftNamingItAndBothValues(Consumer<CollectionConfig.Builder> change,
            String field, String expected, String actual) {
        // given
        CollectionSpec spec = FullCollectionSpecTest.full();
        CollectionInfo info = matching(spec);
        CollectionConfig.Builder config = info.getConfig().toBuilder();
        change.accept(config);

        // when
        List<Drift> drifts = DriftDetector.compare(spec, true, info.toBuilder().setConfig(config).build(), KEYS);

        // then
        assertThat(drifts).containsExactly(new Drift(field, expected, actual));
    }
}
