package io.apex.migrator.qdrant.standin;

import static io.qdrant.client.ConditionFactory.hasId;
import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.ConditionFactory.range;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.QueryFactory.nearest;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.namedVectors;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.VectorFactory;
import io.qdrant.client.VectorOutputHelper;
import io.qdrant.client.WithPayloadSelectorFactory;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.DeleteAlias;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.HnswConfigDiff;
import io.qdrant.client.grpc.Collections.OptimizersConfigDiff;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.QuantizationConfig;
import io.qdrant.client.grpc.Collections.QuantizationConfigDiff;
import io.qdrant.client.grpc.Collections.QuantizationType;
import io.qdrant.client.grpc.Collections.ScalarQuantization;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.Collections.UpdateCollection;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Common.Range;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.SearchParams;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the product relies on from Qdrant, written once against the real {@link QdrantClient}: run on the
 * stand-in always ({@link StandInQdrantContractIT}) and on a real Qdrant when {@code QDRANT_URL} is set
 * ({@link RealQdrantContractIT}), so the stand-in's behaviour is checked against the real thing.
 * Collections get unique names and are deleted after each test, so a real server is left as it was.
 */
abstract class QdrantContract {

    private final List<String> created = new ArrayList<>();
    private final List<String> aliases = new ArrayList<>();
    private final List<io.apex.migrator.qdrant.QdrantGateway> gateways = new ArrayList<>();
    protected QdrantClient client;

    /** A client for the server under test. */
    protected abstract QdrantClient connect();

    /** The product's gateway settings for the same server. */
    protected abstract io.apex.migrator.qdrant.QdrantSettings gatewaySettings();

    @BeforeEach
    void connectClient() {
        client = connect();
    }

    @AfterEach
    void cleanUp() throws Exception {
        gateways.forEach(io.apex.migrator.qdrant.QdrantGateway::close);
        for (String alias : aliases) {
            try {
                client.deleteAliasAsync(alias).get();
            } catch (ExecutionException ignored) {
                // already gone
            }
        }
        for (String name : created) {
            client.deleteCollectionAsync(name).get();
        }
        client.close();
    }

    /**
     * Makes the server take {@code delay} to index a collection after a change, if the server can be told (the
     * stand-in); false on a real Qdrant, which indexes in its own time.
     */
    protected boolean indexingTakes(java.time.Duration delay) {
        return false;
    }

    // --- readiness ----------------------------------------------------------------------------------

