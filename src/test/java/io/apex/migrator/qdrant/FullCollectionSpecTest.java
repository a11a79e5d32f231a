package io.apex.migrator.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.qdrant.client.grpc.Collections;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Specs beyond the seed's shape: every part of Qdrant's CreateCollection a spec can say, and its mistakes. */
class FullCollectionSpecTest {

    /** A collection with every spec key: three named dense vectors, a sparse one, custom sharding, strict mode. */
    static final String FULL = """
            name: media
            version: 1
            named_vectors:
              text:
                size: 8
                distance: cosine
                datatype: float16
                on_disk: true
                hnsw:
                  m: 32
                  ef_construct: 128
                  payload_m: 16
                quantization:
                  product:
                    compression: x16
                    always_ram: true
              image:
                size: 4
                distance: dot
                datatype: uint8
              colbert:
                size: 3
                distance: euclid
                multivector:
                  comparator: max_sim
            sparse_vectors:
              keywords:
                modifier: idf
                index:
                  on_disk: true
                  full_scan_threshold: 500
            hnsw:
              m: 24
              ef_construct: 90
              full_scan_threshold: 5000
              on_disk: true
              payload_m: 12
            quantization:
              binary:
                always_ram: true
                encoding: two_bits
                query_encoding: scalar8bits
            on_disk_payload: false
            shard_number: 2
            replication_factor: 1
            write_consistency_factor: 1
            sharding_method: custom
            shard_keys: [tenant_a, tenant_b, 7]
            strict_mode:
              enabled: true
              max_query_limit: 100
              search_max_oversampling: 1.5
            payload_indexes:
              tenant_id: keyword
            """;

    static CollectionSpec full() {
        return SpecParser.parse("/specs/media_v1.yaml", FULL);
    }

    @Test
    void theCreateRequestCarriesEveryKeyOfAFullSpec() {
        // when
        Collections.CreateCollection request = SpecRequests.create(full(), true);

        // then
        Map<String, Collections.VectorParams> vectors = request.getVectorsConfig().getParamsMap().getMapMap();
        assertThat(vectors).containsOnlyKeys("text", "image", "colbert");
        Collections.VectorParams text = vectors.get("text");
        assertThat(text.getSize()).isEqualTo(8);
        assertThat(text.getDatatype()).isEqualTo(Collections.Datatype.Float16);
        assertThat(text.getOnDisk()).isTrue();
        assertThat(text.getHnswConfig()).isEqualTo(Collections.HnswConfigDiff.newBuilder().setM(32)
                .setEfConstruct(128).setPayloadM(16).build());
        assertThat(text.getQuantizationConfig().getProduct().getCompression())
                .isEqualTo(Collections.CompressionRatio.x16);
        assertThat(text.getQuantizationConfig().getProduct().getAlwaysRam()).isTrue();
        assertThat(vectors.get("image").getDatatype()).isEqualTo(Collections.Datatype.Uint8);
        assertThat(vectors.get("image").getDistance()).isEqualTo(Collections.Distance.Dot);
        assertThat(vectors.get("colbert").getMultivectorConfig().getComparator())
                .isEqualTo(Collections.MultiVectorComparator.MaxSim);
        Collections.SparseVectorParams keywords = request.getSparseVectorsConfig().getMapMap().get("keywords");
        assertThat(keywords.getModifier()).isEqualTo(Collections.Modifier.Idf);
        assertThat(keywords.getIndex().getOnDisk()).isTrue();
        assertThat(keywords.getIndex().getFullScanThreshold()).isEqualTo(500);
        assertThat(request.getHnswConfig()).isEqualTo(Collections.HnswConfigDiff.newBuilder().setM(24)
                .setEfConstruct(90).setFullScanThreshold(5000).setOnDisk(true).setPayloadM(12).build());
        Collections.BinaryQuantization binary = request.getQuantizationConfig().getBinary();
        assertThat(binary.getEncoding()).isEqualTo(Collections.BinaryQuantizationEncoding.TwoBits);
        assertThat(binary.getAlwaysRam()).isTrue();
        assertThat(binary.getQueryEncoding().getSetting())
                .isEqualTo(Collections.BinaryQuantizationQueryEncoding.Setting.Scalar8Bits);
        assertThat(request.getOnDiskPayload()).isFalse();
        assertThat(request.getShardNumber()).isEqualTo(2);
        assertThat(request.getReplicationFactor()).isEqualTo(1);
        assertThat(request.getWriteConsistencyFactor()).isEqualTo(1);
        assertThat(request.getShardingMethod()).isEqualTo(Collections.ShardingMethod.Custom);
        assertThat(request.getStrictModeConfig()).isEqualTo(Collections.StrictModeConfig.newBuilder()
                .setEnabled(true).setMaxQueryLimit(100).setSearchMaxOversampling(1.5f).build());
    }

    @Test
    void shardKeysAreCreatedAfterTheCollectionInTheSpecsOrderAsKeywordsOrNumbers() {
        // when
        var requests = SpecRequests.shardKeys(full());

        // then
        assertThat(requests).extracting(r -> r.getRequest().getShardKey()).containsExactly(
                Collections.ShardKey.newBuilder().setKeyword("tenant_a").build(),
                Collections.ShardKey.newBuilder().setKeyword("tenant_b").build(),
                Collections.ShardKey.newBuilder().setNumber(7).build());
        assertThat(requests).allSatisfy(r -> assertThat(r.getCollectionName()).isEqualTo("media_v1"));
    }

