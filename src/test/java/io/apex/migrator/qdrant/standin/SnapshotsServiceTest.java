package io.apex.migrator.qdrant.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.apex.migrator.qdrant.CollectionNotFoundException;
import io.apex.migrator.qdrant.CollectionSnapshot;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantSettings;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stand-in's collection snapshots behave as Qdrant's (Create, List and Delete of the Snapshots service). */
class SnapshotsServiceTest {

    @Test
    void aSnapshotIsListedUnderItsCollectionAndOutlivesTheCollectionInTheSnapshotsDirectory() {
        try (QdrantStandIn qdrant = QdrantStandIn.start();
                QdrantGateway gateway = QdrantGateway.connect(QdrantSettings.of(qdrant.host(), qdrant.port()))) {
            // given a collection with points, reached through an alias
            create(gateway, "docs_v1");
            qdrant.seed("docs_v1", new SyntheticPoints(50, 4, 50));
            gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                    .setAliasName("docs").setCollectionName("docs_v1")).build()));

            // when
            CollectionSnapshot taken = gateway.createSnapshot("docs");
            gateway.deleteCollection("docs_v1");

            // then: filed under the collection, named as Qdrant names it, with size and SHA-256
            assertThat(taken.name()).matches("docs_v1-\\d+-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}\\.snapshot");
            assertThat(taken.sizeBytes()).isPositive();
            assertThat(taken.checksum()).matches("[0-9a-f]{64}");
            assertThat(taken.createdAt()).isNotNull();
            // Qdrant resolves the collection before listing: gone, it answers NOT_FOUND; the file stays on disk
            assertThatThrownBy(() -> gateway.listSnapshots("docs_v1")).isInstanceOf(CollectionNotFoundException.class);
            assertThat(qdrant.snapshotFiles("docs_v1")).containsExactly(taken.name());
        }
    }

    @Test
    void listingAnExistingCollectionShowsItsSnapshotsOldestFirst() {
        try (QdrantStandIn qdrant = QdrantStandIn.start();
                QdrantGateway gateway = QdrantGateway.connect(QdrantSettings.of(qdrant.host(), qdrant.port()))) {
            // given
            create(gateway, "notes");

            // when
            CollectionSnapshot first = gateway.createSnapshot("notes");
            CollectionSnapshot second = gateway.createSnapshot("notes");

            // then
            assertThat(gateway.listSnapshots("notes")).extracting(CollectionSnapshot::name)
                    .containsExactly(first.name(), second.name());
            assertThat(first.name()).isNotEqualTo(second.name());
        }
    }

    @Test
    void aDeletedSnapshotIsNoLongerListedAndDeletingItAgainIsNotFound() {
        try (QdrantStandIn qdrant = QdrantStandIn.start();
                QdrantGateway gateway = QdrantGateway.connect(QdrantSettings.of(qdrant.host(), qdrant.port()))) {
            // given
            create(gateway, "notes");
            CollectionSnapshot first = gateway.createSnapshot("notes");
            CollectionSnapshot second = gateway.createSnapshot("notes");

            // when
            gateway.deleteSnapshot("notes", first.name());

            // then
            assertThat(gateway.listSnapshots("notes")).extracting(CollectionSnapshot::name)
                    .containsExactly(second.name());
            assertThat(qdrant.snapshotFiles("notes")).containsExactly(second.name());
            assertThatThrownBy(() -> gateway.deleteSnapshot("notes", first.name()))
                    .isInstanceOf(io.apex.migrator.qdrant.QdrantException.class)
                    .hasMessageContaining(first.name());
        }
    }

    private static void create(QdrantGateway gateway, String name) {
        gateway.createCollection(CreateCollection.newBuilder().setCollectionName(name)
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(4)
                        .setDistance(Distance.Dot))).build());
    }
}
