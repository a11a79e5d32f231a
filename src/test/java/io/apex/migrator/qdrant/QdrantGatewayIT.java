package io.apex.migrator.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.grpc.Status;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.Points;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway against the Qdrant stand-in (which keeps gRPC's default 4 MB inbound limit). */
class QdrantGatewayIT {

    private static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(100), 0.25);

    private QdrantStandIn standIn;
    private QdrantGateway gateway;

    @BeforeEach
    void start() {
        standIn = QdrantStandIn.start();
        gateway = QdrantGateway.connect(QdrantSettings.of(standIn.host(), standIn.port()).withRetry(FAST));
        gateway.createCollection(Collections.CreateCollection.newBuilder().setCollectionName("docs")
                .setVectorsConfig(Collections.VectorsConfig.newBuilder().setParams(Collections.VectorParams
                        .newBuilder().setSize(1536).setDistance(Collections.Distance.Cosine))).build());
    }

    @AfterEach
    void stop() {
        gateway.close();
        standIn.close();
    }

    @Test
    void anUpsertOverTheGrpcLimitIsSplitAndAllPointsArrive() {
        // given: 1,000 × 1536-d ≈ 6.2 MB, over the server's 4 MB limit in one request
        List<Points.PointStruct> points = IntStream.range(0, 1000).mapToObj(i -> point(Common.PointId.newBuilder()
                .setNum(i).build())).toList();

        // when
        gateway.upsert("docs", points);

        // then
        assertThat(gateway.count("docs")).isEqualTo(1000);
    }

    @Test
    void aWireUpsertOverTheGrpcLimitIsSplitAndAllPointsArrive() {
        // given: one scroll page of 1,000 × 1536-d points, re-sent as one upsert would be ≈ 6.2 MB
        gateway.upsert("docs", IntStream.range(0, 1000).mapToObj(i -> point(Common.PointId.newBuilder().setNum(i)
                .build())).toList());
        gateway.createCollection(Collections.CreateCollection.newBuilder().setCollectionName("copy")
                .setVectorsConfig(Collections.VectorsConfig.newBuilder().setParams(Collections.VectorParams
                        .newBuilder().setSize(1536).setDistance(Collections.Distance.Cosine))).build());
        WireScrollPage page = gateway.scrollWire("docs", null, 1000);

        // when
        gateway.upsertWire("copy", page.points());

        // then
        assertThat(page.points()).hasSize(1000);
        assertThat(gateway.count("copy")).isEqualTo(1000);
    }

    @Test
    void scrollPagesFollowPointIdOrderWithInclusiveOffsets() {
        // given: integer and UUID ids, inserted out of order
        List<Common.PointId> ids = new ArrayList<>();
        IntStream.of(7, 3, 11).forEach(n -> ids.add(Common.PointId.newBuilder().setNum(n).build()));
        List.of("f0000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-00000000000a")
                .forEach(u -> ids.add(Common.PointId.newBuilder().setUuid(u).build()));
        gateway.upsert("docs", ids.stream().map(QdrantGatewayIT::point).toList());

        // when
        List<Common.PointId> seen = new ArrayList<>();
        ScrollPage page = gateway.scroll("docs", null, 2, false, false);
        seen.addAll(page.points().stream().map(Points.RetrievedPoint::getId).toList());
        while (!page.isLast()) {
            page = gateway.scroll("docs", page.nextOffset().orElseThrow(), 2, false, false);
            seen.addAll(page.points().stream().map(Points.RetrievedPoint::getId).toList());
        }

        // then
        assertThat(seen).isSortedAccordingTo(PointIdOrder.INSTANCE).hasSize(5)
                .containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aServerThatCannotListShardKeysStillServesACollectionOfTheAutoShardingMethod() {
        // given: a Qdrant older than ListShardKeys
        standIn.faults().failNext("qdrant.Collections/ListShardKeys", 1, Status.Code.UNIMPLEMENTED);

        // when
        var keys = gateway.shardKeys("docs");

        // then: the collection info says it has no shard keys to read by
        assertThat(keys).isEmpty();
        assertThat(standIn.faults().injectedCount()).isEqualTo(1);
    }

    @Test
    void aRateLimitIsRetriedAfterWhatTheServerAsked() {
        // given
        standIn.faults().retryAfter(Duration.ofSeconds(1)).failNext("qdrant.Points/Count", 1,
                Status.Code.RESOURCE_EXHAUSTED);
        long started = System.nanoTime();

        // when
        long count = gateway.count("docs");

        // then: the backoff alone would wait at most 125 ms
        assertThat(count).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(standIn.faults().injectedCount()).isEqualTo(1);
    }

    @Test
    void transientErrorsAreRetriedAndSurfaceNamedWhenTheyPersist() {
        // given: two failures pass, three (= max attempts) do not
        standIn.faults().failNext("qdrant.Points/Count", 2, Status.Code.UNAVAILABLE);
        assertThat(gateway.count("docs")).isZero();
        standIn.faults().failNext("qdrant.Points/Count", 3, Status.Code.UNAVAILABLE);

        // when / then
        assertThatThrownBy(() -> gateway.count("docs")).isInstanceOf(QdrantTransientException.class)
                .hasMessageContaining("UNAVAILABLE").hasMessageContaining("count")
                .hasMessageContaining("`docs`");
    }

    @Test
    void everyCallHasADeadline() {
        // given
        standIn.faults().latency("qdrant.Collections/Get", Duration.ofSeconds(2));
        try (QdrantGateway impatient = QdrantGateway.connect(QdrantSettings.of(standIn.host(), standIn.port())
                .withTimeout(Duration.ofMillis(200)).withRetry(RetryPolicy.none()))) {

            // when / then
            assertThatThrownBy(() -> impatient.collectionInfo("docs")).isInstanceOf(QdrantTransientException.class)
                    .satisfies(e -> assertThat(((QdrantTransientException) e).code())
                            .isEqualTo(Status.Code.DEADLINE_EXCEEDED))
                    .hasMessageContaining("`docs`");
        }
    }

    @Test
    void errorsNameTheCollectionAndWhatWentWrong() {
        assertThatThrownBy(() -> gateway.collectionInfo("nope")).isInstanceOf(CollectionNotFoundException.class)
                .hasMessageContaining("`nope`").hasMessageContaining("collectionInfo");
        assertThat(gateway.collectionExists("nope")).isFalse();
        assertThatThrownBy(() -> gateway.createCollection(Collections.CreateCollection.newBuilder()
                .setCollectionName("docs").setVectorsConfig(Collections.VectorsConfig.newBuilder()
                        .setParams(Collections.VectorParams.newBuilder().setSize(4)
                                .setDistance(Collections.Distance.Dot))).build()))
                .isInstanceOf(CollectionAlreadyExistsException.class).hasMessageContaining("`docs`");
        assertThatThrownBy(() -> gateway.upsert("docs", List.of(Points.PointStruct.newBuilder()
                .setId(Common.PointId.newBuilder().setNum(1)).setVectors(Points.Vectors.newBuilder().setVector(
                        Points.Vector.newBuilder().setDense(Points.DenseVector.newBuilder().addData(1f)))).build())))
                .isInstanceOf(QdrantRequestException.class).hasMessageContaining("upsert")
                .hasMessageContaining("`docs`").hasMessageContaining("INVALID_ARGUMENT");
    }

    @Test
    void aliasesChangeInOneRequest() {
        // when
        gateway.updateAliases(List.of(Collections.AliasOperations.newBuilder().setCreateAlias(
                Collections.CreateAlias.newBuilder().setAliasName("memory").setCollectionName("docs")).build()));

        // then
        assertThat(gateway.aliases()).containsEntry("memory", "docs");
    }

    @Test
    void theApiKeyIsSentAndAMissingOneIsRefusedWithoutShowingIt() {
        // given
        try (QdrantStandIn guarded = QdrantStandIn.startWithApiKey(0, "k3y-of-the-day");
                QdrantGateway withKey = QdrantGateway.connect(QdrantSettings.of(guarded.host(), guarded.port())
                        .withApiKey(java.util.Optional.of("k3y-of-the-day")).withRetry(FAST));
                QdrantGateway withoutKey = QdrantGateway.connect(QdrantSettings.of(guarded.host(), guarded.port())
                        .withRetry(FAST))) {

            // when / then
            assertThat(withKey.aliases()).isEmpty();
            assertThatThrownBy(withoutKey::aliases).isInstanceOf(QdrantRequestException.class)
                    .hasMessageContaining("UNAUTHENTICATED");
            assertThat(withKey.settings().toString()).doesNotContain("k3y-of-the-day");
        }
    }

    @Test
    void everyPointReadAndWriteCarriesTheConfiguredReadConsistencyAndWriteOrdering() {
        // given: a gateway that asks every replica to agree on reads and writes through the permanent leader
        try (QdrantGateway strict = QdrantGateway.connect(QdrantSettings.of(standIn.host(), standIn.port())
                .withRetry(FAST).withConsistency(PointConsistency.parse("all", "strong")))) {
            List<Common.PointId> ids = IntStream.range(0, 4).mapToObj(i -> Common.PointId.newBuilder().setNum(i)
                    .build()).toList();
            String all = "read_consistency {type: All}";
            String strong = "ordering {type: Strong}";

            // when / then: each call the copy, the verification, the repairs and the gates make, one by one
            strict.upsert("docs", ids.stream().map(QdrantGatewayIT::point).toList());
            assertThat(lastRequest("Upsert")).isEqualTo(strong);
            WireScrollPage page = strict.scrollWire("docs", null, 10);
            assertThat(lastRequest("Scroll")).isEqualTo(all);
            strict.upsertWire("docs", page.points(), true);
            assertThat(lastRequest("Upsert")).isEqualTo(strong);
            strict.scroll("docs", null, 10, true, true);
            assertThat(lastRequest("Scroll")).isEqualTo(all);
            strict.get("docs", ids);
            assertThat(lastRequest("Get")).isEqualTo(all);
            strict.getWire("docs", ids);
            assertThat(lastRequest("Get")).isEqualTo(all);
            strict.count("docs");
            assertThat(lastRequest("Count")).isEqualTo(all);
            strict.query(Points.QueryPoints.newBuilder().setCollectionName("docs").setLimit(2)
                    .setQuery(Points.Query.newBuilder().setNearest(Points.VectorInput.newBuilder()
                            .setId(ids.get(0)))).build());
            assertThat(lastRequest("Query")).isEqualTo(all);
            strict.delete("docs", ids.subList(0, 1));
            assertThat(lastRequest("Delete")).isEqualTo(strong);
        }
        // and a gateway left at the defaults asks for a majority (weak ordering is the enum's zero, sent as such)
        gateway.count("docs");
        assertThat(lastRequest("Count")).isEqualTo("read_consistency {type: Majority}");
    }

    private String lastRequest(String pointsMethod) {
        return standIn.requestConsistency().get("qdrant.Points/" + pointsMethod);
    }

    private static Points.PointStruct point(Common.PointId id) {
        Points.DenseVector.Builder dense = Points.DenseVector.newBuilder();
        long seed = id.hasNum() ? id.getNum() : UUID.fromString(id.getUuid()).getLeastSignificantBits();
        for (int i = 0; i < 1536; i++) {
            dense.addData((float) Math.cos(seed + i * 0.01));
        }
        return Points.PointStruct.newBuilder().setId(id)
                .setVectors(Points.Vectors.newBuilder().setVector(Points.Vector.newBuilder().setDense(dense))).build();
    }
}
