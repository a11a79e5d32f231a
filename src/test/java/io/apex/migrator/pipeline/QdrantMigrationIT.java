package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.Messages;
import io.apex.migrator.qdrant.standin.Faults;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.state.BatchRecord;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.support.LocalStackResource;
import io.apex.migrator.support.SpecsDirResource;
import io.grpc.Status;
import io.qdrant.client.grpc.Collections.ShardKey;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The pipeline end to end on real Kafka and PostgreSQL 15 and the Qdrant stand-in: commands in, three
 * worker consumers in one group, progress, cutover, CloudEvents out.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
@WithTestResource(PipelineWorkerResource.class)
class QdrantMigrationIT extends StandInPipelineRuns {

    private static final Logger LOGGER = Logger.getLogger(QdrantMigrationIT.class);

    @Test
    void twentyThousand1536dPointsMigrateWithThreeWorkersPointForPoint() {
        // given
        Names n = Names.create("docs");
        TestCollections.create(gateway, n.v1, 1536, false);
        TestCollections.seed(gateway, n.v1, 20_000, 1536, false, false, 1);
        TestCollections.create(gateway, n.v2, 1536, false);
        pointAlias(n.alias, n.v1);
        String commandId = "c-" + UUID.randomUUID();

        // when
        send(migrate(commandId, n, 1000));
        JsonNode completed = awaitEvent(commandId, "migration-completed", Duration.ofMinutes(5));

        // then
        assertThat(gateway.aliases()).containsEntry(n.alias, n.v2);
        assertThat(TestCollections.assertSameContent(gateway, n.v1, n.v2)).isEqualTo(20_000);
        Run run = runStore.findByCommand(commandId).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.COMPLETED);
        assertThat(run.copiedPoints()).isEqualTo(20_000);
        assertThat(run.plannedBatches()).isEqualTo(20);
        assertThat(completed.get("previousCollection").asText()).isEqualTo(n.v1);
        assertThat(completed.get("targetPoints").asLong()).isEqualTo(20_000);
        LOGGER.infof("20,000 x 1536-d points copied at %s points/s (run %s, %s ms in all)",
                completed.get("pointsPerSecond"), run.id(), completed.get("durationMs"));
        assertThat(typesOf(commandId)).containsSubsequence("migration-accepted", "migration-planned",
                "migration-copied", "migration-verified", "alias-swapped", "migration-completed", "schema-ready");
    }

    @Test
    void aHybridCollectionWithUuidIdsMigratesAndARepeatedCommandDoesNothing() {
        // given
        Names n = Names.create("hybrid");
        TestCollections.create(gateway, n.v1, 32, true);
        TestCollections.seed(gateway, n.v1, 1_500, 32, true, true, 2);
        TestCollections.create(gateway, n.v2, 32, true);
        pointAlias(n.alias, n.v1);
        String commandId = "c-" + UUID.randomUUID();
        String command = migrate(commandId, n, 200);
        send(command);
        awaitEvent(commandId, "schema-ready", Duration.ofMinutes(2));
        List<String> before = typesOf(commandId);

        // when: the same command again, then the same migration under a new command id (the alias now serves its
        // target), then a marker that is rejected after them (commands are handled in order)
        send(command);
        String again = "c-" + UUID.randomUUID();
        send(migrate(again, n, 200));
        String marker = "marker-" + UUID.randomUUID();
        send("{\"schemaVersion\":1,\"commandId\":\"" + marker + "\",\"type\":\"qdrant.nope\"}");
        awaitEvent(marker, "migration-rejected", Duration.ofMinutes(1));

        // then
        assertThat(TestCollections.assertSameContent(gateway, n.v1, n.v2)).isEqualTo(1_500);
        assertThat(typesOf(commandId)).isEqualTo(before);
        JsonNode refused = awaitEvent(again, "migration-rejected", Duration.ofSeconds(10));
        assertThat(refused.get("field").asText()).isEqualTo("$.target");
        assertThat(refused.get("reason").asText()).contains("alias '" + n.alias + "' already serves '" + n.v2 + "'",
                "verified and swapped by run " + runStore.findByCommand(commandId).orElseThrow().id());
        assertThat(runStore.findByCommand(again)).isEmpty();
        assertThat(runStore.commandSeen(again)).isFalse();
        assertThat(before.stream().filter("schema-ready"::equals).count()).isEqualTo(1);
        assertThat(runStore.eventTypes(runStore.findByCommand(commandId).orElseThrow().id()))
                .filteredOn("schema-ready"::equals).hasSize(1);
    }

    @Test
    void aCollectionOfThreeNamedDenseVectorsWithDifferentDistancesAndASparseOneMigratesBitForBit() {
        // given: text (8-d Cosine), image (4-d Dot), geo (3-d Euclid) and sparse keywords, on both sides
        Names n = Names.create("named");
        createNamed(n.v1);
        createNamed(n.v2);
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        List<io.qdrant.client.grpc.Points.PointStruct> points = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            points.add(io.qdrant.client.grpc.Points.PointStruct.newBuilder()
                    .setId(io.qdrant.client.grpc.Common.PointId.newBuilder().setNum(i + 1))
                    .setVectors(io.qdrant.client.VectorsFactory.namedVectors(Map.of(
                            "text", io.qdrant.client.VectorFactory.vector(floats(random, 8)),
                            "image", io.qdrant.client.VectorFactory.vector(floats(random, 4)),
                            "geo", io.qdrant.client.VectorFactory.vector(floats(random, 3)),
                            "keywords", io.qdrant.client.VectorFactory.vector(List.of((float) random.nextDouble()),
                                    List.of(i % 97)))))
                    .build());
        }
        gateway.upsert(n.v1, points);
        pointAlias(n.alias, n.v1);
        String commandId = "c-" + UUID.randomUUID();

        // when
        send(migrate(commandId, n, 200));
        awaitEvent(commandId, "migration-completed", Duration.ofMinutes(3));

        // then: every vector of every point as the source holds it (Cosine ones normalised once, on the source)
        assertThat(gateway.aliases()).containsEntry(n.alias, n.v2);
        assertThat(TestCollections.assertSameContent(gateway, n.v1, n.v2)).isEqualTo(600);
    }

    @Test
    void aCustomShardedCollectionMigratesWithEveryPointUnderItsShardKey() {
        // given: three shard keys (two keywords, one number); the target creates them in another order
        Names n = Names.create("sharded");
        List<ShardKey> keys = List.of(keyword("tenant-a"), keyword("tenant-b"), number(7));
        createCustomSharded(n.v1, keys);
        createCustomSharded(n.v2, List.of(keys.get(2), keys.get(0), keys.get(1)));
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        for (int k = 0; k < keys.size(); k++) {
            List<io.qdrant.client.grpc.Points.PointStruct> points = new ArrayList<>();
            for (int i = k; i < 2_400; i += keys.size()) {
                points.add(io.qdrant.client.grpc.Points.PointStruct.newBuilder()
                        .setId(io.qdrant.client.grpc.Common.PointId.newBuilder().setNum(i + 1))
                        .setVectors(io.qdrant.client.VectorsFactory.vectors(floats(random, 8)))
                        .putPayload("tenant", io.qdrant.client.ValueFactory.value(k)).build());
            }
            upsertInto(n.v1, keys.get(k), points);
        }
        pointAlias(n.alias, n.v1);
        String commandId = "c-" + UUID.randomUUID();

        // when
        send(migrate(commandId, n, 400));
        awaitEvent(commandId, "migration-completed", Duration.ofMinutes(3));

        // then: every point, bit for bit, under the key it has in the source; each key holds what it held
        assertThat(gateway.aliases()).containsEntry(n.alias, n.v2);
        assertThat(TestCollections.assertSameContent(gateway, n.v1, n.v2)).isEqualTo(2_400);
        for (ShardKey key : keys) {
            assertThat(countIn(n.v2, key)).as("points under %s", key).isEqualTo(800).isEqualTo(countIn(n.v1, key));
        }
    }

    @Test
    void aMultivectorCollectionWithFloat16AndUint8VectorsMigratesBitForBit() {
        // given: late-interaction rows (4-d Cosine, MaxSim), an 8-d float16 vector and a 4-d uint8 one
        Names n = Names.create("multi");
        createMultivector(n.v1);
        createMultivector(n.v2);
        java.util.SplittableRandom random = new java.util.SplittableRandom(13);
        List<io.qdrant.client.grpc.Points.PointStruct> points = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            List<io.qdrant.client.grpc.Points.DenseVector> rows = new ArrayList<>();
            for (int r = 0; r <= i % 5; r++) {
                rows.add(io.qdrant.client.grpc.Points.DenseVector.newBuilder().addAllData(boxed(floats(random, 4)))
                        .build());
            }
            float[] bytes = floats(random, 4);
            for (int d = 0; d < bytes.length; d++) {
                bytes[d] = bytes[d] * 300; // negative, fractional and past 255: all stored as uint8
            }
            points.add(io.qdrant.client.grpc.Points.PointStruct.newBuilder()
                    .setId(io.qdrant.client.grpc.Common.PointId.newBuilder().setNum(i + 1))
                    .setVectors(io.qdrant.client.VectorsFactory.namedVectors(Map.of(
                            "colbert", io.qdrant.client.grpc.Points.Vector.newBuilder().setMultiDense(
                                    io.qdrant.client.grpc.Points.MultiDenseVector.newBuilder().addAllVectors(rows))
                                    .build(),
                            "half", io.qdrant.client.VectorFactory.vector(floats(random, 8)),
                            "bytes", io.qdrant.client.VectorFactory.vector(bytes))))
                    .build());
        }
        gateway.upsert(n.v1, points);
        pointAlias(n.alias, n.v1);
        String commandId = "c-" + UUID.randomUUID();

        // when
        send(migrate(commandId, n, 300));
        awaitEvent(commandId, "migration-completed", Duration.ofMinutes(3));

        // then: every row of every multivector and every stored float16/uint8 value as the source holds it
        assertThat(gateway.aliases()).containsEntry(n.alias, n.v2);
        assertThat(TestCollections.assertSameContent(gateway, n.v1, n.v2)).isEqualTo(1_500);
    }

    private void createMultivector(String name) {
        gateway.createCollection(io.qdrant.client.grpc.Collections.CreateCollection.newBuilder()
                .setCollectionName(name)
                .setVectorsConfig(io.qdrant.client.grpc.Collections.VectorsConfig.newBuilder().setParamsMap(
                        io.qdrant.client.grpc.Collections.VectorParamsMap.newBuilder()
                                .putMap("colbert", params(4, io.qdrant.client.grpc.Collections.Distance.Cosine)
                                        .toBuilder().setMultivectorConfig(
                                                io.qdrant.client.grpc.Collections.MultiVectorConfig.newBuilder()
                                                        .setComparator(io.qdrant.client.grpc.Collections
                                                                .MultiVectorComparator.MaxSim)).build())
                                .putMap("half", params(8, io.qdrant.client.grpc.Collections.Distance.Dot).toBuilder()
                                        .setDatatype(io.qdrant.client.grpc.Collections.Datatype.Float16).build())
                                .putMap("bytes", params(4, io.qdrant.client.grpc.Collections.Distance.Euclid)
                                        .toBuilder().setDatatype(io.qdrant.client.grpc.Collections.Datatype.Uint8)
                                        .build())))
                .build());
    }

    private static List<Float> boxed(float[] values) {
        List<Float> out = new ArrayList<>(values.length);
        for (float v : values) {
            out.add(v);
        }
        return out;
    }

    private static ShardKey keyword(String keyword) {
        return ShardKey.newBuilder().setKeyword(keyword).build();
    }

    private static ShardKey number(long number) {
        return ShardKey.newBuilder().setNumber(number).build();
    }

    private void createCustomSharded(String name, List<ShardKey> keys) {
        gateway.createCollection(io.qdrant.client.grpc.Collections.CreateCollection.newBuilder()
                .setCollectionName(name).setShardingMethod(io.qdrant.client.grpc.Collections.ShardingMethod.Custom)
                .setVectorsConfig(io.qdrant.client.grpc.Collections.VectorsConfig.newBuilder()
                        .setParams(params(8, io.qdrant.client.grpc.Collections.Distance.Dot)))
                .build());
        try {
            for (ShardKey key : keys) {
                rawClient().createShardKeyAsync(io.qdrant.client.grpc.Collections.CreateShardKeyRequest.newBuilder()
                        .setCollectionName(name).setRequest(io.qdrant.client.grpc.Collections.CreateShardKey
                                .newBuilder().setShardKey(key)).build()).get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void upsertInto(String name, ShardKey key, List<io.qdrant.client.grpc.Points.PointStruct> points) {
        try {
            rawClient().upsertAsync(io.qdrant.client.grpc.Points.UpsertPoints.newBuilder().setCollectionName(name)
                    .setWait(true).addAllPoints(points)
                    .setShardKeySelector(io.apex.migrator.qdrant.ShardKeys.selector(key)).build()).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long countIn(String name, ShardKey key) {
        try {
            return rawClient().grpcClient().points().count(io.qdrant.client.grpc.Points.CountPoints.newBuilder()
                    .setCollectionName(name).setExact(true)
                    .setShardKeySelector(io.apex.migrator.qdrant.ShardKeys.selector(key)).build())
                    .get().getResult().getCount();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static io.qdrant.client.QdrantClient raw;

    /** A plain Qdrant client on the stand-in, for what the product's gateway does not do (shard keys, keyed writes). */
    private static synchronized io.qdrant.client.QdrantClient rawClient() {
        if (raw == null) {
            QdrantStandIn.Shared standIn = QdrantStandIn.shared();
            raw = new io.qdrant.client.QdrantClient(io.qdrant.client.QdrantGrpcClient.newBuilder(standIn.host(),
                    standIn.port(), false).build());
        }
        return raw;
    }

    private void createNamed(String name) {
        gateway.createCollection(io.qdrant.client.grpc.Collections.CreateCollection.newBuilder()
                .setCollectionName(name)
                .setVectorsConfig(io.qdrant.client.grpc.Collections.VectorsConfig.newBuilder().setParamsMap(
                        io.qdrant.client.grpc.Collections.VectorParamsMap.newBuilder()
                                .putMap("text", params(8, io.qdrant.client.grpc.Collections.Distance.Cosine))
                                .putMap("image", params(4, io.qdrant.client.grpc.Collections.Distance.Dot))
                                .putMap("geo", params(3, io.qdrant.client.grpc.Collections.Distance.Euclid))))
                .setSparseVectorsConfig(io.qdrant.client.grpc.Collections.SparseVectorConfig.newBuilder()
                        .putMap("keywords", io.qdrant.client.grpc.Collections.SparseVectorParams.getDefaultInstance()))
                .build());
    }

    private static io.qdrant.client.grpc.Collections.VectorParams params(int size,
            io.qdrant.client.grpc.Collections.Distance distance) {
        return io.qdrant.client.grpc.Collections.VectorParams.newBuilder().setSize(size).setDistance(distance).build();
    }

    private static float[] floats(java.util.SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }

    @Test
    void malformedCommandsAreRejectedNamingTheFieldAndTheConsumerGoesOn() {
        // given
        Names n = Names.create("after_rejects");
        TestCollections.create(gateway, n.v1, 8, false);
        TestCollections.seed(gateway, n.v1, 300, 8, false, false, 3);
        TestCollections.create(gateway, n.v2, 8, false);
        String unknownType = "c-" + UUID.randomUUID();
        String unknownCollection = "c-" + UUID.randomUUID();
        String negativeBatch = "c-" + UUID.randomUUID();
        String valid = "c-" + UUID.randomUUID();
        int rejectionsBefore = topics().eventsOfType("migration-rejected").size();

        // when
        send("{\"schemaVersion\":1,\"commandId\":\"broken\", \"type\": ");
        send("{\"schemaVersion\":1,\"commandId\":\"" + unknownType + "\",\"type\":\"qdrant.frobnicate\"}");
        send(migrate(unknownCollection, new Names("nope_" + n.v1, n.v2, null), 100));
        send(migrate(negativeBatch, n, -5));
        send(migrate(valid, n, 100));

        // then
        awaitEvent(valid, "migration-completed", Duration.ofMinutes(2));
        List<JsonNode> rejections = topics().eventsOfType("migration-rejected").stream().skip(rejectionsBefore)
                .toList();
        assertThat(rejections).extracting(d -> d.path("commandId").asText(null), d -> d.get("field").asText())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(null, "$"),
                        org.assertj.core.groups.Tuple.tuple(unknownType, "$.type"),
                        org.assertj.core.groups.Tuple.tuple(unknownCollection, "$.source"),
                        org.assertj.core.groups.Tuple.tuple(negativeBatch, "$.batchSize"));
        assertThat(rejections.get(0).get("reason").asText()).contains("not valid JSON");
        assertThat(rejections.get(2).get("reason").asText()).contains("does not exist");
        for (String rejected : List.of(unknownType, unknownCollection, negativeBatch)) {
            assertThat(runStore.findByCommand(rejected)).isEmpty();
            assertThat(runStore.commandSeen(rejected)).isFalse();
        }
    }

    @Test
    void aWorkerClosedWithoutCommittingLosesAndDuplicatesNoRange() {
        // given: a fourth consumer in the workers' group that will take tasks and die without committing
        Names n = Names.create("rogue");
        TestCollections.create(gateway, n.v1, 16, false);
        TestCollections.seed(gateway, n.v1, 3_000, 16, false, true, 4);
        TestCollections.create(gateway, n.v2, 16, false);
        pointAlias(n.alias, n.v1);
        String commandId = "c-" + UUID.randomUUID();
        List<ConsumerRecord<String, String>> taken = new ArrayList<>();
        try (KafkaConsumer<String, String> rogue = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "apex-workers",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            rogue.subscribe(List.of(PipelineWorkerResource.PREFIX + "batches"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                rogue.poll(Duration.ofMillis(200)).forEach(taken::add);
                return !rogue.assignment().isEmpty();
            });
            send(migrate(commandId, n, 100));

            // when: it takes tasks of the run, then is closed without committing their offsets
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                rogue.poll(Duration.ofMillis(200)).forEach(taken::add);
                return taken.stream().anyMatch(r -> r.value().contains(runId(commandId)));
            });
        }

        // then
        awaitEvent(commandId, "migration-completed", Duration.ofMinutes(3));
        Run run = runStore.findByCommand(commandId).orElseThrow();
        List<BatchRecord> batches = runStore.batches(run.id(), BatchKind.COPY);
        assertThat(batches).hasSize(30).allSatisfy(b -> assertThat(b.state()).isEqualTo("done"));
        assertThat(batches.stream().mapToLong(BatchRecord::points).sum()).isEqualTo(3_000);
        assertThat(run.copiedPoints()).isEqualTo(3_000);
        assertThat(TestCollections.assertSameContent(gateway, n.v1, n.v2)).isEqualTo(3_000);
    }

    @Test
    void twentyPercentUnavailableOnReadsAndWritesIsSurvived() {
        // given
        Names n = Names.create("flaky");
        TestCollections.create(gateway, n.v1, 16, false);
        TestCollections.seed(gateway, n.v1, 2_000, 16, false, false, 5);
        TestCollections.create(gateway, n.v2, 16, false);
        pointAlias(n.alias, n.v1);
        String commandId = "c-" + UUID.randomUUID();
        Faults faults = QdrantStandIn.shared().faults().seed(7)
                .errorRate("Points/Scroll", 0.2, Status.Code.UNAVAILABLE)
                .errorRate("Points/Upsert", 0.2, Status.Code.UNAVAILABLE);

        // when
        send(migrate(commandId, n, 100));
        awaitEvent(commandId, "migration-completed", Duration.ofMinutes(3));
        long injected = faults.injectedCount();
        faults.reset();

        // then
        assertThat(injected).isPositive();
        assertThat(gateway.aliases()).containsEntry(n.alias, n.v2);
        assertThat(TestCollections.assertSameContent(gateway, n.v1, n.v2)).isEqualTo(2_000);
    }

    @Test
    void aPermanentlyFailingRangeGoesToTheDeadLetterTopicFailsTheRunAndLeavesTheAlias() {
        // given
        Names n = Names.create("doomed");
        TestCollections.create(gateway, n.v1, 8, false);
        TestCollections.seed(gateway, n.v1, 500, 8, false, false, 6);
        TestCollections.create(gateway, n.v2, 8, false);
        pointAlias(n.alias, n.v1);
        String commandId = "c-" + UUID.randomUUID();
        QdrantStandIn.shared().faults().failNext("Points/Upsert", 1, Status.Code.INVALID_ARGUMENT);

        // when
        send(migrate(commandId, n, 100));
        JsonNode failed = awaitEvent(commandId, "migration-failed", Duration.ofMinutes(2));

        // then
        String runId = runId(commandId);
        assertThat(failed.get("reason").asText()).contains("range").contains("failed");
        try (TopicReader<String> deadLetters = TopicReader.strings(bootstrap,
                PipelineWorkerResource.PREFIX + "dead-letter")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.poll().stream()
                    .anyMatch(r -> r.value().contains(runId)));
            ConsumerRecord<String, String> dead = deadLetters.poll().stream()
                    .filter(r -> r.value().contains(runId)).findFirst().orElseThrow();
            Header reason = dead.headers().lastHeader("dead-letter-reason");
            assertThat(reason).isNotNull();
            assertThat(new String(reason.value(), StandardCharsets.UTF_8)).contains("INVALID_ARGUMENT");
            assertThat(Messages.get().readBatchTask(dead.value()).runId()).isEqualTo(runId);
        }
        assertThat(runStore.findByCommand(commandId).orElseThrow().state()).isEqualTo(RunState.FAILED);
        assertThat(gateway.aliases()).containsEntry(n.alias, n.v1);
        assertThat(typesOf(commandId)).doesNotContain("migration-completed", "schema-ready", "alias-swapped");
    }

    // --- helpers ---------------------------------------------------------------------------------------

    @Test
    void aBulkLoadCopiesWithHnswIndexingOffAndRestoresItBeforeTheCutover() {
        // given: a target with HNSW m=16, and slow upserts so the copy lasts long enough to be looked at
        Names n = Names.create("bulk");
        TestCollections.create(gateway, n.v1, 32, false);
        TestCollections.seed(gateway, n.v1, 1_200, 32, false, false, 3);
        TestCollections.create(gateway, n.v2, 32, false);
        long m = gateway.collectionInfo(n.v2).getConfig().getHnswConfig().getM();
        assertThat(m).isPositive();
        pointAlias(n.alias, n.v1);
        QdrantStandIn.shared().faults().latency("Points/Upsert", Duration.ofMillis(250));
        String commandId = "c-" + UUID.randomUUID();

        // when
        send(migrate(commandId, n, 200).replace("}", ",\"bulkLoad\":true}"));

        // then: indexing is off while the ranges are copied, back to m before the alias moves
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20)).until(() ->
                gateway.collectionInfo(n.v2).getConfig().getHnswConfig().getM() == 0);
        awaitEvent(commandId, "migration-completed", Duration.ofMinutes(2));
        assertThat(gateway.collectionInfo(n.v2).getConfig().getHnswConfig().getM()).isEqualTo(m);
        assertThat(gateway.aliases()).containsEntry(n.alias, n.v2);
        assertThat(TestCollections.assertSameContent(gateway, n.v1, n.v2)).isEqualTo(1_200);
    }

    @Test
    void anHnswAndQuantizationChangeAppliedInPlaceEndsInSchemaReadyWithTheNewParamsAndTheAliasWhereItWas() {
        // given: v1 behind the alias (HNSW m 16, ef_construct 100, no quantization), and the spec of v2 with the
        // same vectors, a denser graph and int8 quantization
        Names n = Names.create("inplace");
        TestCollections.create(gateway, n.v1, 32, false);
        TestCollections.seed(gateway, n.v1, 1_200, 32, false, false, 4);
        pointAlias(n.alias, n.v1);
        SpecsDirResource.write(n.v2, inPlaceSpec(n, 32, ""));
        String commandId = "c-" + UUID.randomUUID();
        try {
            // when
            send(migrate(commandId, n, 200).replace("}", ",\"inPlace\":true}"));
            JsonNode ready = awaitEvent(commandId, "schema-ready", Duration.ofMinutes(1));

            // then: v1 has the spec's params, nothing was copied or created, the alias did not move
            io.qdrant.client.grpc.Collections.CollectionConfig config = gateway.collectionInfo(n.v1).getConfig();
            assertThat(config.getHnswConfig().getM()).isEqualTo(32);
            assertThat(config.getHnswConfig().getEfConstruct()).isEqualTo(128);
            assertThat(config.getQuantizationConfig().getScalar().getQuantile()).isEqualTo(0.99f);
            assertThat(gateway.aliases()).containsEntry(n.alias, n.v1);
            assertThat(gateway.collectionExists(n.v2)).isFalse();
            assertThat(ready.path("target").asText()).isEqualTo(n.v1);
            assertThat(ready.path("details").path("inPlace").path("spec").asText()).isEqualTo(n.v2);
            List<String> changed = new ArrayList<>();
            ready.path("details").path("inPlace").path("changes").forEach(f -> changed.add(f.asText()));
            assertThat(changed).contains("hnsw.m", "hnsw.ef_construct", "quantization");
            JsonNode recall = ready.path("details").path("verification").path("recall");
            assertThat(recall.path("measured").asBoolean()).as("recall gate: %s", recall).isTrue();
            assertThat(recall.path("threshold").asDouble()).as("the default").isEqualTo(0.97);
            assertThat(recall.path("passed").asBoolean()).isTrue();
            assertThat(ready.path("details").path("verification").path("readiness").path("ready").asBoolean()).isTrue();
            Run run = runStore.findByCommand(commandId).orElseThrow();
            assertThat(run.state()).isEqualTo(RunState.COMPLETED);
            assertThat(run.source()).isEqualTo(n.v1);
            assertThat(run.target()).isEqualTo(n.v1);
            assertThat(typesOf(commandId)).containsSubsequence("migration-accepted", "migration-planned",
                    "migration-completed", "schema-ready").doesNotContain("migration-copied", "alias-swapped");
            LOGGER.infof("in place: %s", ready.path("details"));
        } finally {
            SpecsDirResource.delete(n.v2);
        }
    }

    @Test
    void anInPlaceChangeNeedingACopyIsRejectedNamingEachFieldWithBothValuesAndTheCollectionIsUnchanged() {
        // given: the spec of v2 doubles the vector size (a copy) and changes HNSW m (in place)
        Names n = Names.create("inplacex");
        TestCollections.create(gateway, n.v1, 32, false);
        TestCollections.seed(gateway, n.v1, 50, 32, false, false, 5);
        pointAlias(n.alias, n.v1);
        io.qdrant.client.grpc.Collections.CollectionConfig before = gateway.collectionInfo(n.v1).getConfig();
        SpecsDirResource.write(n.v2, inPlaceSpec(n, 64, ""));
        String commandId = "c-" + UUID.randomUUID();
        try {
            // when
            send(migrate(commandId, n, 200).replace("}", ",\"inPlace\":true}"));
            JsonNode rejected = awaitEvent(commandId, "migration-rejected", Duration.ofMinutes(1));

            // then
            assertThat(rejected.path("field").asText()).isEqualTo("$.inPlace");
            assertThat(rejected.path("reason").asText()).contains("need a copy: vectors.size: collection has 32, spec 64")
                    .contains("nothing was changed")
                    .doesNotContain("hnsw.m");
            assertThat(gateway.collectionInfo(n.v1).getConfig()).isEqualTo(before);
            assertThat(runStore.findByCommand(commandId)).isEmpty();
            assertThat(gateway.aliases()).containsEntry(n.alias, n.v1);
        } finally {
            SpecsDirResource.delete(n.v2);
        }
    }

    @Test
    void anInPlaceQuantizationBelowTheRecallThresholdFailsTheRunAndRestoresTheOldParams() {
        // given: 600 vectors that differ from each other by less than one int8 step, so the quantized search
        // cannot tell the nearest apart, and a threshold of 0.9 in the command
        Names n = Names.create("inplacer");
        TestCollections.create(gateway, n.v1, 32, false);
        java.util.SplittableRandom random = new java.util.SplittableRandom(6);
        float[] base = new float[32];
        for (int d = 0; d < base.length; d++) {
            base[d] = (float) (random.nextDouble() * 2 - 1);
        }
        List<io.qdrant.client.grpc.Points.PointStruct> points = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            float[] v = new float[base.length];
            for (int d = 0; d < v.length; d++) {
                v[d] = base[d] + (float) (random.nextDouble() * 1e-3);
            }
            points.add(io.qdrant.client.grpc.Points.PointStruct.newBuilder()
                    .setId(io.qdrant.client.grpc.Common.PointId.newBuilder().setNum(i + 1))
                    .setVectors(io.qdrant.client.VectorsFactory.vectors(v)).build());
        }
        gateway.upsert(n.v1, points);
        pointAlias(n.alias, n.v1);
        io.qdrant.client.grpc.Collections.CollectionConfig before = gateway.collectionInfo(n.v1).getConfig();
        SpecsDirResource.write(n.v2, inPlaceSpec(n, 32, ""));
        String commandId = "c-" + UUID.randomUUID();
        try {
            // when
            send(migrate(commandId, n, 200).replace("}", ",\"inPlace\":true,\"recallThreshold\":0.9}"));
            JsonNode failed = awaitEvent(commandId, "migration-failed", Duration.ofMinutes(1));

            // then: the run failed saying why, v1 has its old params back, the alias did not move
            assertThat(failed.path("reason").asText()).contains("recall@10").contains("below the threshold 0.90")
                    .contains("restored");
            assertThat(failed.path("details").path("verification").path("recall").path("recallAt10").asDouble())
                    .isLessThan(0.9);
            assertThat(failed.path("details").path("inPlaceRestore").path("restored").asBoolean()).isTrue();
            io.qdrant.client.grpc.Collections.CollectionConfig after = gateway.collectionInfo(n.v1).getConfig();
            assertThat(after.getHnswConfig()).isEqualTo(before.getHnswConfig());
            assertThat(after.hasQuantizationConfig() && !after.getQuantizationConfig().hasScalar()
                    || !after.hasQuantizationConfig()).as("quantization off again: %s", after).isTrue();
            assertThat(after.getParams()).isEqualTo(before.getParams());
            assertThat(gateway.aliases()).containsEntry(n.alias, n.v1);
            assertThat(runStore.findByCommand(commandId).orElseThrow().state()).isEqualTo(RunState.FAILED);
            assertThat(typesOf(commandId)).doesNotContain("schema-ready", "migration-completed");
        } finally {
            SpecsDirResource.delete(n.v2);
        }
    }

    @Test
    void anInPlaceRunCancelledWhileTheCollectionIndexesRestoresTheOldParams() {
        // given: a spec that changes HNSW and lowers the indexing threshold so Qdrant indexes these 1,200 points, and
        // a stand-in that keeps the collection yellow after a change until told otherwise
        Names n = Names.create("inplacec");
        TestCollections.create(gateway, n.v1, 32, false);
        TestCollections.seed(gateway, n.v1, 1_200, 32, false, false, 7);
        pointAlias(n.alias, n.v1);
        io.qdrant.client.grpc.Collections.CollectionConfig before = gateway.collectionInfo(n.v1).getConfig();
        SpecsDirResource.write(n.v2, "name: " + n.alias + "\nversion: 2\nvectors: { size: 32, distance: dot }\n"
                + "hnsw: { m: 32, ef_construct: 128 }\noptimizers: { indexing_threshold: 10 }\npayload_indexes: {}\n");
        QdrantStandIn.shared().faults().indexingDelay(Duration.ofMinutes(30));
        String commandId = "c-" + UUID.randomUUID();
        try {
            send(migrate(commandId, n, 200).replace("}", ",\"inPlace\":true}"));
            JsonNode indexing = awaitEvent(commandId, "migration-indexing", Duration.ofMinutes(1));
            assertThat(gateway.collectionInfo(n.v1).getConfig().getHnswConfig().getM()).isEqualTo(32);

            // when
            send("{\"schemaVersion\":1,\"commandId\":\"c-" + UUID.randomUUID() + "\",\"type\":\"run.cancel\","
                    + "\"runId\":\"" + runId(commandId) + "\"}");
            JsonNode cancelled = awaitEvent(commandId, "migration-failed", Duration.ofMinutes(1));

            // then
            assertThat(indexing.path("details").path("readiness").path("status").asText()).isEqualTo("yellow");
            assertThat(cancelled.path("details").path("inPlaceRestore").path("restored").asBoolean()).isTrue();
            io.qdrant.client.grpc.Collections.CollectionConfig after = gateway.collectionInfo(n.v1).getConfig();
            assertThat(after.getHnswConfig()).isEqualTo(before.getHnswConfig());
            assertThat(after.getOptimizerConfig()).isEqualTo(before.getOptimizerConfig());
            assertThat(runStore.findByCommand(commandId).orElseThrow().state()).isEqualTo(RunState.CANCELLED);
            assertThat(gateway.aliases()).containsEntry(n.alias, n.v1);
            assertThat(typesOf(commandId)).doesNotContain("schema-ready", "migration-completed");
        } finally {
            SpecsDirResource.delete(n.v2);
        }
    }

    /** The spec of {@code n.v2}: {@code size}-d Dot, HNSW m 32 / ef_construct 128, int8 quantization. */
    private static String inPlaceSpec(Names n, int size, String extra) {
        return "name: " + n.alias + "\nversion: 2\nvectors: { size: " + size + ", distance: dot }\n"
                + "hnsw: { m: 32, ef_construct: 128 }\n"
                + "quantization:\n  scalar: { type: int8, quantile: 0.99, always_ram: true }\n"
                + "payload_indexes: {}\n" + extra;
    }

    record Names(String v1, String v2, String alias) {
        static Names create(String base) {
            String name = base + "_" + UUID.randomUUID().toString().substring(0, 8);
            return new Names(name + "_v1", name + "_v2", name);
        }
    }

    private static String migrate(String commandId, Names n, int batchSize) {
        return "{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"qdrant.migrate\",\"source\":\""
                + n.v1 + "\",\"target\":\"" + n.v2 + "\"" + (n.alias == null ? "" : ",\"alias\":\"" + n.alias + "\"")
                + ",\"batchSize\":" + batchSize + "}";
    }

    private String runId(String commandId) {
        return runStore.findByCommand(commandId).map(r -> r.id().toString()).orElse("(no run yet)");
    }
}
