package io.apex.migrator.qdrant.standin;

import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.namedVectors;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.VectorFactory;
import io.qdrant.client.VectorOutputHelper;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.ClearPayloadPoints;
import io.qdrant.client.grpc.Points.DeletePayloadPoints;
import io.qdrant.client.grpc.Points.DeletePointVectors;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointVectors;
import io.qdrant.client.grpc.Points.PointsIdsList;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.PointsUpdateOperation;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.SetPayloadPoints;
import io.qdrant.client.grpc.Points.UpdateBatchPoints;
import io.qdrant.client.grpc.Points.UpdateMode;
import io.qdrant.client.grpc.Points.UpdatePointVectors;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.VectorsSelector;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The write half of the Qdrant contract: every Points write RPC (upsert with its update modes and update filter,
 * payload and vector writes, update batch) and how each treats points that do not exist. Like the rest of
 * {@link QdrantContract} it runs on the stand-in and, where {@code QDRANT_URL} is set, on a real Qdrant.
 */
abstract class PointWritesContract extends CollectionConfigContract {

    // --- upsert: update modes and update filter ---------------------------------------------------------

    @Test
    void insertOnlyKeepsExistingPointsAndInsertsNewOnes() throws Exception {
        // given
        String name = createDense(2, Distance.Dot);
        upsert(name, labelled(1, "captured"));

        // when
        client.upsertAsync(upsertRequest(name, Optional.empty(), UpdateMode.InsertOnly,
                labelled(1, "backfill"), labelled(2, "backfill"))).get();

        // then
        assertThat(label(name, 1)).contains("captured");
        assertThat(label(name, 2)).contains("backfill");
    }

    @Test
    void updateOnlyUpdatesExistingPointsAndInsertsNoNewOnes() throws Exception {
        // given
        String name = createDense(2, Distance.Dot);
        upsert(name, labelled(1, "old"));

        // when
        client.upsertAsync(upsertRequest(name, Optional.empty(), UpdateMode.UpdateOnly,
                labelled(1, "new"), labelled(2, "new"))).get();

        // then
        assertThat(label(name, 1)).contains("new");
        assertThat(label(name, 2)).isEmpty();
        assertThat(client.countAsync(name, null, true).get()).isEqualTo(1);
    }

    @Test
    void anUpdateFilterReplacesOnlyMatchingExistingPointsAndStillInsertsNewOnes() throws Exception {
        // given
        String name = createDense(2, Distance.Dot);
        upsert(name, labelled(1, "v1"), labelled(2, "v2"));

        // when
        client.upsertAsync(upsertRequest(name, Optional.of(filter(matchKeyword("label", "v1"))), UpdateMode.Upsert,
                labelled(1, "v3"), labelled(2, "v3"), labelled(3, "v3"))).get();

        // then
        assertThat(label(name, 1)).contains("v3");
        assertThat(label(name, 2)).contains("v2");
        assertThat(label(name, 3)).contains("v3");
    }

    @Test
    void updateOnlyWithAnUpdateFilterReplacesOnlyMatchingExistingPoints() throws Exception {
        // given
        String name = createDense(2, Distance.Dot);
        upsert(name, labelled(1, "v1"), labelled(2, "v2"));

        // when
        client.upsertAsync(upsertRequest(name, Optional.of(filter(matchKeyword("label", "v1"))),
                UpdateMode.UpdateOnly, labelled(1, "v3"), labelled(2, "v3"), labelled(3, "v3"))).get();

        // then
        assertThat(label(name, 1)).contains("v3");
        assertThat(label(name, 2)).contains("v2");
        assertThat(label(name, 3)).isEmpty();
    }

    @Test
    void insertOnlyLeavesAnExistingPointAloneEvenWhenItMatchesTheUpdateFilter() throws Exception {
        // given
        String name = createDense(2, Distance.Dot);
        upsert(name, labelled(1, "v1"));

        // when
        client.upsertAsync(upsertRequest(name, Optional.of(filter(matchKeyword("label", "v1"))),
                UpdateMode.InsertOnly, labelled(1, "v2"))).get();

        // then
        assertThat(label(name, 1)).contains("v1");
    }

