package io.apex.migrator.qdrant;

import com.google.common.util.concurrent.ListenableFuture;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.CollectionsGrpc;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.PointsGrpc;
import io.qdrant.client.grpc.SnapshotsGrpc;
import io.qdrant.client.grpc.SnapshotsService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The one place that talks to Qdrant (gRPC, {@code io.qdrant:client}). Every call has a deadline
 * ({@link QdrantSettings#timeout()}), transient failures are retried with exponential backoff and jitter
 * (Failsafe), and failures surface as {@link QdrantException} subtypes naming the collection and the operation.
 * Thread-safe; one instance per Qdrant endpoint.
 */
public final class QdrantGateway implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(QdrantGateway.class);
    private static final long SNAPSHOT_TIMEOUT_MILLIS = TimeUnit.MINUTES.toMillis(30);

    private final QdrantSettings settings;
    private final QdrantGrpcClient client;
    private final FailsafeExecutor<Object> retries;
    private final int upsertLimitBytes;

    private QdrantGateway(QdrantSettings settings, QdrantGrpcClient client, int upsertLimitBytes) {
        this.settings = settings;
        this.client = client;
        this.retries = Failsafe.with(Retries.policy(settings.retry(), settings.endpoint()));
        this.upsertLimitBytes = upsertLimitBytes;
    }

    /** Opens a (lazily connecting) channel to Qdrant as {@code settings} describe. */
    public static QdrantGateway connect(QdrantSettings settings) {
        return connect(settings, UpsertBatches.DEFAULT_LIMIT_BYTES);
    }

    static QdrantGateway connect(QdrantSettings settings, int upsertLimitBytes) {
        ManagedChannel channel = QdrantChannels.open(settings);
        // No version check: it costs a call per start and the stand-in or a proxy may not answer it.
        QdrantGrpcClient.Builder client = QdrantGrpcClient.newBuilder(channel, true, false);
        settings.apiKey().ifPresent(client::withApiKey);
        return new QdrantGateway(settings, client.build(), upsertLimitBytes);
    }

    /** The settings this gateway was opened with (the API key stays masked in their toString). */
    public QdrantSettings settings() {
        return settings;
    }

    /** Whether a collection of this exact name exists (an alias of that name does not count). */
    public boolean collectionExists(String collection) {
        try {
            collectionInfo(collection);
            return true;
        } catch (CollectionNotFoundException e) {
            return false;
        }
    }

    /** The collection's config, status, point count and payload indexes. */
    public Collections.CollectionInfo collectionInfo(String collection) {
        return call(collection, "collectionInfo", () -> collections().get(
                Collections.GetCollectionInfoRequest.newBuilder().setCollectionName(collection).build()))
                .getResult();
    }

    /** Creates a collection; {@link CollectionAlreadyExistsException} if one of that name exists. */
    public void createCollection(Collections.CreateCollection request) {
        String collection = request.getCollectionName();
        checkResult(collection, "createCollection",
                call(collection, "createCollection", () -> collections().create(request)).getResult());
    }

    /** Deletes a collection and its points. */
    public void deleteCollection(String collection) {
        checkResult(collection, "deleteCollection", call(collection, "deleteCollection", () -> collections().delete(
                Collections.DeleteCollection.newBuilder().setCollectionName(collection).build())).getResult());
    }

    /** Creates a payload index and waits for it (idempotent in Qdrant for the same field and type). */
    public void createPayloadIndex(String collection, String field, Collections.PayloadSchemaType type) {
        Points.CreateFieldIndexCollection request = Points.CreateFieldIndexCollection.newBuilder()
                .setCollectionName(collection).setFieldName(field).setFieldType(fieldType(type)).setWait(true).build();
        checkUpdate(collection, "createPayloadIndex " + field,
                call(collection, "createPayloadIndex " + field, () -> points().createFieldIndex(request)).getResult());
    }

    /** The exact number of points. */
    public long count(String collection) {
        return call(collection, "count", () -> points().count(Points.CountPoints.newBuilder()
                .setCollectionName(collection).setExact(true).setReadConsistency(settings.consistency().read())
                .build())).getResult().getCount();
    }

    /**
     * The collection's shard keys in {@link ShardKeys#ORDER}; empty for a collection of the auto sharding method,
     * whose points a read or write reaches without naming a key.
     */
    public List<Collections.ShardKey> shardKeys(String collection) {
        List<Collections.ShardKeyDescription> listed;
        try {
            listed = call(collection, "listShardKeys", () -> collections().listShardKeys(
                    Collections.ListShardKeysRequest.newBuilder().setCollectionName(collection).build()))
                    .getShardKeysList();
        } catch (QdrantRequestException e) {
            if (e.code() != Status.Code.UNIMPLEMENTED) {
                throw e;
            }
            // a server older than ListShardKeys (Qdrant 1.17): the keys of the collection's shards in its cluster info
            if (collectionInfo(collection).getConfig().getParams().getShardingMethod()
                    != Collections.ShardingMethod.Custom) {
                return List.of();
            }
            Collections.CollectionClusterInfoResponse cluster = call(collection, "collectionClusterInfo",
                    () -> collections().collectionClusterInfo(Collections.CollectionClusterInfoRequest.newBuilder()
                            .setCollectionName(collection).build()));
            java.util.Set<Collections.ShardKey> keys = new java.util.HashSet<>();
            cluster.getLocalShardsList().stream().filter(Collections.LocalShardInfo::hasShardKey)
                    .forEach(sh -> keys.add(sh.getShardKey()));
            cluster.getRemoteShardsList().stream().filter(Collections.RemoteShardInfo::hasShardKey)
                    .forEach(sh -> keys.add(sh.getShardKey()));
            return keys.stream().sorted(ShardKeys.ORDER).toList();
        }
        return listed.stream().map(Collections.ShardKeyDescription::getKey).sorted(ShardKeys.ORDER).toList();
    }

    /** One page of points in Qdrant's id order ({@link PointIdOrder}), starting at {@code offsetOrNull} inclusive. */
    public ScrollPage scroll(String collection, Common.PointId offsetOrNull, int limit, boolean withVectors,
            boolean withPayload) {
        return scroll(collection, offsetOrNull, limit, withVectors, withPayload, null);
    }

    /** {@link #scroll(String, Common.PointId, int, boolean, boolean)} of the points matching {@code filterOrNull}. */
    public ScrollPage scroll(String collection, Common.PointId offsetOrNull, int limit, boolean withVectors,
            boolean withPayload, Common.Filter filterOrNull) {
        Points.ScrollPoints request = scrollRequest(collection, offsetOrNull, limit, withVectors, withPayload,
                filterOrNull);
        Points.ScrollResponse response = call(collection, "scroll", () -> points().scroll(request));
        return new ScrollPage(response.getResultList(),
                response.hasNextPageOffset() ? Optional.of(response.getNextPageOffset()) : Optional.empty());
    }

    /**
     * Upserts and waits until applied. Splits the points into requests under the gRPC message limit; each request
     * is retried on its own, which is safe because an upsert of the same ids is idempotent.
     */
    public void upsert(String collection, List<Points.PointStruct> points) {
        if (points.isEmpty()) {
            return;
        }
        List<List<Points.PointStruct>> slices = UpsertBatches.split(collection, points, upsertLimitBytes);
        if (slices.size() > 1) {
            LOGGER.debugf("upsert of %s points into %s split into %s requests", (Object) points.size(), collection,
                    slices.size());
        }
        for (List<Points.PointStruct> slice : slices) {
            Points.UpsertPoints request = Points.UpsertPoints.newBuilder().setCollectionName(collection)
                    .setWait(true).addAllPoints(slice).setOrdering(settings.consistency().write()).build();
            checkUpdate(collection, "upsert", call(collection, "upsert", () -> points().upsert(request)).getResult());
        }
    }

    /**
     * {@link #scroll} with vectors and payload, the points left encoded for {@link #upsertWire}: the copy path's read,
     * which decodes ids only.
     */
    public WireScrollPage scrollWire(String collection, Common.PointId offsetOrNull, int limit) {
        return scrollWire(collection, offsetOrNull, limit, null);
    }

    /** {@link #scrollWire(String, Common.PointId, int)} of the points matching {@code filterOrNull}. */
    public WireScrollPage scrollWire(String collection, Common.PointId offsetOrNull, int limit,
            Common.Filter filterOrNull) {
        return scrollWire(collection, offsetOrNull, limit, filterOrNull, null);
    }

    /**
     * {@link #scrollWire(String, Common.PointId, int, Common.Filter)} of the points stored under {@code shardKeyOrNull}
     * (null: every shard; Qdrant then returns a point id held under two keys once).
     */
    public WireScrollPage scrollWire(String collection, Common.PointId offsetOrNull, int limit,
            Common.Filter filterOrNull, Collections.ShardKey shardKeyOrNull) {
        Points.ScrollPoints.Builder request = scrollRequest(collection, offsetOrNull, limit, true, true, filterOrNull)
                .toBuilder();
        if (shardKeyOrNull != null) {
            request.setShardKeySelector(ShardKeys.selector(shardKeyOrNull));
        }
        Points.ScrollPoints built = request.build();
        return call(collection, "scroll", () -> wire(WireCalls.SCROLL, built));
    }

    /** The points of these ids that the collection has, with vectors and payload. */
    public List<Points.RetrievedPoint> get(String collection, List<Common.PointId> ids) {
        Points.GetPoints request = Points.GetPoints.newBuilder().setCollectionName(collection).addAllIds(ids)
                .setWithVectors(Points.WithVectorsSelector.newBuilder().setEnable(true))
                .setWithPayload(Points.WithPayloadSelector.newBuilder().setEnable(true))
                .setReadConsistency(settings.consistency().read()).build();
        return call(collection, "get", () -> points().get(request)).getResultList();
    }

    /** The points of these ids that the collection has, with vectors and payload, left encoded like {@link #scrollWire}. */
    public WireScrollPage getWire(String collection, List<Common.PointId> ids) {
        Points.GetPoints request = Points.GetPoints.newBuilder().setCollectionName(collection).addAllIds(ids)
                .setWithVectors(Points.WithVectorsSelector.newBuilder().setEnable(true))
                .setWithPayload(Points.WithPayloadSelector.newBuilder().setEnable(true))
                .setReadConsistency(settings.consistency().read()).build();
        return call(collection, "get", () -> wire(WireCalls.GET, request));
    }

    /**
     * Upserts points read by {@link #scrollWire} (same ids, vectors and payload, re-labelled at the wire level by
     * {@link PointTranscoder}) and waits until applied; split under the message limit like {@link #upsert}.
     */
    public void upsertWire(String collection, List<WirePoint> points) {
        upsertWire(collection, points, false);
    }

    /**
     * {@link #upsertWire(String, List)} with Qdrant's {@code update_mode: insert_only} when {@code insertOnly}: points
     * the collection already has keep their state (a backfill never overwrites what the capture stream wrote).
     */
    public void upsertWire(String collection, List<WirePoint> points, boolean insertOnly) {
        // a point read from a custom-sharded collection carries its shard key: it is written under the same key
        Map<Collections.ShardKey, List<Outgoing>> byShardKey = new LinkedHashMap<>();
        points.forEach(p -> byShardKey.computeIfAbsent(p.shardKey(), k -> new ArrayList<>())
                .add(new Outgoing(p.id(), PointTranscoder.toPointStruct(p))));
        byShardKey.forEach((shardKey, outgoing) -> {
            for (List<Outgoing> slice : UpsertBatches.split(collection, outgoing, upsertLimitBytes,
                    o -> o.encoded().length(), Outgoing::id)) {
                upsertEncoded(collection, slice.stream().map(Outgoing::encoded).toList(), insertOnly, shardKey);
            }
        });
    }

    /** A point re-encoded for upsert, with its id for error messages. */
    private record Outgoing(Common.PointId id, PointTranscoder.Encoded encoded) {
    }

    private void upsertEncoded(String collection, List<PointTranscoder.Encoded> points, boolean insertOnly,
            Collections.ShardKey shardKeyOrNull) {
        WireCalls.Upsert request = new WireCalls.Upsert(collection, points, insertOnly,
                settings.consistency().write(), shardKeyOrNull == null ? null : ShardKeys.selector(shardKeyOrNull));
        checkUpdate(collection, "upsert", call(collection, "upsert", () -> wire(WireCalls.UPSERT, request)).getResult());
    }

    private Points.ScrollPoints scrollRequest(String collection, Common.PointId offsetOrNull, int limit,
            boolean withVectors, boolean withPayload, Common.Filter filterOrNull) {
        if (limit < 1) {
            throw new IllegalArgumentException("scroll limit must be >= 1, got " + limit);
        }
        Points.ScrollPoints.Builder request = Points.ScrollPoints.newBuilder().setCollectionName(collection)
                .setLimit(limit)
                .setWithVectors(Points.WithVectorsSelector.newBuilder().setEnable(withVectors))
                .setWithPayload(Points.WithPayloadSelector.newBuilder().setEnable(withPayload))
                .setReadConsistency(settings.consistency().read());
        if (offsetOrNull != null) {
            request.setOffset(offsetOrNull);
        }
        if (filterOrNull != null) {
            request.setFilter(filterOrNull);
        }
        return request.build();
    }

    /** A call of {@code method} with the typed stub's channel, deadline and credentials (API key). */
    private <Q, R> ListenableFuture<R> wire(io.grpc.MethodDescriptor<Q, R> method, Q request) {
        PointsGrpc.PointsFutureStub stub = points();
        return io.grpc.stub.ClientCalls.futureUnaryCall(stub.getChannel().newCall(method, stub.getCallOptions()),
                request);
    }

    /**
     * Sends a unary request already encoded for {@code fullMethodName} (e.g. a captured {@code qdrant.Points/Upsert})
     * with this gateway's deadline, API key, retries and error mapping; returns the encoded answer.
     */
    public byte[] callEncoded(String collection, String fullMethodName, byte[] request) {
        io.grpc.MethodDescriptor<byte[], byte[]> method = RawBytes.method(fullMethodName,
                io.grpc.MethodDescriptor.MethodType.UNARY);
        return call(collection, method.getBareMethodName(), () -> wire(method, request));
    }

    /** Deletes points by id and waits until applied (deleting a missing id is not an error in Qdrant). */
    public void delete(String collection, List<Common.PointId> ids) {
        if (ids.isEmpty()) {
            return;
        }
        Points.DeletePoints.Builder request = Points.DeletePoints.newBuilder().setCollectionName(collection)
                .setWait(true).setOrdering(settings.consistency().write())
                .setPoints(Points.PointsSelector.newBuilder().setPoints(Points.PointsIdsList.newBuilder()
                        .addAllIds(ids)));
        // a custom-sharded collection takes a delete only with shard keys: every key, so the ids go wherever they are
        List<Collections.ShardKey> keys = shardKeys(collection);
        if (!keys.isEmpty()) {
            request.setShardKeySelector(Points.ShardKeySelector.newBuilder().addAllShardKeys(keys));
        }
        Points.DeletePoints built = request.build();
        checkUpdate(collection, "delete", call(collection, "delete", () -> points().delete(built)).getResult());
    }

    /** All aliases: alias name to collection name. */
    public Map<String, String> aliases() {
        Collections.ListAliasesResponse response = call(null, "listAliases",
                () -> collections().listAliases(Collections.ListAliasesRequest.getDefaultInstance()));
        Map<String, String> aliases = new LinkedHashMap<>();
        response.getAliasesList().forEach(a -> aliases.put(a.getAliasName(), a.getCollectionName()));
        return aliases;
    }

    /** Applies all alias actions in ONE request, which Qdrant applies atomically. */
    public void updateAliases(List<Collections.AliasOperations> actions) {
        if (actions.isEmpty()) {
            return;
        }
        String subject = aliasSubject(actions);
        checkResult(subject, "updateAliases", call(subject, "updateAliases", () -> collections().updateAliases(
                Collections.ChangeAliases.newBuilder().addAllActions(actions).build())).getResult());
    }

    /** Takes a snapshot of {@code collection} on the server and waits until it is written. */
    public CollectionSnapshot createSnapshot(String collection) {
        SnapshotsService.CreateSnapshotResponse response = call(collection, "createSnapshot", () -> snapshots().create(
                SnapshotsService.CreateSnapshotRequest.newBuilder().setCollectionName(collection).build()));
        return snapshot(collection, response.getSnapshotDescription());
    }

    /** The snapshots Qdrant lists for {@code collection} (NOT_FOUND once the collection is gone, as in Qdrant). */
    public List<CollectionSnapshot> listSnapshots(String collection) {
        SnapshotsService.ListSnapshotsResponse response = call(collection, "listSnapshots", () -> snapshots().list(
                SnapshotsService.ListSnapshotsRequest.newBuilder().setCollectionName(collection).build()));
        return response.getSnapshotDescriptionsList().stream().map(d -> snapshot(collection, d)).toList();
    }

    /** Deletes the snapshot file {@code name} of {@code collection} on the server. */
    public void deleteSnapshot(String collection, String name) {
        call(collection, "deleteSnapshot", () -> snapshots().delete(SnapshotsService.DeleteSnapshotRequest.newBuilder()
                .setCollectionName(collection).setSnapshotName(name).build()));
    }

    private static CollectionSnapshot snapshot(String collection, SnapshotsService.SnapshotDescription d) {
        return new CollectionSnapshot(collection, d.getName(), d.hasCreationTime()
                ? java.time.Instant.ofEpochSecond(d.getCreationTime().getSeconds(), d.getCreationTime().getNanos()).toString()
                : null, d.getSize(), d.hasChecksum() ? d.getChecksum() : null);
    }

    /** Runs a query (search); exact or quantized search is chosen by the request's search params. */
    public List<Points.ScoredPoint> query(Points.QueryPoints request) {
        Points.QueryPoints consistent = request.hasReadConsistency() ? request
                : request.toBuilder().setReadConsistency(settings.consistency().read()).build();
        return call(request.getCollectionName(), "query", () -> points().query(consistent)).getResultList();
    }

    /** Changes a collection's mutable parameters (HNSW, optimizers, quantization). */
    public void updateCollection(Collections.UpdateCollection request) {
        String collection = request.getCollectionName();
        checkResult(collection, "updateCollection",
                call(collection, "updateCollection", () -> collections().update(request)).getResult());
    }

    /** Creates a shard key of a custom-sharded collection. */
    public void createShardKey(Collections.CreateShardKeyRequest request) {
        String collection = request.getCollectionName();
        checkResult(collection, "createShardKey",
                call(collection, "createShardKey", () -> collections().createShardKey(request)).getResult());
    }

    /**
     * Qdrant's own health check, once and without retries, within {@code timeout} (for readiness probes, which
     * must answer quickly); returns the server's version.
     */
    public String healthCheck(java.time.Duration timeout) {
        return await(null, "healthCheck", client.qdrant().withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .healthCheck(io.qdrant.client.grpc.QdrantOuterClass.HealthCheckRequest.getDefaultInstance())).getVersion();
    }

    @Override
    public void close() {
        client.close();
    }

    private CollectionsGrpc.CollectionsFutureStub collections() {
        return client.collections().withDeadlineAfter(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private SnapshotsGrpc.SnapshotsFutureStub snapshots() {
        // a snapshot writes the whole collection to disk: its deadline is the snapshot timeout, not the call timeout
        return client.snapshots().withDeadlineAfter(Math.max(settings.timeout().toMillis(), SNAPSHOT_TIMEOUT_MILLIS),
                TimeUnit.MILLISECONDS);
    }

    private PointsGrpc.PointsFutureStub points() {
        return client.points().withDeadlineAfter(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One RPC with deadline, retries and error mapping. */
    private <T> T call(String collection, String operation, Supplier<ListenableFuture<T>> rpc) {
        @SuppressWarnings("unchecked")
        T result = (T) retries.get(() -> await(collection, operation, rpc.get()));
        return result;
    }

    private <T> T await(String collection, String operation, ListenableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new QdrantRequestException(collection, operation, Status.Code.CANCELLED, "interrupted", e);
        } catch (ExecutionException | RuntimeException e) {
            throw GrpcErrors.map(e, collection, operation, settings.endpoint());
        }
    }

    private static void checkResult(String collection, String operation, boolean result) {
        if (!result) {
            throw new QdrantRequestException(collection, operation, Status.Code.UNKNOWN,
                    "Qdrant answered result=false", null);
        }
    }

    private static void checkUpdate(String collection, String operation, Points.UpdateResult result) {
        if (result.getStatus() != Points.UpdateStatus.Completed && result.getStatus() != Points.UpdateStatus.Acknowledged) {
            throw new QdrantRequestException(collection, operation, Status.Code.UNKNOWN,
                    "update status " + result.getStatus() + " (operation " + result.getOperationId() + ")", null);
        }
    }

    private static String aliasSubject(List<Collections.AliasOperations> actions) {
        return actions.stream().map(a -> switch (a.getActionCase()) {
            case CREATE_ALIAS -> a.getCreateAlias().getAliasName() + " -> " + a.getCreateAlias().getCollectionName();
            case RENAME_ALIAS -> a.getRenameAlias().getOldAliasName() + " -> " + a.getRenameAlias().getNewAliasName();
            case DELETE_ALIAS -> "delete " + a.getDeleteAlias().getAliasName();
            default -> "?";
        }).reduce((x, y) -> x + ", " + y).orElse("?");
    }

    private static Points.FieldType fieldType(Collections.PayloadSchemaType type) {
        return switch (type) {
            case Keyword -> Points.FieldType.FieldTypeKeyword;
            case Integer -> Points.FieldType.FieldTypeInteger;
            case Float -> Points.FieldType.FieldTypeFloat;
            case Geo -> Points.FieldType.FieldTypeGeo;
            case Text -> Points.FieldType.FieldTypeText;
            case Bool -> Points.FieldType.FieldTypeBool;
            case Datetime -> Points.FieldType.FieldTypeDatetime;
            case Uuid -> Points.FieldType.FieldTypeUuid;
            default -> throw new IllegalArgumentException("no payload index type " + type);
        };
    }
}
