package io.apex.migrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.api.Messages;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantSettings;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.support.LocalStackResource;
import io.apex.migrator.support.SpecsDirResource;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.PointStruct;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code qdrant migrate --local} and {@code status} as a user runs them, on the real services and the stand-in. */
@QuarkusMainIntegrationTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
@WithTestResource(SpecsDirResource.class)
class MigrateCliIT {

    @Test
    void aLocalMigrationCopiesSwitchesTheAliasAndShowsInStatus(QuarkusMainLauncher launcher) throws Exception {
        // given
        String alias = "cli_" + UUID.randomUUID().toString().substring(0, 8);
        QdrantStandIn.Shared standIn = QdrantStandIn.shared();
        try (QdrantGateway gateway = QdrantGateway.connect(QdrantSettings.of(standIn.host(), standIn.port()))) {
            for (String c : List.of(alias + "_v1", alias + "_v2")) {
                gateway.createCollection(CreateCollection.newBuilder().setCollectionName(c).setVectorsConfig(
                        VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(4)
                                .setDistance(Distance.Dot))).build());
            }
            List<PointStruct> points = new ArrayList<>();
            for (int i = 1; i <= 250; i++) {
                points.add(PointStruct.newBuilder().setId(PointId.newBuilder().setNum(i))
                        .setVectors(io.qdrant.client.VectorsFactory.vectors(i, 1, 2, 3)).build());
            }
            gateway.upsert(alias + "_v1", points);
            gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                    .setAliasName(alias).setCollectionName(alias + "_v1")).build()));

            // when
            LaunchResult dry = launcher.launch("qdrant", "migrate", "--collection", alias, "--dry-run", "--local",
                    "--batch-size", "100");
            LaunchResult run = launcher.launch("qdrant", "migrate", "--collection", alias, "--local",
                    "--batch-size", "100");
            LaunchResult status = launcher.launch("status");
            LaunchResult again = launcher.launch("qdrant", "migrate", "--collection", alias, "--local");
            LaunchResult reverify = launcher.launch("qdrant", "migrate", "--collection", alias, "--local",
                    "--reverify");
            LaunchResult json = launcher.launch("status", "--output", "json");
            LaunchResult recall = launcher.launch("qdrant", "recall", "--collection", alias, "--sample", "20",
                    "--k", "5", "--output", "json");

            // then
            assertThat(dry.exitCode()).as(dry.getErrorOutput()).isZero();
            assertThat(dry.getOutput()).contains("would copy 250 points of " + alias + "_v1 into " + alias + "_v2",
                    "in 3 batches");
            assertThat(run.exitCode()).as(run.getErrorOutput()).isZero();
            assertThat(run.getOutput()).contains(alias + "_v1 -> " + alias + "_v2  completed  250 points");
            assertThat(gateway.aliases()).containsEntry(alias, alias + "_v2");
            assertThat(gateway.count(alias + "_v2")).isEqualTo(250);
            assertThat(status.exitCode()).isZero();
            assertThat(status.getOutput()).contains(alias + "_v1 -> " + alias + "_v2").contains("completed");
            // a second identical migrate copies nothing: the alias already serves the verified target
            assertThat(again.exitCode()).as(again.getErrorOutput()).isZero();
            assertThat(again.getOutput()).contains(alias + ": already serves " + alias + "_v2")
                    .contains("nothing to copy").doesNotContain("completed  250 points");
            assertThat(reverify.exitCode()).as(reverify.getErrorOutput()).isZero();
            assertThat(reverify.getOutput()).contains("re-verified " + alias + "_v2 against " + alias + "_v1: equal");
            JsonNode runs = Messages.get().mapper().readTree(json.getOutput()).path("runs");
            assertThat(runs.findValuesAsText("target")).contains(alias + "_v2");
            long runsOfAlias = java.util.stream.StreamSupport.stream(runs.spliterator(), false)
                    .filter(r -> alias.equals(r.path("alias").asText())).count();
            assertThat(runsOfAlias).as("runs of the alias: the repeat made none").isEqualTo(1);
            JsonNode only = java.util.stream.StreamSupport.stream(runs.spliterator(), false)
                    .filter(r -> alias.equals(r.path("alias").asText())).findFirst().orElseThrow();
            assertThat(only.path("state").asText()).isEqualTo("completed");
            assertThat(only.path("copiedPoints").asLong()).isEqualTo(250);
            assertThat(recall.exitCode()).as(recall.getErrorOutput()).isZero();
            JsonNode measured = Messages.get().mapper().readTree(recall.getOutput());
            assertThat(measured.path("servedBy").asText()).isEqualTo(alias + "_v2");
            assertThat(measured.path("vectors").get(0).path("queries").asInt()).isEqualTo(20);
            assertThat(measured.path("vectors").get(0).path("recall").asDouble()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void aFollowedManualCutoverEndsAtReadyForCutoverSayingHowToCutOver(QuarkusMainLauncher launcher) {
        // given
        String alias = "manual_" + UUID.randomUUID().toString().substring(0, 8);
        QdrantStandIn.Shared standIn = QdrantStandIn.shared();
        try (QdrantGateway gateway = QdrantGateway.connect(QdrantSettings.of(standIn.host(), standIn.port()))) {
            for (String c : List.of(alias + "_v1", alias + "_v2")) {
                gateway.createCollection(CreateCollection.newBuilder().setCollectionName(c).setVectorsConfig(
                        VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(4)
                                .setDistance(Distance.Dot))).build());
            }
            List<PointStruct> points = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                points.add(PointStruct.newBuilder().setId(PointId.newBuilder().setNum(i))
                        .setVectors(io.qdrant.client.VectorsFactory.vectors(i, 1, 2, 3)).build());
            }
            gateway.upsert(alias + "_v1", points);
            gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                    .setAliasName(alias).setCollectionName(alias + "_v1")).build()));

            // when
            LaunchResult run = launcher.launch("qdrant", "migrate", "--collection", alias, "--local", "--follow",
                    "--cutover", "manual");

            // then: the command returns, successfully, and says how to give the go-ahead; the alias has not moved
            assertThat(run.exitCode()).as(run.getErrorOutput()).isZero();
            assertThat(run.getOutput()).contains("ready-for-cutover").contains("apex-migrator qdrant cutover ")
                    .contains("--local");
            assertThat(gateway.aliases()).containsEntry(alias, alias + "_v1");
        }
    }

    @Test
    void planNamesEachFieldInPlaceRefusesACopyWithExitTwoAndAnHnswChangeRunsLocallyToCompleted(
            QuarkusMainLauncher launcher) {
        // given: v1 behind the alias (4-d Dot, HNSW m 16, ef_construct 100), and the spec of v2 with 8-d vectors and
        // HNSW m 32 / ef_construct 128
        String alias = "inpl_" + UUID.randomUUID().toString().substring(0, 8);
        QdrantStandIn.Shared standIn = QdrantStandIn.shared();
        try (QdrantGateway gateway = QdrantGateway.connect(QdrantSettings.of(standIn.host(), standIn.port()))) {
            createWithAlias(gateway, alias, 20);
            io.qdrant.client.grpc.Collections.CollectionConfig before = gateway.collectionInfo(alias + "_v1")
                    .getConfig();
            SpecsDirResource.write(alias + "_v2", spec(alias, 8));
            try {
                // when
                LaunchResult plan = launcher.launch("qdrant", "migrate", "--collection", alias, "--plan");
                LaunchResult refused = launcher.launch("qdrant", "migrate", "--collection", alias, "--in-place",
                        "--local");

                // then: the plan names each field with both values and how it changes; --in-place refuses it
                assertThat(plan.exitCode()).as(plan.getErrorOutput()).isZero();
                assertThat(plan.getOutput()).contains(alias + ": " + alias + "_v1 -> " + alias + "_v2")
                        .contains("vectors.size: 4 -> 8 (copy)").contains("hnsw.m: 16 -> 32 (in place)")
                        .contains("hnsw.ef_construct: 100 -> 128 (in place)")
                        .contains("needs a copy (the default: copy, verify, swap): [vectors.size]");
                assertThat(refused.exitCode()).as(refused.getOutput()).isEqualTo(2);
                assertThat(refused.getErrorOutput()).contains(alias + "_v1 cannot take the spec of " + alias
                        + "_v2 in place: these fields need a copy: vectors.size: collection has 4, spec 8")
                        .contains("nothing was changed");
                assertThat(gateway.collectionInfo(alias + "_v1").getConfig()).isEqualTo(before);
                assertThat(gateway.collectionExists(alias + "_v2")).isFalse();

                // when: the spec keeps the vectors and changes only HNSW
                SpecsDirResource.write(alias + "_v2", spec(alias, 4));
                LaunchResult run = launcher.launch("qdrant", "migrate", "--collection", alias, "--in-place",
                        "--local");

                // then: v1 has the spec's HNSW, the alias did not move, nothing was created
                assertThat(run.exitCode()).as(run.getErrorOutput()).isZero();
                assertThat(run.getOutput()).contains(alias + "_v1 (in place)  completed");
                assertThat(gateway.collectionInfo(alias + "_v1").getConfig().getHnswConfig().getM()).isEqualTo(32);
                assertThat(gateway.collectionInfo(alias + "_v1").getConfig().getHnswConfig().getEfConstruct())
                        .isEqualTo(128);
                assertThat(gateway.collectionExists(alias + "_v2")).isFalse();
                assertThat(gateway.aliases()).containsEntry(alias, alias + "_v1");
            } finally {
                SpecsDirResource.delete(alias + "_v2");
            }
        }
    }

    /** {@code ALIAS_v1} with {@code points} 4-d Dot points behind the alias. */
    private static void createWithAlias(QdrantGateway gateway, String alias, int points) {
        gateway.createCollection(CreateCollection.newBuilder().setCollectionName(alias + "_v1").setVectorsConfig(
                VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(4)
                        .setDistance(Distance.Dot))).build());
        List<PointStruct> batch = new ArrayList<>();
        for (int i = 1; i <= points; i++) {
            batch.add(PointStruct.newBuilder().setId(PointId.newBuilder().setNum(i))
                    .setVectors(io.qdrant.client.VectorsFactory.vectors(i, 1, 2, 3)).build());
        }
        gateway.upsert(alias + "_v1", batch);
        gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                .setAliasName(alias).setCollectionName(alias + "_v1")).build()));
    }

    /** The spec of {@code ALIAS_v2}: {@code size}-d Dot vectors, HNSW m 32 / ef_construct 128, no quantization. */
    private static String spec(String alias, int size) {
        return "name: " + alias + "\nversion: 2\nvectors: { size: " + size + ", distance: dot }\n"
                + "hnsw: { m: 32, ef_construct: 128 }\npayload_indexes: {}\n";
    }

    @Test
    void anUnknownCollectionFailsWithExitCodeOne(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("qdrant", "migrate", "--collection", "no_such_thing", "--local");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getErrorOutput()).contains("$.source").contains("does not exist");
    }
}
