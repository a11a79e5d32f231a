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
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code qdrant verify} on any pair, and a manual cutover of a {@code --local} run, as a user runs them. */
@QuarkusMainIntegrationTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
class VerifyCliIT {

    @Test
    void verifyExitsZeroOnEqualCollectionsAndOneListingTheRangeWhenAPointDiffers(QuarkusMainLauncher launcher) {
        // given: two equal collections of 300 points
        String name = "verify_" + UUID.randomUUID().toString().substring(0, 8);
        try (QdrantGateway gateway = gateway()) {
            create(gateway, name + "_a");
            create(gateway, name + "_b");
            seed(gateway, name + "_a", "same");
            seed(gateway, name + "_b", "same");

            // when
            LaunchResult equal = launcher.launch("qdrant", "verify", "--source", name + "_a", "--target", name + "_b",
                    "--batch-size", "100");
            gateway.upsert(name + "_b", List.of(point(250, "changed")));
            LaunchResult different = launcher.launch("qdrant", "verify", "--source", name + "_a", "--target",
                    name + "_b", "--batch-size", "100");

            // then: point 250 is in the third range [201, end)
            assertThat(equal.exitCode()).as(equal.getErrorOutput()).isZero();
            assertThat(equal.getOutput()).contains("300 points", "3 ranges checked", "equal: every range matches");
            assertThat(different.exitCode()).as(different.getErrorOutput()).isEqualTo(1);
            assertThat(different.getOutput()).contains("DIFFERENT: 1 of 3 ranges differ").containsPattern("2 +\\[201, end\\)");
        }
    }

    @Test
    void aManualLocalRunWaitsForCutoverAndSwapsOnTheCutoverCommand(QuarkusMainLauncher launcher) {
        // given
        String alias = "manual_" + UUID.randomUUID().toString().substring(0, 8);
        try (QdrantGateway gateway = gateway()) {
            create(gateway, alias + "_v1");
            create(gateway, alias + "_v2");
            seed(gateway, alias + "_v1", "v1");
            gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                    .setAliasName(alias).setCollectionName(alias + "_v1")).build()));

            // when
            LaunchResult migrate = launcher.launch("qdrant", "migrate", "--collection", alias, "--local",
                    "--batch-size", "100", "--cutover", "manual");
            Matcher runId = Pattern.compile("([0-9a-f-]{36})  " + alias).matcher(migrate.getOutput());
            assertThat(runId.find()).as(migrate.getOutput() + migrate.getErrorOutput()).isTrue();
            String aliasWhileWaiting = gateway.aliases().get(alias);
            gateway.upsert(alias + "_v1", List.of(point(7, "edited while waiting")));
            LaunchResult cutover = launcher.launch("qdrant", "cutover", runId.group(1), "--local");

            // then
            assertThat(migrate.exitCode()).as(migrate.getErrorOutput()).isZero();
            assertThat(migrate.getOutput()).contains("ready-for-cutover");
            assertThat(aliasWhileWaiting).isEqualTo(alias + "_v1");
            assertThat(cutover.exitCode()).as(cutover.getOutput() + cutover.getErrorOutput()).isZero();
            assertThat(cutover.getOutput()).contains("completed");
            assertThat(gateway.aliases()).containsEntry(alias, alias + "_v2");
            assertThat(gateway.scroll(alias + "_v2", PointId.newBuilder().setNum(7).build(), 1, false, true)
                    .points().get(0).getPayloadMap().get("title").getStringValue()).isEqualTo("edited while waiting");
        }
    }

    private static QdrantGateway gateway() {
        QdrantStandIn.Shared standIn = QdrantStandIn.shared();
        return QdrantGateway.connect(QdrantSettings.of(standIn.host(), standIn.port()));
    }

    private static void create(QdrantGateway gateway, String collection) {
        gateway.createCollection(CreateCollection.newBuilder().setCollectionName(collection).setVectorsConfig(
                VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(4).setDistance(Distance.Dot)))
                .build());
    }

    private static void seed(QdrantGateway gateway, String collection, String title) {
        List<PointStruct> points = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            points.add(point(i, title));
        }
        gateway.upsert(collection, points);
    }

    private static PointStruct point(long id, String title) {
        return PointStruct.newBuilder().setId(PointId.newBuilder().setNum(id))
                .setVectors(io.qdrant.client.VectorsFactory.vectors(id, 1, 2, 3))
                .putPayload("title", Value.newBuilder().setStringValue(title).build()).build();
    }
}
