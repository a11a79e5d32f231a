package io.apex.migrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.api.Messages;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantSettings;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.support.LocalStackResource;
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
    void anUnknownCollectionFailsWithExitCodeOne(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("qdrant", "migrate", "--collection", "no_such_thing", "--local");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getErrorOutput()).contains("$.source").contains("does not exist");
    }
}