    @Test
    void anIndexedCollectionPastItsThresholdIsYellowWhileIndexingThenGreenWithEveryVectorIndexed() throws Exception {
        // given: HNSW on, a 10 KB indexing threshold, one segment; 400 points of 32 floats (50 KB)
        String name = uniqueName();
        create(CreateCollection.newBuilder().setCollectionName(name).setVectorsConfig(VectorsConfig.newBuilder()
                .setParams(VectorParams.newBuilder().setSize(32).setDistance(Distance.Cosine)))
                .setHnswConfig(HnswConfigDiff.newBuilder().setM(16))
                .setOptimizersConfig(OptimizersConfigDiff.newBuilder().setIndexingThreshold(10)
                        .setDefaultSegmentNumber(1))
                .build());
        boolean modelled = indexingTakes(java.time.Duration.ofSeconds(2));
        io.apex.migrator.pipeline.ReadinessGate gate = readinessGate();
        try {
            // when
            java.util.SplittableRandom random = new java.util.SplittableRandom(7);
            PointStruct[] points = new PointStruct[400];
            for (int i = 0; i < points.length; i++) {
                float[] v = new float[32];
                for (int d = 0; d < v.length; d++) {
                    v[d] = (float) random.nextDouble(-1, 1);
                }
                points[i] = point(i + 1, v, Map.of());
            }
            upsert(name, points);

            // then: while the index is built the gate says why it is not ready (only where the delay is known) ...
            if (modelled) {
                CollectionInfo indexing = client.getCollectionInfoAsync(name).get();
                assertThat(indexing.getStatus()).isEqualTo(io.qdrant.client.grpc.Collections.CollectionStatus.Yellow);
                assertThat(indexing.getOptimizerStatus().getOk()).isTrue();
                assertThat(indexing.getIndexedVectorsCount()).isLessThan(400);
                assertThat(gate.check(name).ready()).isFalse();
                assertThat(gate.check(name).reason()).contains("status yellow").contains("of 396 required vectors");
            }
            // ... and once it is done the collection is green with every vector indexed, and the gate passes
            CollectionInfo done = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(2))
                    .pollInterval(java.time.Duration.ofMillis(200))
                    .until(() -> client.getCollectionInfoAsync(name).get(), info -> info.getStatus()
                            == io.qdrant.client.grpc.Collections.CollectionStatus.Green
                            && info.getIndexedVectorsCount() >= 396);
            assertThat(done.getPointsCount()).isEqualTo(400);
            assertThat(gate.check(name).ready()).isTrue();
        } finally {
            indexingTakes(java.time.Duration.ZERO);
        }
    }

    @Test
    void aCollectionBelowItsIndexingThresholdIsReadyWithNothingIndexed() throws Exception {
        // given: 20 points of 4 floats, far below the default 10 MB threshold
        String name = createDense(4, Distance.Dot);
        // a server that models indexing time must still not make a collection it never indexes wait for it
        indexingTakes(java.time.Duration.ofMinutes(1));
        try {
            for (int i = 1; i <= 20; i++) {
                upsert(name, point(i, new float[] {i, 1, 0, 1}, Map.of()));
            }

            // when / then: Qdrant builds no HNSW index for it, so nothing is to be waited for
            io.apex.migrator.pipeline.ReadinessGate gate = readinessGate();
            io.apex.migrator.pipeline.ReadinessGate.Readiness ready = org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofMinutes(1)).pollInterval(java.time.Duration.ofMillis(200))
                    .until(() -> gate.check(name), io.apex.migrator.pipeline.ReadinessGate.Readiness::ready);
            assertThat(ready.requiredIndexed()).isZero();
            assertThat(ready.points()).isEqualTo(20);
        } finally {
            indexingTakes(java.time.Duration.ZERO);
        }
    }

    private io.apex.migrator.pipeline.ReadinessGate readinessGate() {
        io.apex.migrator.pipeline.PipelineConfig config = new io.smallrye.config.SmallRyeConfigBuilder()
                .withMapping(io.apex.migrator.pipeline.PipelineConfig.class)
                .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .build().getConfigMapping(io.apex.migrator.pipeline.PipelineConfig.class);
        gateways.add(io.apex.migrator.qdrant.QdrantGateway.connect(gatewaySettings()));
        return new io.apex.migrator.pipeline.ReadinessGate(gateways.get(gateways.size() - 1), config);
    }

    // --- collections --------------------------------------------------------------------------------

    @Test
    void createdCollectionEchoesItsConfigInCollectionInfo() throws Exception {
        // given
        String name = uniqueName();
        CreateCollection request = CreateCollection.newBuilder().setCollectionName(name)
                .setVectorsConfig(VectorsConfig.newBuilder().setParamsMap(VectorParamsMap.newBuilder()
                        .putMap("dense", VectorParams.newBuilder().setSize(4).setDistance(Distance.Cosine).build())
                        .putMap("title", VectorParams.newBuilder().setSize(3).setDistance(Distance.Dot).build())))
                .setSparseVectorsConfig(SparseVectorConfig.newBuilder()
                        .putMap("keywords", SparseVectorParams.getDefaultInstance()))
                .setHnswConfig(HnswConfigDiff.newBuilder().setM(32).setEfConstruct(200))
                .setOptimizersConfig(OptimizersConfigDiff.newBuilder().setIndexingThreshold(0))
                .setQuantizationConfig(QuantizationConfig.newBuilder().setScalar(ScalarQuantization.newBuilder()
                        .setType(QuantizationType.Int8).setQuantile(0.99f).setAlwaysRam(true)))
                .build();

        // when
        create(request);
        CollectionInfo info = client.getCollectionInfoAsync(name).get();

        // then
        var config = info.getConfig();
        assertThat(config.getParams().getVectorsConfig().getParamsMap().getMapMap())
                .containsOnlyKeys("dense", "title");
        assertThat(config.getParams().getVectorsConfig().getParamsMap().getMapMap().get("dense").getSize()).isEqualTo(4);
        assertThat(config.getParams().getVectorsConfig().getParamsMap().getMapMap().get("title").getDistance())
                .isEqualTo(Distance.Dot);
        assertThat(config.getParams().getSparseVectorsConfig().getMapMap()).containsOnlyKeys("keywords");
        assertThat(config.getHnswConfig().getM()).isEqualTo(32);
        assertThat(config.getHnswConfig().getEfConstruct()).isEqualTo(200);
        assertThat(config.getOptimizerConfig().getIndexingThreshold()).isZero();
        assertThat(config.getQuantizationConfig().getScalar().getType()).isEqualTo(QuantizationType.Int8);
        assertThat(config.getQuantizationConfig().getScalar().getQuantile()).isEqualTo(0.99f);
        assertThat(info.getPointsCount()).isZero();
    }

    @Test
    void updateCollectionChangesAreEchoedInCollectionInfo() throws Exception {
        // given
        String name = createDense(4, Distance.Cosine);

        // when
        client.updateCollectionAsync(UpdateCollection.newBuilder().setCollectionName(name)
                .setHnswConfig(HnswConfigDiff.newBuilder().setM(0))
                .setOptimizersConfig(OptimizersConfigDiff.newBuilder().setIndexingThreshold(0))
                .setQuantizationConfig(QuantizationConfigDiff.newBuilder().setScalar(ScalarQuantization.newBuilder()
                        .setType(QuantizationType.Int8).setQuantile(0.95f)))
                .build()).get();

        // then
        var config = client.getCollectionInfoAsync(name).get().getConfig();
        assertThat(config.getHnswConfig().getM()).isZero();
        assertThat(config.getOptimizerConfig().getIndexingThreshold()).isZero();
        assertThat(config.getQuantizationConfig().getScalar().getQuantile()).isEqualTo(0.95f);
    }

    @Test
    void creatingAnExistingCollectionFailsWithAlreadyExists() throws Exception {
        // given
        String name = createDense(4, Distance.Cosine);

        // when / then
        StatusRuntimeException error = statusOf(() -> client.createCollectionAsync(name,
                VectorParams.newBuilder().setSize(4).setDistance(Distance.Cosine).build()).get());
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(error.getStatus().getDescription()).contains("Collection `" + name + "` already exists!");
    }

    @Test
    void aMissingCollectionIsNotFoundAndDoesNotExist() throws Exception {
        // given
        String name = uniqueName();

        // when / then
        assertThat(client.collectionExistsAsync(name).get()).isFalse();
        assertThat(statusOf(() -> client.getCollectionInfoAsync(name).get()).getStatus().getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(statusOf(() -> client.countAsync(name).get()).getStatus().getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void listedCollectionsIncludeCreatedOnesAndDeleteRemovesThem() throws Exception {
        // given
        String name = createDense(4, Distance.Cosine);
        assertThat(client.listCollectionsAsync().get()).contains(name);

        // when
        client.deleteCollectionAsync(name).get();
        created.remove(name);

        // then
        assertThat(client.listCollectionsAsync().get()).doesNotContain(name);
        assertThat(client.collectionExistsAsync(name).get()).isFalse();
    }

    @Test
    void aliasSwitchInOneRequestMovesTheAliasAndIsListed() throws Exception {
        // given
        String blue = createDense(4, Distance.Cosine);
        String green = createDense(4, Distance.Cosine);
        String alias = uniqueName();
        aliases.add(alias);
        client.updateAliasesAsync(List.of(createAlias(blue, alias))).get();

        // when
        client.updateAliasesAsync(List.of(deleteAlias(alias), createAlias(green, alias))).get();

        // then
        assertThat(client.listAliasesAsync().get())
                .anySatisfy(a -> {
                    assertThat(a.getAliasName()).isEqualTo(alias);
                    assertThat(a.getCollectionName()).isEqualTo(green);
                });
        assertThat(client.listCollectionAliasesAsync(green).get()).containsExactly(alias);
        assertThat(client.listCollectionAliasesAsync(blue).get()).isEmpty();
        assertThat(client.getCollectionInfoAsync(alias).get().getConfig().getParams().getVectorsConfig()
                .getParams().getSize()).isEqualTo(4);
    }

    @Test
    void aFailingAliasBatchChangesNothing() throws Exception {
        // given
        String blue = createDense(4, Distance.Cosine);
        String alias = uniqueName();
        aliases.add(alias);
        client.updateAliasesAsync(List.of(createAlias(blue, alias))).get();

        // when: the second action points at a collection that does not exist
        StatusRuntimeException error = statusOf(() -> client.updateAliasesAsync(
                List.of(deleteAlias(alias), createAlias(uniqueName(), alias))).get());

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(client.listCollectionAliasesAsync(blue).get()).containsExactly(alias);
    }

    @Test
    void aPayloadIndexShowsInThePayloadSchema() throws Exception {
        // given
        String name = createDense(4, Distance.Cosine);
        upsert(name, point(1, new float[] {1, 0, 0, 0}, Map.of("tenant", "a")));

        // when
        client.createPayloadIndexAsync(name, "tenant", PayloadSchemaType.Keyword, null, true, null, null).get();

        // then
        var schema = client.getCollectionInfoAsync(name).get().getPayloadSchemaMap();
        assertThat(schema).containsKey("tenant");
        assertThat(schema.get("tenant").getDataType()).isEqualTo(PayloadSchemaType.Keyword);
    }

    // --- points ---------------------------------------------------------------------------------------

    @Test
    void upsertedPointsComeBackWithPayloadAndCosineNormalisedVectors() throws Exception {
        // given
        String name = createDense(4, Distance.Cosine);

        // when
        var result = client.upsertAsync(UpsertPoints.newBuilder().setCollectionName(name).setWait(true)
                .addPoints(point(7, new float[] {3, 4, 0, 0}, Map.of("tenant", "a"))).build()).get();
        List<RetrievedPoint> points = client.retrieveAsync(name, List.of(id(7), id(8)), true, true, null).get();

        // then
        assertThat(result.getStatus()).isEqualTo(UpdateStatus.Completed);
        assertThat(points).hasSize(1);
        assertThat(points.get(0).getId()).isEqualTo(id(7));
        assertThat(points.get(0).getPayloadMap().get("tenant").getStringValue()).isEqualTo("a");
        assertThat(VectorOutputHelper.getDenseVector(points.get(0).getVectors().getVector()).getDataList())
                .usingComparatorForType((a, b) -> Math.abs(a - b) < 1e-6 ? 0 : Float.compare(a, b), Float.class)
                .containsExactly(0.6f, 0.8f, 0f, 0f);
    }

    @Test
    void namedAndSparseVectorsAreStoredAndReturnedAsGiven() throws Exception {
        // given
        String name = uniqueName();
        create(CreateCollection.newBuilder().setCollectionName(name)
                .setVectorsConfig(VectorsConfig.newBuilder().setParamsMap(VectorParamsMap.newBuilder()
                        .putMap("dense", VectorParams.newBuilder().setSize(3).setDistance(Distance.Dot).build())))
                .setSparseVectorsConfig(SparseVectorConfig.newBuilder()
                        .putMap("keywords", SparseVectorParams.getDefaultInstance()))
                .build());

        // when
        upsert(name, PointStruct.newBuilder().setId(id(1)).setVectors(namedVectors(Map.of(
                "dense", VectorFactory.vector(1f, 2f, 3f),
                "keywords", VectorFactory.vector(List.of(0.5f, 0.25f), List.of(7, 42))))).build());
        RetrievedPoint point = client.retrieveAsync(name, List.of(id(1)), false, true, null).get().get(0);

        // then
        var named = point.getVectors().getVectors().getVectorsMap();
        assertThat(VectorOutputHelper.getDenseVector(named.get("dense")).getDataList()).containsExactly(1f, 2f, 3f);
        var sparse = VectorOutputHelper.getSparseVector(named.get("keywords"));
        assertThat(sparse.getIndicesList()).containsExactly(7, 42);
        assertThat(sparse.getValuesList()).containsExactly(0.5f, 0.25f);
    }

    @Test
    void aWireCopyThroughTheGatewayStoresEveryPointAsTheSourceHoldsIt() throws Exception {
        // given: named dense (Cosine, normalised on write) and sparse vectors, nested payload, numeric and UUID ids
        CreateCollection.Builder config = CreateCollection.newBuilder()
                .setVectorsConfig(VectorsConfig.newBuilder().setParamsMap(VectorParamsMap.newBuilder()
                        .putMap("dense", VectorParams.newBuilder().setSize(4).setDistance(Distance.Cosine).build())))
                .setSparseVectorsConfig(SparseVectorConfig.newBuilder()
                        .putMap("keywords", SparseVectorParams.getDefaultInstance()));
        String source = uniqueName();
        String target = uniqueName();
        create(config.setCollectionName(source).build());
        create(config.setCollectionName(target).build());
        List<PointStruct> points = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            PointId pid = i % 2 == 0 ? id(UUID.nameUUIDFromBytes(new byte[] {(byte) i})) : id(i);
            points.add(PointStruct.newBuilder().setId(pid).setVectors(namedVectors(Map.of(
                    "dense", VectorFactory.vector(i, 2f, -3f, 0.5f),
                    "keywords", VectorFactory.vector(List.of(0.5f * i, 0.25f), List.of(i, 40 + i)))))
                    .putPayload("title", value("doc " + i))
                    .putPayload("meta", value(Map.of("rank", value(i), "tags", io.qdrant.client.ValueFactory.list(
                            List.of(value("a"), value(i)))))).build());
        }
        upsert(source, points.toArray(PointStruct[]::new));

        // when: two pages read left encoded and upserted re-labelled, as the workers copy
        try (io.apex.migrator.qdrant.QdrantGateway gateway = io.apex.migrator.qdrant.QdrantGateway.connect(gatewaySettings())) {
            var page = gateway.scrollWire(source, null, 3);
            gateway.upsertWire(target, page.points());
            page = gateway.scrollWire(source, page.nextOffset().orElseThrow(), 3);
            gateway.upsertWire(target, page.points());
            assertThat(page.isLast()).isTrue();
        }

        // then
        assertThat(scrollAll(target)).isEqualTo(scrollAll(source)).hasSize(5);
    }

    private List<RetrievedPoint> scrollAll(String name) throws Exception {
        return client.scrollAsync(ScrollPoints.newBuilder().setCollectionName(name).setLimit(100)
                .setWithPayload(io.qdrant.client.WithPayloadSelectorFactory.enable(true))
                .setWithVectors(WithVectorsSelector.newBuilder().setEnable(true)).build()).get().getResultList();
    }

    @Test
    void aBatchWithAWrongVectorSizeIsRejectedAndNothingIsWritten() throws Exception {
        // given
        String name = createDense(4, Distance.Cosine);

        // when
        StatusRuntimeException error = statusOf(() -> client.upsertAsync(name, List.of(
                point(1, new float[] {1, 0, 0, 0}, Map.of()),
                point(2, new float[] {1, 0, 0}, Map.of()))).get());

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(error.getStatus().getDescription()).contains("expected dim: 4, got 3");
        assertThat(client.countAsync(name, null, true).get()).isZero();
    }

    @Test
    void countIsExactAndHonoursFilters() throws Exception {
        // given
        String name = createDense(2, Distance.Dot);
        List<PointStruct> points = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            points.add(point(i, new float[] {i, 1}, Map.of("tenant", i % 3 == 0 ? "a" : "b", "n", i)));
        }
        upsert(name, points.toArray(PointStruct[]::new));

        // when / then
        assertThat(client.countAsync(name, null, true).get()).isEqualTo(30);
        assertThat(client.countAsync(name, filter(matchKeyword("tenant", "a")), true).get()).isEqualTo(10);
        assertThat(client.countAsync(name, filter(range("n", Range.newBuilder().setGte(5).setLt(10).build())), true)
                .get()).isEqualTo(5);
    }

    @Test
    void scrollReturnsIntegerIdsBeforeUuidsWithAnInclusiveOffsetAndNextPageOffset() throws Exception {
        // given
        String name = createDense(2, Distance.Dot);
        UUID low = UUID.fromString("00000000-0000-0000-0000-000000000001");
        UUID high = UUID.fromString("ffffffff-0000-0000-0000-000000000000");
        upsert(name, point(high, Map.of()), point(500, Map.of()), point(low, Map.of()), point(2, Map.of()),
                point(10, Map.of()));

        // when
        ScrollResponse first = client.scrollAsync(ScrollPoints.newBuilder().setCollectionName(name).setLimit(2)
                .build()).get();
        ScrollResponse second = client.scrollAsync(ScrollPoints.newBuilder().setCollectionName(name).setLimit(2)
                .setOffset(first.getNextPageOffset()).build()).get();
        ScrollResponse third = client.scrollAsync(ScrollPoints.newBuilder().setCollectionName(name).setLimit(2)
                .setOffset(second.getNextPageOffset()).build()).get();

        // then
        assertThat(ids(first)).containsExactly(id(2), id(10));
        assertThat(first.getNextPageOffset()).isEqualTo(id(500));
        assertThat(ids(second)).containsExactly(id(500), id(low));
        assertThat(second.getNextPageOffset()).isEqualTo(id(high));
        assertThat(ids(third)).containsExactly(id(high));
        assertThat(third.hasNextPageOffset()).isFalse();
    }

    @Test
    void scrollFiltersOnIdsAndPayloadAndSelectsPayloadAndVectors() throws Exception {
        // given
        String name = createDense(2, Distance.Dot);
        upsert(name, point(1, new float[] {1, 0}, Map.of("tenant", "a", "n", 1)),
                point(2, new float[] {0, 1}, Map.of("tenant", "b", "n", 2)),
                point(3, new float[] {1, 1}, Map.of("tenant", "a", "n", 3)));

        // when
        ScrollResponse byTenant = client.scrollAsync(ScrollPoints.newBuilder().setCollectionName(name)
                .setFilter(filter(matchKeyword("tenant", "a"))).setLimit(10)
                .setWithPayload(WithPayloadSelectorFactory.include(List.of("n")))
                .setWithVectors(WithVectorsSelector.newBuilder().setEnable(true)).build()).get();
        ScrollResponse byId = client.scrollAsync(ScrollPoints.newBuilder().setCollectionName(name)
                .setFilter(filter(hasId(List.of(id(2), id(3))))).setLimit(10)
                .setWithPayload(WithPayloadSelectorFactory.enable(false)).build()).get();

        // then
        assertThat(ids(byTenant)).containsExactly(id(1), id(3));
        assertThat(byTenant.getResult(0).getPayloadMap()).containsOnlyKeys("n");
        assertThat(byTenant.getResult(1).hasVectors()).isTrue();
        assertThat(ids(byId)).containsExactly(id(2), id(3));
        assertThat(byId.getResult(0).getPayloadMap()).isEmpty();
        assertThat(byId.getResult(0).hasVectors()).isFalse();
    }

    @Test
    void deletedPointsAreGoneByIdAndByFilter() throws Exception {
        // given
        String name = createDense(2, Distance.Dot);
        upsert(name, point(1, new float[] {1, 0}, Map.of("tenant", "a")),
                point(2, new float[] {0, 1}, Map.of("tenant", "b")),
                point(3, new float[] {1, 1}, Map.of("tenant", "b")));

        // when
        client.deleteAsync(name, List.of(id(1))).get();
        client.deleteAsync(name, filter(matchKeyword("tenant", "b"))).get();

        // then
        assertThat(client.countAsync(name, null, true).get()).isZero();
    }

    @Test
    void aPointWithAnUnknownVectorNameIsInvalid() throws Exception {
        // given
        String name = createDense(2, Distance.Dot);

        // when
        StatusRuntimeException error = statusOf(() -> client.upsertAsync(name, List.of(PointStruct.newBuilder()
                .setId(id(1)).setVectors(namedVectors(Map.of("nope", VectorFactory.vector(1f, 2f)))).build())).get());

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(error.getStatus().getDescription()).contains("nope");
    }

    @Test
    void aQueryWithAWrongDimensionIsInvalid() throws Exception {
        // given
        String name = createDense(4, Distance.Cosine);
        upsert(name, point(1, new float[] {1, 0, 0, 0}, Map.of()));

        // when
        StatusRuntimeException error = statusOf(() -> query(name, new float[] {1, 0}));

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(error.getStatus().getDescription()).contains("expected dim: 4, got 2");
    }

    @Test
    void aScalarQuantileOutsideHalfToOneIsInvalid() throws Exception {
        // given
        String name = uniqueName();

        // when
        StatusRuntimeException error = statusOf(() -> client.createCollectionAsync(CreateCollection.newBuilder()
                .setCollectionName(name)
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(4)
                        .setDistance(Distance.Cosine)))
                .setQuantizationConfig(QuantizationConfig.newBuilder().setScalar(ScalarQuantization.newBuilder()
                        .setType(QuantizationType.Int8).setQuantile(0.2f)))
                .build()).get());

        // then
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(client.collectionExistsAsync(name).get()).isFalse();
    }

    @Test
    void scrollAndUpsertOnAMissingCollectionAreNotFound() {
        // given
        String name = uniqueName();

        // when / then
        assertThat(statusOf(() -> client.scrollAsync(ScrollPoints.newBuilder().setCollectionName(name).build()).get())
                .getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(statusOf(() -> upsert(name, point(1, new float[] {1, 0}, Map.of()))).getStatus().getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void aQueryThroughAnAliasSearchesItsCollection() throws Exception {
        // given
        String name = createDense(2, Distance.Dot);
        upsert(name, point(1, new float[] {1, 0}, Map.of()), point(2, new float[] {0, 1}, Map.of()));
        String alias = uniqueName();
        aliases.add(alias);
        client.updateAliasesAsync(List.of(createAlias(name, alias))).get();

        // when
        List<ScoredPoint> hits = query(alias, new float[] {0, 1});

        // then
        assertThat(hits).extracting(ScoredPoint::getId).startsWith(id(2));
    }

    // --- search ---------------------------------------------------------------------------------------

    @Test
    void exactQueryRanksByCosineDotAndEuclid() throws Exception {
        // given
        String cosine = createDense(2, Distance.Cosine);
        String dot = createDense(2, Distance.Dot);
        String euclid = createDense(2, Distance.Euclid);
        for (String name : List.of(cosine, dot, euclid)) {
            upsert(name, point(1, new float[] {1, 0}, Map.of()), point(2, new float[] {0, 3}, Map.of()),
                    point(3, new float[] {2, 2}, Map.of()));
        }

        // when
        List<ScoredPoint> byCosine = query(cosine, new float[] {1, 0.1f});
        List<ScoredPoint> byDot = query(dot, new float[] {0, 1});
        List<ScoredPoint> byEuclid = query(euclid, new float[] {0, 2.5f});

        // then
        assertThat(byCosine).extracting(ScoredPoint::getId).containsExactly(id(1), id(3), id(2));
        assertThat(byCosine.get(0).getScore()).isCloseTo((float) (1 / Math.sqrt(1.01)), within(1e-4f));
        assertThat(byDot).extracting(ScoredPoint::getId).containsExactly(id(2), id(3), id(1));
        assertThat(byDot.get(0).getScore()).isCloseTo(3f, within(1e-5f));
        assertThat(byEuclid).extracting(ScoredPoint::getId).containsExactly(id(2), id(3), id(1));
        assertThat(byEuclid.get(0).getScore()).isCloseTo(0.5f, within(1e-5f));
    }

    // --- helpers --------------------------------------------------------------------------------------

    /** The product's gateway on the server under test, closed after the test. */
    protected io.apex.migrator.qdrant.QdrantGateway gateway() {
        gateways.add(io.apex.migrator.qdrant.QdrantGateway.connect(gatewaySettings()));
        return gateways.get(gateways.size() - 1);
    }

    protected String uniqueName() {
        return "contract_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    protected void create(CreateCollection request) throws Exception {
        client.createCollectionAsync(request).get();
        created.add(request.getCollectionName());
    }

    protected String createDense(int size, Distance distance) throws Exception {
        String name = uniqueName();
        create(CreateCollection.newBuilder().setCollectionName(name).setVectorsConfig(VectorsConfig.newBuilder()
                .setParams(VectorParams.newBuilder().setSize(size).setDistance(distance))).build());
        return name;
    }

    protected void upsert(String name, PointStruct... points) throws Exception {
        client.upsertAsync(UpsertPoints.newBuilder().setCollectionName(name).setWait(true)
                .addAllPoints(List.of(points)).build()).get();
    }

    protected List<ScoredPoint> query(String name, float[] vector) throws Exception {
        return client.queryAsync(QueryPoints.newBuilder().setCollectionName(name).setQuery(nearest(vector))
                .setParams(SearchParams.newBuilder().setExact(true)).setLimit(10).build()).get();
    }

    protected static PointStruct point(long id, float[] vector, Map<String, Object> payload) {
        return PointStruct.newBuilder().setId(id(id)).setVectors(vectors(vector)).putAllPayload(payload(payload))
                .build();
    }

    private static PointStruct point(long id, Map<String, Object> payload) {
        return point(id, new float[] {1, 1}, payload);
    }

    private static PointStruct point(UUID id, Map<String, Object> payload) {
        return PointStruct.newBuilder().setId(id(id)).setVectors(vectors(1f, 1f)).putAllPayload(payload(payload))
                .build();
    }

    private static Map<String, io.qdrant.client.grpc.JsonWithInt.Value> payload(Map<String, Object> payload) {
        Map<String, io.qdrant.client.grpc.JsonWithInt.Value> out = new java.util.HashMap<>();
        payload.forEach((k, v) -> out.put(k, v instanceof Integer i ? value(i) : value((String) v)));
        return out;
    }

    protected static Filter filter(io.qdrant.client.grpc.Common.Condition condition) {
        return Filter.newBuilder().addMust(condition).build();
    }

    private static List<PointId> ids(ScrollResponse response) {
        return response.getResultList().stream().map(RetrievedPoint::getId).toList();
    }

    private static AliasOperations createAlias(String collection, String alias) {
        return AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder().setCollectionName(collection)
                .setAliasName(alias)).build();
    }

    private static AliasOperations deleteAlias(String alias) {
        return AliasOperations.newBuilder().setDeleteAlias(DeleteAlias.newBuilder().setAliasName(alias)).build();
    }

    /** The gRPC status a call failed with (the client wraps it in an ExecutionException). */
    protected static StatusRuntimeException statusOf(ThrowingCallable call) {
        Throwable[] caught = new Throwable[1];
        assertThatThrownBy(() -> {
            try {
                call.call();
            } catch (Throwable t) {
                caught[0] = t;
                throw t;
            }
        }).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StatusRuntimeException.class);
        return (StatusRuntimeException) caught[0].getCause();
    }
}