    @Test
    void withoutQuantizationNeitherTheCollectionNorAVectorIsQuantized() {
        // when
        Collections.CreateCollection request = SpecRequests.create(full(), false);

        // then
        assertThat(request.hasQuantizationConfig()).isFalse();
        assertThat(request.getVectorsConfig().getParamsMap().getMapMap().values())
                .noneMatch(Collections.VectorParams::hasQuantizationConfig);
    }

    @Test
    void theSeedsUnnamedFormStillMakesOneUnnamedVectorAndNoNewFields() {
        // given
        CollectionSpec documents = CollectionSpecs.load(java.util.Optional.empty()).byCollection("documents_v2")
                .orElseThrow();

        // when
        Collections.CreateCollection request = SpecRequests.create(documents, true);

        // then
        assertThat(request.getVectorsConfig().hasParams()).isTrue();
        assertThat(documents.denseVectors()).containsOnlyKeys("");
        assertThat(request.hasShardingMethod()).isFalse();
        assertThat(request.hasShardNumber()).isFalse();
        assertThat(request.hasOnDiskPayload()).isFalse();
        assertThat(request.hasStrictModeConfig()).isFalse();
        assertThat(SpecRequests.shardKeys(documents)).isEmpty();
    }

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                argumentSet("both vector forms", "vectors:\n  size: 4\n  distance: dot\nnamed_vectors:\n  a:\n"
                        + "    size: 4\n    distance: dot\n", 4, "named_vectors: cannot be combined with vectors"),
                argumentSet("no vectors at all", "named_vectors: {}\n", -1, "vectors: is required"),
                argumentSet("named vector size zero", "named_vectors:\n  image:\n    size: 0\n    distance: dot\n", 3,
                        "named_vectors.image.size: must be in 1..65536, got 0"),
                argumentSet("unknown datatype", "named_vectors:\n  image:\n    size: 4\n    distance: dot\n"
                        + "    datatype: float64\n", 5, "named_vectors.image.datatype: 'float64' is not one of "
                        + "float32, float16, uint8"),
                argumentSet("vector hnsw m out of range", "named_vectors:\n  image:\n    size: 4\n    distance: dot\n"
                        + "    hnsw:\n      m: 1000\n", 6, "named_vectors.image.hnsw.m: must be in 0..512"),
                argumentSet("two quantization kinds", "quantization:\n  scalar:\n    quantile: 0.99\n  binary:\n"
                        + "    always_ram: true\n", 1, "quantization: give exactly one of scalar, product and binary"),
                argumentSet("product ratio", "quantization:\n  product:\n    compression: x3\n", 3,
                        "quantization.product.compression: must be one of x4, x8, x16, x32, x64, got 'x3'"),
                argumentSet("binary encoding", "quantization:\n  binary:\n    encoding: three_bits\n", 3,
                        "quantization.binary.encoding: must be one of one_bit, two_bits"),
                argumentSet("shard keys without custom sharding", "shard_keys: [a]\n", 1,
                        "shard_keys: need sharding_method: custom"),
                argumentSet("unknown sharding method", "sharding_method: manual\n", 1,
                        "sharding_method: 'manual' is not one of auto, custom"),
                argumentSet("shard number zero", "shard_number: 0\n", 1, "shard_number: must be >= 1, got 0"),
                argumentSet("unknown strict-mode setting", "strict_mode:\n  max_query_limt: 10\n", 2,
                        "strict_mode.max_query_limt: is not a strict-mode setting; known: "),
                argumentSet("strict-mode value of the wrong type", "strict_mode:\n  enabled: sometimes\n", 2,
                        "strict_mode.enabled: must be true or false, got 'sometimes'"),
                argumentSet("sparse index unknown key", "sparse_vectors:\n  kw:\n    index:\n      in_ram: true\n", 4,
                        "unknown key 'sparse_vectors.kw.index.in_ram'"),
                argumentSet("multivector comparator", "named_vectors:\n  c:\n    size: 4\n    distance: dot\n"
                        + "    multivector:\n      comparator: min_sim\n", 6,
                        "named_vectors.c.multivector.comparator: must be max_sim"));
    }

    @ParameterizedTest
    @MethodSource("badSpecs")
    void badFullSpecsNameFileLineAndKey(String yaml, int line, String problem) {
        // given: the minimal spec without its vectors, plus the part under test
        String text = CollectionSpecsTest.MINIMAL.replace("vectors:\n  size: 4\n  distance: dot\n", "")
                + (yaml.contains("vectors") ? "" : "vectors:\n  size: 4\n  distance: dot\n") + yaml;

        // then
        assertThatThrownBy(() -> CollectionSpecs.parse(Map.of("/specs/notes_v1.yaml", text)))
                .isInstanceOf(CollectionSpecException.class)
                .hasMessageContaining("/specs/notes_v1.yaml")
                .hasMessageContaining(problem)
                .satisfies(e -> {
                    if (line > 0) { // -1: the problem is the absence of a key, which has no line of its own
                        assertThat(((CollectionSpecException) e).line()).as("line in:%n%s", text)
                                .isEqualTo((int) (text.lines().count() - yaml.lines().count() + line));
                    }
                });
    }
}
