package io.apex.migrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantSettings;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.Points;
import io.apex.migrator.qdrant.CollectionProvisioner;
import io.apex.migrator.qdrant.ProvisioningRequest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code qdrant create-collections} end to end against a private Qdrant stand-in per test. */
@QuarkusMainIntegrationTest
@TestProfile(CreateCollectionsCliIT.CliMode.class)
class CreateCollectionsCliIT {

    private QdrantStandIn standIn;

    @BeforeEach
    void start() {
        standIn = QdrantStandIn.start();
    }

    @AfterEach
    void stop() {
        standIn.close();
    }

    private LaunchResult run(QuarkusMainLauncher launcher, String... args) {
        List<String> all = new ArrayList<>(List.of("qdrant", "create-collections", "--host", standIn.host(),
                "--port", Integer.toString(standIn.port())));
        all.addAll(List.of(args));
        return launcher.launch(all.toArray(String[]::new));
    }

    @Test
    void createsTheCollectionsThenARerunChangesNothingThenDriftExitsWith1(QuarkusMainLauncher launcher) {
        // when
        LaunchResult first = run(launcher, "--api-key=s3cr3t-k3y");
        LaunchResult second = run(launcher);
        LaunchResult drift = run(launcher, "--spec", "chunks", "--no-quantization");

        // then
        assertThat(first.exitCode()).as(first.getErrorOutput()).isZero();
        assertThat(first.getOutput()).contains("documents_v2", "documents -> documents_v2 (created)",
                "3 collections: 3 created, 0 unchanged, 0 drifted");
        assertThat(first.getOutput() + first.getErrorOutput()).doesNotContain("s3cr3t-k3y");
        assertThat(second.exitCode()).as(second.getErrorOutput()).isZero();
        assertThat(second.getOutput()).contains("3 collections: 0 created, 3 unchanged, 0 drifted");
        assertThat(drift.exitCode()).isEqualTo(CommandLines.EXIT_FAILURE);
        assertThat(drift.getOutput()).contains(
                "chunks_v2  quantization: spec none, collection has int8 quantile=0.99 always_ram=true",
                "1 collection: 0 created, 0 unchanged, 1 drifted");
        assertThat(drift.getErrorOutput()).contains("error: 1 of 1 collections differ from their specs");
    }

    @Test
    void infoOnlyShowsConfigIndexesAliasAndTheSeedsMemoryEstimate(QuarkusMainLauncher launcher) {
        // given: documents_v2 with the seed's 66 points
        try (QdrantGateway gateway = gateway()) {
            new CollectionProvisioner(gateway, Optional.empty()).provision(ProvisioningRequest.of("documents_v2"));
            gateway.upsert("documents_v2", IntStream.range(0, 66).mapToObj(CreateCollectionsCliIT::point).toList());
        }

        // when
        LaunchResult result = run(launcher, "--info-only");

        // then
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutput()).contains("info only: nothing was changed", "ESTIMATE")
                .containsPattern("documents_v2\\s+green\\s+66\\s+1536 cosine\\s+m=16 ef_construct=64\\s+"
                        + "int8 quantile=0.99 always_ram=true\\s+6/6\\s+documents -> documents_v2\\s+none")
                .containsPattern("documents_v2\\s+66\\s+1536\\s+396.0 KB\\s+99.0 KB\\s+297.0 KB \\(75%\\)")
                .containsPattern("chunks_v2\\s+absent");
        try (QdrantGateway gateway = gateway()) {
            assertThat(gateway.collectionExists("chunks_v2")).isFalse();
        }
    }

    @Test
    void anUnknownSpecIsAClearErrorAndCreatesNothing(QuarkusMainLauncher launcher) {
        // when
        LaunchResult result = run(launcher, "--spec", "nope");

        // then
        assertThat(result.exitCode()).isEqualTo(CommandLines.EXIT_FAILURE);
        assertThat(result.getErrorOutput()).contains("no collection spec 'nope'", "documents_v2");
        try (QdrantGateway gateway = gateway()) {
            assertThat(gateway.collectionExists("documents_v2")).isFalse();
            assertThat(gateway.aliases()).isEmpty();
        }
    }

    @Test
    void helpListsTheSeedsFlagsAndPointsTheApiKeyToTheEnvironment(QuarkusMainLauncher launcher) {
        LaunchResult help = launcher.launch("qdrant", "create-collections", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.getOutput()).contains("--host", "--port", "--version", "--no-quantization", "--info-only",
                "--spec", "--[no-]tls", "--api-key", "APEX_QDRANT_API_KEY");
    }

    @Test
    void anUnreachableQdrantNamesTheEndpoint(QuarkusMainLauncher launcher) {
        // given: nothing listens on the stand-in's port any more
        String endpoint = standIn.host() + ":" + standIn.port();
        standIn.close();

        // when
        LaunchResult result = launcher.launch("qdrant", "create-collections", "--host", endpoint.split(":")[0],
                "--port", endpoint.split(":")[1], "--spec", "documents");

        // then
        assertThat(result.exitCode()).isEqualTo(CommandLines.EXIT_FAILURE);
        assertThat(result.getErrorOutput()).contains("UNAVAILABLE", endpoint);
    }

    private QdrantGateway gateway() {
        return QdrantGateway.connect(QdrantSettings.of(standIn.host(), standIn.port()));
    }

    /** CLI commands run without an HTTP listener, as in production (and port 8081 may be taken). */
    public static final class CliMode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.host-enabled", "false");
        }
    }

    private static Points.PointStruct point(int id) {
        Points.DenseVector.Builder dense = Points.DenseVector.newBuilder();
        for (int i = 0; i < 1536; i++) {
            dense.addData((float) Math.sin(id + i));
        }
        return Points.PointStruct.newBuilder().setId(Common.PointId.newBuilder().setNum(id))
                .setVectors(Points.Vectors.newBuilder().setVector(Points.Vector.newBuilder().setDense(dense))).build();
    }
}
