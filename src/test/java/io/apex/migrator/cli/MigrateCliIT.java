package io.apex.migrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code qdrant migrate --local} and {@code status} as a user runs them, on the real services and the stand-in. */
@QuarkusMainTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
class MigrateCliIT {

    @Test
    void aLocalMigrationCopiesSwitchesTheAliasAndShowsInStatus(QuarkusMainLauncher launcher) {
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
        }
    }

    @Test
    void anUnknownCollectionFailsWithExitCodeOne(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("qdrant", "migrate", "--collection", "no_such_thing", "--local");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getErrorOutput()).contains("$.source").contains("does not exist");
    }
}
