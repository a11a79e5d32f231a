package io.apex.migrator.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.apex.migrator.qdrant.CollectionSpecs;
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

class ReleaseManifestsTest {

    private static final CollectionSpecs SPECS = CollectionSpecs.load(Optional.empty());

    static final String MINIMAL = """
            name: r1
            postgres:
              target: V002
            qdrant:
              collections:
                - alias: documents
                  target: documents_v2
            """;

    @Test
    void theBuiltInPhase2IsTheSeedsSchemaOverhaul() {
        // when
        ReleaseManifest phase2 = ReleaseManifests.load(Optional.empty(), SPECS).get("phase-2");

        // then
        assertThat(phase2.parts()).containsExactly("postgres", "neo4j", "qdrant");
        assertThat(phase2.postgres().target()).isEqualTo("V002");
        assertThat(phase2.neo4j().target()).isEqualTo("V001");
        assertThat(phase2.qdrant().manualCutover()).isFalse();
        assertThat(phase2.collections()).extracting(ReleaseManifest.CollectionMigration::alias,
                        ReleaseManifest.CollectionMigration::target)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("documents", "documents_v2"),
                        org.assertj.core.groups.Tuple.tuple("chunks", "chunks_v2"),
                        org.assertj.core.groups.Tuple.tuple("structured_data", "structured_data_v2"));
        assertThat(phase2.collections()).allSatisfy(c -> {
            assertThat(c.batchSize()).isEqualTo(1000);
            assertThat(c.source()).isNull();
        });
    }

    @Test
    void defaultsFillWhatTheManifestLeavesOut() {
        // when
        ReleaseManifest r = parse(MINIMAL);

        // then
        assertThat(r.parts()).containsExactly("postgres", "qdrant");
        assertThat(r.description()).isEmpty();
        assertThat(r.qdrant().cutover()).isEqualTo("auto");
        assertThat(r.collections().get(0).bulkLoad()).isFalse();
        assertThat(r.collections().get(0).snapshot()).isFalse();
    }

    @Test
    void anOrderChangesTheSequenceOfTheParts() {
        // when
        ReleaseManifest r = parse("name: r1\npostgres: {target: 2}\nneo4j: {target: V001}\norder: [neo4j, postgres]\n");

        // then
        assertThat(r.parts()).containsExactly("neo4j", "postgres");
        assertThat(r.postgres().target()).isEqualTo("V002");
    }

    static Stream<Arguments> badManifests() {
        return Stream.of(
                argumentSet("unknown key", MINIMAL + "rollout: fast\n", 8, "unknown key 'rollout'"),
                argumentSet("unknown key in a collection", MINIMAL + "      snapshots: true\n", 8,
                        "unknown key 'qdrant.collections.[0].snapshots'"),
                argumentSet("batch size out of range", MINIMAL + "      batch_size: 0\n", 8,
                        "qdrant.collections.[0].batch_size: must be in 1..100000, got 0"),
                argumentSet("alias twice", MINIMAL + "    - alias: documents\n      target: chunks_v2\n", 8,
                        "qdrant.collections[1].alias: alias 'documents' is migrated twice"),
                argumentSet("no spec for the target", MINIMAL.replace("documents_v2", "documents_v9"), 7,
                        "qdrant.collections[0].target: no collection spec 'documents_v9'"),
                argumentSet("not a version", MINIMAL.replace("V002", "latest"), 3,
                        "postgres.target: 'latest' is not a version"),
                argumentSet("cutover neither auto nor manual", MINIMAL.replace("qdrant:\n", "qdrant:\n  cutover: now\n"),
                        5, "qdrant.cutover: must be 'auto' or 'manual'"),
                argumentSet("order naming a missing part", MINIMAL + "order: [neo4j, qdrant]\n", 8,
                        "order: must name each part of the release once (postgres, qdrant)"),
                argumentSet("name of another file", MINIMAL.replace("name: r1", "name: r2"), 1,
                        "defines release 'r2', so the file must be named r2.yaml"),
                argumentSet("nothing to change", "name: r1\ndescription: empty\n", 1, "the release changes nothing"),
                argumentSet("malformed YAML", "name: r1\npostgres: [\n", 3, "malformed YAML"));
    }

    @ParameterizedTest
    @MethodSource("badManifests")
    void aBadManifestNamesItsFileLineAndKey(String text, int line, String problem) {
        assertThatThrownBy(() -> parse(text))
                .isInstanceOf(ReleaseException.InvalidManifest.class)
                .hasMessageStartingWith("release manifest /etc/apex/releases/r1.yaml line " + line + ": ")
                .hasMessageContaining(problem)
                .satisfies(e -> assertThat(((ReleaseException.InvalidManifest) e).line()).isEqualTo(line));
    }

    @Test
    void aManifestInTheReleasesDirReplacesTheBuiltInOneOfItsName(@TempDir Path dir) throws Exception {
        // given
        Files.writeString(dir.resolve("phase-2.yaml"), "name: phase-2\nneo4j: {target: V002}\n");

        // when
        ReleaseManifests manifests = ReleaseManifests.load(Optional.of(dir), SPECS);

        // then
        assertThat(manifests.get("phase-2").parts()).containsExactly("neo4j");
    }

    @Test
    void anUnknownReleaseNamesTheKnownOnes() {
        assertThatThrownBy(() -> ReleaseManifests.load(Optional.empty(), SPECS).get("phase-9"))
                .isInstanceOf(ReleaseException.UnknownRelease.class)
                .hasMessage("no release 'phase-9'; known releases: phase-2");
    }

    @Test
    void aMissingReleasesDirIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> ReleaseManifests.load(Optional.of(missing), SPECS))
                .isInstanceOf(ReleaseException.InvalidManifest.class)
                .hasMessageContaining(missing + ": apex.releases.dir is not a directory");
    }

    private static ReleaseManifest parse(String text) {
        return ReleaseManifests.parse(Map.of("/etc/apex/releases/r1.yaml", text), SPECS).all().get(0);
    }
}
