package io.apex.migrator.qdrant.standin;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.CreateShardKey;
import io.qdrant.client.grpc.Collections.CreateShardKeyRequest;
import io.qdrant.client.grpc.Collections.DeleteShardKey;
import io.qdrant.client.grpc.Collections.DeleteShardKeyRequest;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.ShardKey;
import io.qdrant.client.grpc.Collections.ShardKeyDescription;
import io.qdrant.client.grpc.Collections.ShardingMethod;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points.CountPoints;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsIdsList;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.SetPayloadPoints;
import io.qdrant.client.grpc.Points.ShardKeySelector;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where and how points are stored, in the Qdrant contract: custom sharding (shard keys; points written, read, counted
 * and deleted per shard key with {@code shard_key_selector}), multi-dense vectors and the float16/uint8 datatypes.
 * Runs on the stand-in and, where {@code QDRANT_URL} is set, on a real Qdrant.
 */
abstract class ShardKeysContract extends PointWritesContract {

    static final ShardKey EU = ShardKey.newBuilder().setKeyword("eu").build();
    static final ShardKey US = ShardKey.newBuilder().setKeyword("us").build();

    @Test
    void aPointWrittenWithoutAShardKeyIntoACustomShardedCollectionIsRefusedAndNothingIsStored() throws Exception {
        // given
        String name = createCustomSharded(EU, US);

        // when
        var status = statusOf(() -> client.upsertAsync(UpsertPoints.newBuilder().setCollectionName(name)
                .setWait(true).addPoints(tagged(1, "x")).build()).get());

        // then
        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getMessage()).contains("Shard key not specified");
        assertThat(client.countAsync(name, null, true).get()).isZero();
    }

    @Test
    void aShardKeyTheCollectionDoesNotHaveIsRefused() throws Exception {
        // given
        String name = createCustomSharded(EU);

        // when
        var status = statusOf(() -> upsertInto(name, US, tagged(1, "x")));

        // then
        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getMessage()).contains("not found");
        assertThat(client.countAsync(name, null, true).get()).isZero();
    }

    @Test
    void pointsAreScrolledAndCountedPerShardKeyAndCarryTheirKey() throws Exception {
        // given
        String name = createCustomSharded(EU, US);
        upsertInto(name, EU, tagged(1, "a"), tagged(2, "b"));
        upsertInto(name, US, tagged(3, "c"));

        // when
        List<RetrievedPoint> eu = scroll(name, EU);
        List<RetrievedPoint> all = scroll(name, null);

        // then
        assertThat(eu).extracting(p -> p.getId().getNum()).containsExactly(1L, 2L);
        assertThat(eu).extracting(RetrievedPoint::getShardKey).containsOnly(EU);
        assertThat(all).extracting(p -> p.getId().getNum()).containsExactly(1L, 2L, 3L);
        assertThat(all).extracting(RetrievedPoint::getShardKey).containsExactly(EU, EU, US);
        assertThat(count(name, US)).isEqualTo(1);
        assertThat(count(name, EU)).isEqualTo(2);
        assertThat(client.countAsync(name, null, true).get()).isEqualTo(3);
    }

    @Test
    void aDeleteWithAShardKeyReachesOnlyThePointsStoredUnderIt() throws Exception {
        // given
        String name = createCustomSharded(EU, US);
        upsertInto(name, EU, tagged(1, "a"));
        upsertInto(name, US, tagged(3, "c"));

        // when
        client.deleteAsync(DeletePoints.newBuilder().setCollectionName(name).setWait(true)
                .setPoints(PointsSelector.newBuilder().setPoints(PointsIdsList.newBuilder().addIds(id(1)).addIds(id(3))))
                .setShardKeySelector(selector(EU)).build()).get();

        // then
        assertThat(scroll(name, null)).extracting(p -> p.getId().getNum()).containsExactly(3L);
    }

    @Test
    void aPayloadWriteByFilterWithAShardKeyChangesOnlyThatKeysPoints() throws Exception {
        // given
        String name = createCustomSharded(EU, US);
        upsertInto(name, EU, tagged(1, "a"));
        upsertInto(name, US, tagged(3, "c"));

        // when
        client.setPayloadAsync(SetPayloadPoints.newBuilder().setCollectionName(name).setWait(true)
                .putPayload("seen", value(true))
                .setPointsSelector(PointsSelector.newBuilder().setFilter(Filter.getDefaultInstance()))
                .setShardKeySelector(selector(US)).build(), null).get();

        // then
        assertThat(scroll(name, null)).extracting(p -> p.getPayloadMap().containsKey("seen"))
                .containsExactly(false, true);
    }

    @Test
    void shardKeysAreListedInCreationOrderAndOneCannotBeCreatedTwice() throws Exception {
        // given
        String name = createCustomSharded(US, EU);

        // when
        var twice = statusOf(() -> client.createShardKeyAsync(CreateShardKeyRequest.newBuilder()
                .setCollectionName(name).setRequest(CreateShardKey.newBuilder().setShardKey(EU)).build()).get());

        // then
        assertThat(twice.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(client.listShardKeysAsync(name).get()).extracting(ShardKeyDescription::getKey)
                .containsExactly(US, EU);
    }

    @Test
    void aCollectionOfTheAutoShardingMethodHasNoShardKeysAndTakesNone() throws Exception {
        // given
        String name = createDense(2, Distance.Dot);

        // when
        var create = statusOf(() -> client.createShardKeyAsync(CreateShardKeyRequest.newBuilder()
                .setCollectionName(name).setRequest(CreateShardKey.newBuilder().setShardKey(EU)).build()).get());

        // then
        assertThat(create.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(client.listShardKeysAsync(name).get()).isEmpty();
    }

    @Test
    void deletingAShardKeyDropsThePointsStoredUnderIt() throws Exception {
        // given
        String name = createCustomSharded(EU, US);
        upsertInto(name, EU, tagged(1, "a"));
        upsertInto(name, US, tagged(3, "c"));

        // when
        client.deleteShardKeyAsync(DeleteShardKeyRequest.newBuilder().setCollectionName(name)
                .setRequest(DeleteShardKey.newBuilder().setShardKey(EU)).build()).get();

        // then
        assertThat(scroll(name, null)).extracting(p -> p.getId().getNum()).containsExactly(3L);
        assertThat(client.listShardKeysAsync(name).get()).extracting(ShardKeyDescription::getKey).containsExactly(US);
    }

    @Test
    void theGatewayCopiesEachPointUnderTheShardKeyItWasReadFromAndDeletesWhereverAPointIs() throws Exception {
        // given: a source of two keys; a target that created them in the other order
        String source = createCustomSharded(US, EU);
        String target = createCustomSharded(EU, US);
        upsertInto(source, EU, tagged(1, "a"), tagged(2, "b"));
        upsertInto(source, US, tagged(3, "c"));
        var gateway = gateway();

        // when: read key by key (as the copy does) and written as read
        for (ShardKey key : gateway.shardKeys(source)) {
            gateway.upsertWire(target, gateway.scrollWire(source, null, 100, null, key).points());
        }
        gateway.delete(target, List.of(id(3)));

        // then
        assertThat(gateway.shardKeys(source)).containsExactly(EU, US);
        assertThat(scroll(target, null)).extracting(p -> p.getId().getNum(), RetrievedPoint::getShardKey)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, EU), org.assertj.core.groups.Tuple.tuple(2L, EU));
        assertThat(gateway.count(target)).isEqualTo(2);
    }

    // --- vector storage: multivectors and datatypes -----------------------------------------------------

    @Test
    void aMultiDenseVectorIsStoredAndReadBackRowForRow() throws Exception {
        // given
        String name = uniqueName();
        create(CreateCollection.newBuilder().setCollectionName(name).setVectorsConfig(VectorsConfig.newBuilder()
                .setParamsMap(io.qdrant.client.grpc.Collections.VectorParamsMap.newBuilder().putMap("rows",
                        VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot).setMultivectorConfig(
                                io.qdrant.client.grpc.Collections.MultiVectorConfig.newBuilder().setComparator(
                                        io.qdrant.client.grpc.Collections.MultiVectorComparator.MaxSim)).build())))
                .build());
        var rows = io.qdrant.client.grpc.Points.MultiDenseVector.newBuilder()
                .addVectors(io.qdrant.client.grpc.Points.DenseVector.newBuilder().addData(0.25f).addData(-1.5f))
                .addVectors(io.qdrant.client.grpc.Points.DenseVector.newBuilder().addData(3f).addData(0.125f))
                .build();

        // when
        upsert(name, PointStruct.newBuilder().setId(id(1)).setVectors(io.qdrant.client.VectorsFactory.namedVectors(
                Map.of("rows", io.qdrant.client.grpc.Points.Vector.newBuilder().setMultiDense(rows).build()))).build());

        // then
        RetrievedPoint read = scroll(name, null).get(0);
        var out = read.getVectors().getVectors().getVectorsOrThrow("rows");
        assertThat(io.qdrant.client.VectorOutputHelper.getMultiVector(out).getVectorsList()).extracting(v -> v.getDataList())
                .containsExactly(List.of(0.25f, -1.5f), List.of(3f, 0.125f));
    }

    @Test
    void float16AndUint8VectorsAreStoredAsThoseTypesHoldThem() throws Exception {
        // given
        String name = uniqueName();
        create(CreateCollection.newBuilder().setCollectionName(name).setVectorsConfig(VectorsConfig.newBuilder()
                .setParamsMap(io.qdrant.client.grpc.Collections.VectorParamsMap.newBuilder()
                        .putMap("half", VectorParams.newBuilder().setSize(3).setDistance(Distance.Dot)
                                .setDatatype(io.qdrant.client.grpc.Collections.Datatype.Float16).build())
                        .putMap("byte", VectorParams.newBuilder().setSize(4).setDistance(Distance.Dot)
                                .setDatatype(io.qdrant.client.grpc.Collections.Datatype.Uint8).build())))
                .build());

        // when
        upsert(name, PointStruct.newBuilder().setId(id(1)).setVectors(io.qdrant.client.VectorsFactory.namedVectors(
                Map.of("half", io.qdrant.client.VectorFactory.vector(0.1f, 1f, 70000f),
                        "byte", io.qdrant.client.VectorFactory.vector(1.7f, -3f, 300f, 42f)))).build());

        // then: 0.1 as the nearest half (0.0999755859375), 70000 past the half's range; uint8 truncated, saturated
        var vectors = scroll(name, null).get(0).getVectors().getVectors();
        assertThat(io.qdrant.client.VectorOutputHelper.getDenseVector(vectors.getVectorsOrThrow("half")).getDataList())
                .containsExactly(0.0999755859375f, 1f, Float.POSITIVE_INFINITY);
        assertThat(io.qdrant.client.VectorOutputHelper.getDenseVector(vectors.getVectorsOrThrow("byte")).getDataList())
                .containsExactly(1f, 0f, 255f, 42f);
    }

    // --- helpers --------------------------------------------------------------------------------------

    /** A collection of 2-d Dot vectors, sharding method custom, with these shard keys created in this order. */
    protected String createCustomSharded(ShardKey... keys) throws Exception {
        String name = uniqueName();
        create(CreateCollection.newBuilder().setCollectionName(name).setShardingMethod(ShardingMethod.Custom)
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(2)
                        .setDistance(Distance.Dot))).build());
        for (ShardKey key : keys) {
            client.createShardKeyAsync(CreateShardKeyRequest.newBuilder().setCollectionName(name)
                    .setRequest(CreateShardKey.newBuilder().setShardKey(key)).build()).get();
        }
        return name;
    }

    protected void upsertInto(String name, ShardKey key, PointStruct... points) throws Exception {
        client.upsertAsync(UpsertPoints.newBuilder().setCollectionName(name).setWait(true)
                .addAllPoints(List.of(points)).setShardKeySelector(selector(key)).build()).get();
    }

    protected static ShardKeySelector selector(ShardKey key) {
        return ShardKeySelector.newBuilder().addShardKeys(key).build();
    }

    protected static PointStruct tagged(long id, String tag) {
        return PointStruct.newBuilder().setId(id(id)).setVectors(vectors(1f, (float) id))
                .putAllPayload(Map.of("tag", value(tag))).build();
    }

    private List<RetrievedPoint> scroll(String name, ShardKey keyOrNull) throws Exception {
        ScrollPoints.Builder request = ScrollPoints.newBuilder().setCollectionName(name).setLimit(100)
                .setWithPayload(WithPayloadSelector.newBuilder().setEnable(true))
                .setWithVectors(WithVectorsSelector.newBuilder().setEnable(true));
        if (keyOrNull != null) {
            request.setShardKeySelector(selector(keyOrNull));
        }
        return client.scrollAsync(request.build()).get().getResultList();
    }

    private long count(String name, ShardKey key) throws Exception {
        return client.grpcClient().points().count(CountPoints.newBuilder().setCollectionName(name).setExact(true)
                .setShardKeySelector(selector(key)).build()).get().getResult().getCount();
    }
}
