package io.apex.migrator.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.qdrant.client.grpc.Collections;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CollectionSpecsTest {

    static final String MINIMAL = """
            name: notes
            version: 1
            vectors:
              size: 4
              distance: dot
            hnsw:
              m: 8
              ef_construct: 32
            payload_indexes:
              tenant_id: keyword
            """;

    @Test
    void theBuiltInSpecsAreTheSeedsThreeV2CollectionsWith6And5And5Indexes() {
        // when
        CollectionSpecs specs = CollectionSpecs.load(Optional.empty());

        // then
        assertThat(specs.all()).extracting(CollectionSpec::collection)
                .containsExactly("chunks_v2", "documents_v2", "structured_data_v2");
        assertThat(specs.all()).allSatisfy(spec -> {
            assertThat(spec.vectors().size()).isEqualTo(1536);
            assertThat(spec.vectors().distance()).isEqualTo(CollectionSpec.Distance.COSINE);
            assertThat(spec.hnsw().m()).isEqualTo(16);
            assertThat(spec.hnsw().efConstruct()).isEqualTo(64);
            assertThat(spec.quantization()).hasValueSatisfying(q -> {
                assertThat(q.scalar().quantile()).isEqualTo(0.99);
                assertThat(q.scalar().alwaysRam()).isTrue();
            });
            assertThat(spec.migration().recallThreshold()).isEqualTo(0.97);
            assertThat(spec.migration().updatedAtField()).contains("updated_at");
            assertThat(spec.alias()).isEqualTo(spec.name());
        });
        assertThat(specs.byCollection("documents_v2").orElseThrow().payloadIndexes()).hasSize(6)
                .containsEntry("tenant_id", PayloadIndexType.KEYWORD)
                .containsEntry("document_id", PayloadIndexType.UUID)
                .containsEntry("updated_at", PayloadIndexType.DATETIME);
        assertThat(specs.byCollection("chunks_v2").orElseThrow().payloadIndexes()).hasSize(5)
                .containsEntry("chunk_index", PayloadIndexType.INTEGER);
        assertThat(specs.byCollection("structured_data_v2").orElseThrow().payloadIndexes()).hasSize(5);
    }

    @Test
    void theCreateRequestCarriesTheWholeSpec() {
        // given
        CollectionSpec documents = CollectionSpecs.load(Optional.empty()).byCollection("documents_v2").orElseThrow();

        // when
        Collections.CreateCollection request = SpecRequests.create(documents, true);

        // then
        assertThat(request.getCollectionName()).isEqualTo("documents_v2");
        assertThat(request.getVectorsConfig().getParams().getSize()).isEqualTo(1536);
        assertThat(request.getVectorsConfig().getParams().getDistance()).isEqualTo(Collections.Distance.Cosine);
        assertThat(request.getHnswConfig().getM()).isEqualTo(16);
        assertThat(request.getHnswConfig().getEfConstruct()).isEqualTo(64);
        assertThat(request.getQuantizationConfig().getScalar().getType()).isEqualTo(Collections.QuantizationType.Int8);
        assertThat(request.getQuantizationConfig().getScalar().getQuantile()).isEqualTo(0.99f);
        assertThat(request.getQuantizationConfig().getScalar().getAlwaysRam()).isTrue();
        assertThat(request.getOptimizersConfig().getIndexingThreshold()).isEqualTo(20000);
        assertThat(SpecRequests.create(documents, false).hasQuantizationConfig()).isFalse();
    }

    @Test
    void aV3AndANewSpecInTheSpecsDirNeedNoCode(@TempDir Path dir) throws Exception {
        // given
        Files.writeString(dir.resolve("documents_v3.yaml"), Files.readString(
                Path.of("src/main/resources/collections/documents_v2.yaml")).replace("version: 2", "version: 3")
                .replace("m: 16", "m: 32"));
        Files.writeString(dir.resolve("notes_v1.yaml"), MINIMAL);

        // when
        CollectionSpecs specs = CollectionSpecs.load(Optional.of(dir));

        // then
        assertThat(specs.select(Optional.empty(), Optional.empty())).extracting(CollectionSpec::collection)
                .containsExactly("chunks_v2", "documents_v3", "notes_v1", "structured_data_v2");
        assertThat(specs.select(Optional.of("documents"), Optional.empty())).extracting(CollectionSpec::collection)
                .containsExactly("documents_v3");
        assertThat(specs.select(Optional.empty(), Optional.of(2))).extracting(CollectionSpec::collection)
                .containsExactly("chunks_v2", "documents_v2", "structured_data_v2");
        assertThat(specs.select(Optional.of("documents_v2"), Optional.empty())).extracting(CollectionSpec::collection)
                .containsExactly("documents_v2");
        assertThat(specs.byCollection("documents_v3").orElseThrow().hnsw().m()).isEqualTo(32);
        assertThat(specs.byCollection("notes_v1").orElseThrow().migration().recallThreshold()).isEqualTo(0.97);
        assertThat(specs.byCollection("notes_v1").orElseThrow().quantization()).isEmpty();
    }

    @Test
    void anUnknownSpecListsTheKnownOnes() {
        CollectionSpecs specs = CollectionSpecs.load(Optional.empty());

        assertThatThrownBy(() -> specs.select(Optional.of("documnets"), Optional.empty()))
                .isInstanceOf(UnknownCollectionSpecException.class)
                .hasMessageContaining("'documnets'").hasMessageContaining("documents_v2, structured_data_v2");
        assertThatThrownBy(() -> specs.select(Optional.empty(), Optional.of(7)))
                .isInstanceOf(UnknownCollectionSpecException.class).hasMessageContaining("of version 7");
    }

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                argumentSet("malformed YAML", "hnsw:\n  m: 16\n  ef_construct: 64: 3\n", 3,
                        "malformed YAML: mapping values are not allowed here"),
                argumentSet("vector size zero", "vectors:\n  size: 0\n  distance: dot\n", 2,
                        "vectors.size: must be in 1..65536, got 0"),
                argumentSet("vector size not a number", "vectors:\n  size: big\n  distance: dot\n", 2,
                        "vectors.size: 'big' is not a long"),
                argumentSet("vector size missing", "vectors:\n  distance: dot\n", 1,
                        "vectors.size: is required"),
                argumentSet("invalid collection name", "name: \"bad name!\"\n", 1,
                        "name: 'bad name!' is not a valid collection name"),
                argumentSet("unknown key", "hnsw:\n  m: 16\n  ef_construct: 64\n  ef_construction: 64\n", 4,
                        "unknown key 'hnsw.ef_construction'"),
                argumentSet("unknown distance", "vectors:\n  size: 4\n  distance: cosinus\n", 3,
                        "vectors.distance: 'cosinus' is not one of cosine, dot, euclid, manhattan"),
                argumentSet("quantile out of range", "quantization:\n  scalar:\n    quantile: 0.2\n", 3,
                        "quantization.scalar.quantile: must be in 0.5..1.0"),
                argumentSet("unknown index type", "payload_indexes:\n  tenant_id: strng\n", 2,
                        "payload_indexes.tenant_id: 'strng' is not one of keyword, integer"));
    }

    @ParameterizedTest
    @MethodSource("badSpecs")
    void badSpecsNameFileLineAndProblem(String yaml, int line, String problem) {
        // given: the minimal spec with one part replaced
        String text = replaceBlock(MINIMAL, yaml);

        // then
        assertThatThrownBy(() -> CollectionSpecs.parse(Map.of("/specs/notes_v1.yaml", text)))
                .isInstanceOf(CollectionSpecException.class)
                .hasMessageContaining("/specs/notes_v1.yaml")
                .hasMessageContaining(problem)
                .satisfies(e -> assertThat(((CollectionSpecException) e).line())
                        .as("line in:%n%s", text).isEqualTo(expectedLine(text, yaml, line)));
    }

    @Test
    void aSpecInAFileOfAnotherNameIsRefused() {
        assertThatThrownBy(() -> CollectionSpecs.parse(Map.of("/specs/notes.yaml", MINIMAL)))
                .isInstanceOf(CollectionSpecException.class)
                .hasMessageContaining("must be named notes_v1.yaml");
    }

    @Test
    void anEmptyFileIsRefused() {
        assertThatThrownBy(() -> CollectionSpecs.parse(Map.of("/specs/notes_v1.yaml", "  \n")))
                .isInstanceOf(CollectionSpecException.class).hasMessageContaining("empty");
    }

    /** Puts the replacement's top-level keys in place of the same keys of the minimal spec, at the end. */
    private static String replaceBlock(String base, String replacement) {
        String firstKey = replacement.substring(0, replacement.indexOf(':'));
        StringBuilder kept = new StringBuilder();
        boolean skipping = false;
        for (String l : base.split("\n")) {
            if (!l.startsWith(" ")) {
                skipping = l.startsWith(firstKey + ":");
            }
            if (!skipping) {
                kept.append(l).append('\n');
            }
        }
        return kept + replacement;
    }

    /** The replacement sits at the end: its line {@code n} is line (kept lines + n) of the whole text. */
    private static int expectedLine(String text, String yaml, int lineInReplacement) {
        int replacementLines = (int) yaml.lines().count();
        int total = (int) text.lines().count();
        return total - replacementLines + lineInReplacement;
    }
}