    @Test
    void aBatchUpsertHonoursItsUpdateModeAndFilter() throws Exception {
        // given
        String name = createDense(2, Distance.Dot);
        upsert(name, labelled(1, "v1"), labelled(2, "v2"));

        // when
        List<UpdateResult> results = batch(name, true,
                PointsUpdateOperation.newBuilder().setUpsert(PointsUpdateOperation.PointStructList.newBuilder()
                        .addPoints(labelled(1, "insert")).addPoints(labelled(3, "insert"))
                        .setUpdateMode(UpdateMode.InsertOnly)).build(),
                PointsUpdateOperation.newBuilder().setUpsert(PointsUpdateOperation.PointStructList.newBuilder()
                        .addPoints(labelled(1, "update")).addPoints(labelled(2, "update"))
                        .addPoints(labelled(4, "update"))
                        .setUpdateFilter(filter(matchKeyword("label", "v2"))).setUpdateMode(UpdateMode.UpdateOnly))
                        .build());

        // then
        assertThat(results).hasSize(2).allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(UpdateStatus.Completed));
        assertThat(label(name, 1)).contains("v1");
        assertThat(label(name, 2)).contains("update");
        assertThat(label(name, 3)).contains("insert");
        assertThat(label(name, 4)).isEmpty();
    }

    // --- payload writes ---------------------------------------------------------------------------------

    @Test
    void setPayloadMergesKeysAndOverwritePayloadReplacesThePayloadByIdsAndByFilter() throws Exception {
        // given
        String name = createDense(2, Distance.Dot);
        upsert(name, withPayload(1, Map.of("label", value("a"), "keep", value(1))),
                withPayload(2, Map.of("label", value("b"), "keep", value(2))));

        // when
        client.setPayloadAsync(SetPayloadPoints.newBuilder().setCollectionName(name).setWait(true)
                .putPayload("extra", value("x")).setPointsSelector(ids(1)).build(), null).get();
        client.overwritePayloadAsync(SetPayloadPoints.newBuilder().setCollectionName(name).setWait(true)
                .putPayload("only", value("y")).setPointsSelector(byFilter(matchKeyword("label", "b"))).build(),
                null).get();

        // then
        assertThat(payload(name, 1)).containsOnlyKeys("label", "keep", "extra");
        assertThat(payload(name, 2)).containsOnlyKeys("only");
    }

    @Test
    void deletePayloadRemovesOnlyTheGivenKeysByIdsAndByFilter() throws Exception {
        // given
        String name = createDense(2, Distance.Dot);
        upsert(name, withPayload(1, Map.of("label", value("a"), "x", value(1), "y", value(1))),
                withPayload(2, Map.of("label", value("b"), "x", value(2), "y", value(2))));

        // when
        client.deletePayloadAsync(DeletePayloadPoints.newBuilder().setCollectionName(name).setWait(true)
                .addKeys("x").addKeys("absent").setPointsSelector(ids(1)).build(), null).get();
        client.deletePayloadAsync(DeletePayloadPoints.newBuilder().setCollectionName(name).setWait(true)
                .addKeys("y").setPointsSelector(byFilter(matchKeyword("label", "b"))).build(), null).get();

        // then
        assertThat(payload(name, 1)).containsOnlyKeys("label", "y");
        assertThat(payload(name, 2)).containsOnlyKeys("label", "x");
    }

    @Test
    void clearPayloadEmptiesThePayloadAndKeepsTheVectorsByIdsAndByFilter() throws Exception {
        // given
        String name = createDense(2, Distance.Dot);
        upsert(name, withPayload(1, Map.of("label", value("a"))), withPayload(2, Map.of("label", value("b"))),
                withPayload(3, Map.of("label", value("c"))));

        // when
        client.clearPayloadAsync(ClearPayloadPoints.newBuilder().setCollectionName(name).setWait(true)
                .setPoints(ids(1)).build(), null).get();
        client.clearPayloadAsync(ClearPayloadPoints.newBuilder().setCollectionName(name).setWait(true)
                .setPoints(byFilter(matchKeyword("label", "b"))).build(), null).get();

        // then
        assertThat(payload(name, 1)).isEmpty();
        assertThat(payload(name, 2)).isEmpty();
        assertThat(payload(name, 3)).containsOnlyKeys("label");
        assertThat(VectorOutputHelper.getDenseVector(retrieve(name, 1).getVectors().getVector()).getDataList())
                .containsExactly(1f, 1f);
    }

    @Test
    void everyByIdPayloadWriteNamingAMissingPointIsNotFound() throws Exception {
        // given
        String name = createDense(2, Distance.Dot);
        upsert(name, labelled(1, "a"));
        PointsSelector missing = ids(1, 999);
        Map<String, Value> payload = Map.of("label", value("b"));

        // when
        List<StatusRuntimeException> errors = List.of(
                statusOf(() -> client.setPayloadAsync(SetPayloadPoints.newBuilder().setCollectionName(name)
                        .setWait(true).putAllPayload(payload).setPointsSelector(missing).build(), null).get()),
                statusOf(() -> client.overwritePayloadAsync(SetPayloadPoints.newBuilder().setCollectionName(name)
                        .setWait(true).putAllPayload(payload).setPointsSelector(missing).build(), null).get()),
                statusOf(() -> client.deletePayloadAsync(DeletePayloadPoints.newBuilder().setCollectionName(name)
                        .setWait(true).addKeys("label").setPointsSelector(missing).build(), null).get()),
                statusOf(() -> client.clearPayloadAsync(ClearPayloadPoints.newBuilder().setCollectionName(name)
                        .setWait(true).setPoints(missing).build(), null).get()));

        // then
        assertThat(errors).allSatisfy(e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(e.getStatus().getDescription()).contains("No point with id 999 found");
        });
    }

    @Test
    void aByIdWriteNamingAMissingPointStillChangesTheStoredPointsOfItsChunk() throws Exception {
        // given: Qdrant changes the stored points of a chunk of 32 ids, then fails on the missing one
        String name = createDense(2, Distance.Dot);
        upsert(name, labelled(1, "a"), labelled(2, "a"));

        // when
        StatusRuntimeException error = statusOf(() -> client.setPayloadAsync(SetPayloadPoints.newBuilder()
                .setCollectionName(name).setWait(true).putPayload("label", value("b"))
                .setPointsSelector(ids(1, 999, 2)).build(), null).get());

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(label(name, 1)).contains("b");
        assertThat(label(name, 2)).contains("b");
    }

    @Test
    void aWriteThatDoesNotWaitIsAcknowledgedEvenIfItNamesAMissingPoint() throws Exception {
        // given
        String name = createDense(2, Distance.Dot);

        // when
        UpdateResult result = client.setPayloadAsync(SetPayloadPoints.newBuilder().setCollectionName(name)
                .setWait(false).putPayload("label", value("b")).setPointsSelector(ids(999)).build(), null).get();

        // then
        assertThat(result.getStatus()).isEqualTo(UpdateStatus.Acknowledged);
    }

    @Test
    void deletingAMissingPointIsNoError() throws Exception {
        // given
        String name = createDense(2, Distance.Dot);
        upsert(name, labelled(1, "a"));

        // when
        UpdateResult result = client.deleteAsync(name, List.of(id(1), id(999))).get();

        // then
        assertThat(result.getStatus()).isEqualTo(UpdateStatus.Completed);
        assertThat(client.countAsync(name, null, true).get()).isZero();
    }

    // --- vector writes ----------------------------------------------------------------------------------

    @Test
    void updateVectorsReplacesOnlyTheGivenVectorsAndKeepsTheOthersAndThePayload() throws Exception {
        // given
        String name = createNamed();
        upsert(name, named(1, 1f, 2f, Map.of("label", value("a"))));

        // when
        UpdateResult result = client.updateVectorsAsync(UpdatePointVectors.newBuilder().setCollectionName(name)
                .setWait(true).addPoints(PointVectors.newBuilder().setId(id(1)).setVectors(namedVectors(Map.of(
                        "a", VectorFactory.vector(9f, 9f),
                        "s", VectorFactory.vector(List.of(0.5f), List.of(3)))))).build()).get();

        // then
        assertThat(result.getStatus()).isEqualTo(UpdateStatus.Completed);
        RetrievedPoint point = retrieve(name, 1);
        var vectors = point.getVectors().getVectors().getVectorsMap();
        assertThat(VectorOutputHelper.getDenseVector(vectors.get("a")).getDataList()).containsExactly(9f, 9f);
        assertThat(VectorOutputHelper.getDenseVector(vectors.get("b")).getDataList()).containsExactly(2f, 2f);
        assertThat(VectorOutputHelper.getSparseVector(vectors.get("s")).getIndicesList()).containsExactly(3);
        assertThat(point.getPayloadMap()).containsOnlyKeys("label");
    }

    @Test
    void updateVectorsWithAnUpdateFilterUpdatesOnlyMatchingPoints() throws Exception {
        // given
        String name = createNamed();
        upsert(name, named(1, 1f, 1f, Map.of("label", value("v1"))), named(2, 1f, 1f, Map.of("label", value("v2"))));

        // when
        client.updateVectorsAsync(UpdatePointVectors.newBuilder().setCollectionName(name).setWait(true)
                .setUpdateFilter(filter(matchKeyword("label", "v1")))
                .addPoints(PointVectors.newBuilder().setId(id(1)).setVectors(namedVectors(Map.of(
                        "a", VectorFactory.vector(9f, 9f)))))
                .addPoints(PointVectors.newBuilder().setId(id(2)).setVectors(namedVectors(Map.of(
                        "a", VectorFactory.vector(9f, 9f)))))
                .build()).get();

        // then
        assertThat(denseA(name, 1)).containsExactly(9f, 9f);
        assertThat(denseA(name, 2)).containsExactly(1f, 1f);
    }

    @Test
    void updateVectorsOfAMissingPointIsNotFound() throws Exception {
        // given
        String name = createNamed();
        upsert(name, named(1, 1f, 1f, Map.of()));

        // when
        StatusRuntimeException error = statusOf(() -> client.updateVectorsAsync(UpdatePointVectors.newBuilder()
                .setCollectionName(name).setWait(true)
                .addPoints(PointVectors.newBuilder().setId(id(999)).setVectors(namedVectors(Map.of(
                        "a", VectorFactory.vector(9f, 9f)))))
                .build()).get());

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(error.getStatus().getDescription()).contains("No point with id 999 found");
        assertThat(client.countAsync(name, null, true).get()).isEqualTo(1);
    }

    @Test
    void deleteVectorsRemovesOnlyTheNamedVectorsByIdsAndByFilter() throws Exception {
        // given
        String name = createNamed();
        upsert(name, named(1, 1f, 2f, Map.of("label", value("a"))), named(2, 1f, 2f, Map.of("label", value("b"))));

        // when
        client.deleteVectorsAsync(DeletePointVectors.newBuilder().setCollectionName(name).setWait(true)
                .setPointsSelector(ids(1)).setVectors(VectorsSelector.newBuilder().addNames("a")).build(), null)
                .get();
        client.deleteVectorsAsync(DeletePointVectors.newBuilder().setCollectionName(name).setWait(true)
                .setPointsSelector(byFilter(matchKeyword("label", "b")))
                .setVectors(VectorsSelector.newBuilder().addNames("b").addNames("s")).build(), null).get();

        // then
        assertThat(retrieve(name, 1).getVectors().getVectors().getVectorsMap()).containsOnlyKeys("b", "s");
        assertThat(retrieve(name, 2).getVectors().getVectors().getVectorsMap()).containsOnlyKeys("a");
        assertThat(payload(name, 1)).containsOnlyKeys("label");
    }

    @Test
    void deleteVectorsOfAMissingPointIsNotFound() throws Exception {
        // given
        String name = createNamed();

        // when
        StatusRuntimeException error = statusOf(() -> client.deleteVectorsAsync(DeletePointVectors.newBuilder()
                .setCollectionName(name).setWait(true).setPointsSelector(ids(999))
                .setVectors(VectorsSelector.newBuilder().addNames("a")).build(), null).get());

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(error.getStatus().getDescription()).contains("No point with id 999 found");
    }

    // --- update batch ---------------------------------------------------------------------------------

    @Test
    @SuppressWarnings("deprecation")
    void aBatchAppliesEveryKindOfOperationInOrder() throws Exception {
        // given
        String name = createNamed();
        upsert(name, named(5, 1f, 1f, Map.of("label", value("gone"))), named(6, 1f, 1f, Map.of("label", value("x"))),
                named(7, 1f, 1f, Map.of("label", value("cleared"))));

        // when
        List<UpdateResult> results = batch(name, true,
                PointsUpdateOperation.newBuilder().setUpsert(PointsUpdateOperation.PointStructList.newBuilder()
                        .addPoints(named(1, 1f, 1f, Map.of("label", value("a"), "drop", value(1))))).build(),
                PointsUpdateOperation.newBuilder().setSetPayload(PointsUpdateOperation.SetPayload.newBuilder()
                        .putPayload("set", value("s")).setPointsSelector(ids(1))).build(),
                PointsUpdateOperation.newBuilder().setDeletePayload(PointsUpdateOperation.DeletePayload.newBuilder()
                        .addKeys("drop").setPointsSelector(ids(1))).build(),
                PointsUpdateOperation.newBuilder().setUpdateVectors(PointsUpdateOperation.UpdateVectors.newBuilder()
                        .addPoints(PointVectors.newBuilder().setId(id(1)).setVectors(namedVectors(Map.of(
                                "a", VectorFactory.vector(9f, 9f)))))).build(),
                PointsUpdateOperation.newBuilder().setDeleteVectors(PointsUpdateOperation.DeleteVectors.newBuilder()
                        .setPointsSelector(ids(1)).setVectors(VectorsSelector.newBuilder().addNames("b"))).build(),
                PointsUpdateOperation.newBuilder().setDeletePoints(PointsUpdateOperation.DeletePoints.newBuilder()
                        .setPoints(ids(5))).build(),
                PointsUpdateOperation.newBuilder().setDeleteDeprecated(ids(6)).build(),
                PointsUpdateOperation.newBuilder().setOverwritePayload(PointsUpdateOperation.OverwritePayload
                        .newBuilder().putPayload("label", value("over")).setPointsSelector(ids(7))).build(),
                PointsUpdateOperation.newBuilder().setClearPayloadDeprecated(ids(7)).build(),
                PointsUpdateOperation.newBuilder().setClearPayload(PointsUpdateOperation.ClearPayload.newBuilder()
                        .setPoints(byFilter(matchKeyword("label", "nothing")))).build());

        // then
        assertThat(results).hasSize(10).allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(UpdateStatus.Completed));
        assertThat(payload(name, 1)).containsOnlyKeys("label", "set");
        assertThat(retrieve(name, 1).getVectors().getVectors().getVectorsMap()).containsOnlyKeys("a", "s");
        assertThat(denseA(name, 1)).containsExactly(9f, 9f);
        assertThat(client.retrieveAsync(name, List.of(id(5), id(6)), false, false, null).get()).isEmpty();
        assertThat(payload(name, 7)).isEmpty();
    }

    @Test
    void aFailingBatchOperationKeepsTheEarlierOnesAndSkipsTheLaterOnes() throws Exception {
        // given
        String name = createDense(2, Distance.Dot);
        upsert(name, labelled(1, "start"));

        // when
        StatusRuntimeException error = statusOf(() -> batch(name, true,
                setLabel(ids(1), "first"), setLabel(ids(999), "missing"), setLabel(ids(1), "third")));

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(error.getStatus().getDescription()).contains("No point with id 999 found");
        assertThat(label(name, 1)).contains("first");
    }

    // --- helpers --------------------------------------------------------------------------------------

    /** A collection with named dense vectors {@code a} and {@code b} (2-d, Dot) and a sparse vector {@code s}. */
    private String createNamed() throws Exception {
        String name = uniqueName();
        create(CreateCollection.newBuilder().setCollectionName(name)
                .setVectorsConfig(VectorsConfig.newBuilder().setParamsMap(VectorParamsMap.newBuilder()
                        .putMap("a", VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot).build())
                        .putMap("b", VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot).build())))
                .setSparseVectorsConfig(SparseVectorConfig.newBuilder()
                        .putMap("s", SparseVectorParams.getDefaultInstance()))
                .build());
        return name;
    }

    private static PointStruct named(long id, float a, float b, Map<String, Value> payload) {
        return PointStruct.newBuilder().setId(id(id)).setVectors(namedVectors(Map.of(
                "a", VectorFactory.vector(a, a), "b", VectorFactory.vector(b, b),
                "s", VectorFactory.vector(List.of(1f), List.of(7))))).putAllPayload(payload).build();
    }

    private static PointStruct labelled(long id, String label) {
        return withPayload(id, Map.of("label", value(label)));
    }

    private static PointStruct withPayload(long id, Map<String, Value> payload) {
        return point(id, new float[] {1, 1}, Map.of()).toBuilder().putAllPayload(payload).build();
    }

    private static UpsertPoints upsertRequest(String name, Optional<Filter> updateFilter, UpdateMode mode,
            PointStruct... points) {
        UpsertPoints.Builder request = UpsertPoints.newBuilder().setCollectionName(name).setWait(true)
                .addAllPoints(List.of(points)).setUpdateMode(mode);
        updateFilter.ifPresent(request::setUpdateFilter);
        return request.build();
    }

    private List<UpdateResult> batch(String name, boolean wait, PointsUpdateOperation... operations)
            throws Exception {
        return client.batchUpdateAsync(UpdateBatchPoints.newBuilder().setCollectionName(name).setWait(wait)
                .addAllOperations(List.of(operations)).build(), null).get();
    }

    private static PointsUpdateOperation setLabel(PointsSelector selector, String label) {
        return PointsUpdateOperation.newBuilder().setSetPayload(PointsUpdateOperation.SetPayload.newBuilder()
                .putPayload("label", value(label)).setPointsSelector(selector)).build();
    }

    private static PointsSelector ids(long... ids) {
        PointsIdsList.Builder list = PointsIdsList.newBuilder();
        for (long id : ids) {
            list.addIds(id(id));
        }
        return PointsSelector.newBuilder().setPoints(list).build();
    }

    private static PointsSelector byFilter(io.qdrant.client.grpc.Common.Condition condition) {
        return PointsSelector.newBuilder().setFilter(filter(condition)).build();
    }

    private RetrievedPoint retrieve(String name, long id) throws Exception {
        List<RetrievedPoint> points = client.retrieveAsync(name, List.of(id(id)), true, true, null).get();
        assertThat(points).as("point %d", id).hasSize(1);
        return points.get(0);
    }

    private Map<String, Value> payload(String name, long id) throws Exception {
        return retrieve(name, id).getPayloadMap();
    }

    /** The point's label, empty when the point does not exist. */
    private Optional<String> label(String name, long id) throws Exception {
        List<RetrievedPoint> points = client.retrieveAsync(name, List.<PointId>of(id(id)), true, false, null).get();
        return points.stream().findFirst().map(p -> p.getPayloadMap().get("label").getStringValue());
    }

    private List<Float> denseA(String name, long id) throws Exception {
        return VectorOutputHelper.getDenseVector(retrieve(name, id).getVectors().getVectors().getVectorsMap()
                .get("a")).getDataList();
    }
}
