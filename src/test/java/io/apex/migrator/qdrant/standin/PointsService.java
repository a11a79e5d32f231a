package io.apex.migrator.qdrant.standin;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.ClearPayloadPoints;
import io.qdrant.client.grpc.Points.CountPoints;
import io.qdrant.client.grpc.Points.CountResponse;
import io.qdrant.client.grpc.Points.CountResult;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeleteFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeletePayloadPoints;
import io.qdrant.client.grpc.Points.DeletePointVectors;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.GetResponse;
import io.qdrant.client.grpc.Points.PointsOperationResponse;
import io.qdrant.client.grpc.Points.PointsUpdateOperation;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.QueryResponse;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.SearchResponse;
import io.qdrant.client.grpc.Points.SetPayloadPoints;
import io.qdrant.client.grpc.Points.UpdateBatchPoints;
import io.qdrant.client.grpc.Points.UpdateBatchResponse;
import io.qdrant.client.grpc.Points.UpdateMode;
import io.qdrant.client.grpc.Points.UpdatePointVectors;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.PointsGrpc;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Qdrant's Points service over a {@link Catalog}: every point write (upsert, delete, payload and vector writes,
 * update batch; applied by {@link PointWrites}, {@link VectorUpdates} and {@link BatchUpdates}), reads, scroll, count
 * and search.
 */
final class PointsService extends PointsGrpc.PointsImplBase {

    private static final int DEFAULT_LIMIT = 10;

    private final Catalog catalog;
    private final Faults faults;
    private final AtomicLong operationIds = new AtomicLong();
    private final PointWrites writes;
    private final VectorUpdates vectors;
    private final BatchUpdates batch;

    PointsService(Catalog catalog, Faults faults) {
        this.catalog = catalog;
        this.faults = faults;
        this.writes = new PointWrites(faults);
        this.vectors = new VectorUpdates(faults);
        this.batch = new BatchUpdates(writes, vectors);
    }

    @Override
    public void upsert(UpsertPoints request, StreamObserver<PointsOperationResponse> observer) {
        write(request.getCollectionName(), request.getWait(), observer, collection -> writes.upsert(collection,
                request.getPointsList(), request.hasUpdateFilter() ? request.getUpdateFilter() : null,
                request.hasUpdateMode() ? request.getUpdateMode() : UpdateMode.Upsert,
                ShardScope.forWrite(collection, request.hasShardKeySelector(), request.getShardKeySelector())));
    }

    @Override
    public void delete(DeletePoints request, StreamObserver<PointsOperationResponse> observer) {
        write(request.getCollectionName(), request.getWait(), observer,
                collection -> writes.delete(collection, request.getPoints(),
                        ShardScope.forWrite(collection, request.hasShardKeySelector(), request.getShardKeySelector())));
    }

    @Override
    public void setPayload(SetPayloadPoints request, StreamObserver<PointsOperationResponse> observer) {
        write(request.getCollectionName(), request.getWait(), observer, collection -> writes.setPayload(collection,
                request.getPointsSelector(), request.getPayloadMap(), request.hasKey(),
                ShardScope.forWrite(collection, request.hasShardKeySelector(), request.getShardKeySelector())));
    }

    @Override
    public void overwritePayload(SetPayloadPoints request, StreamObserver<PointsOperationResponse> observer) {
        write(request.getCollectionName(), request.getWait(), observer, collection -> writes.overwritePayload(
                collection, request.getPointsSelector(), request.getPayloadMap(),
                ShardScope.forWrite(collection, request.hasShardKeySelector(), request.getShardKeySelector())));
    }

    @Override
    public void deletePayload(DeletePayloadPoints request, StreamObserver<PointsOperationResponse> observer) {
        write(request.getCollectionName(), request.getWait(), observer, collection -> writes.deletePayload(
                collection, request.getPointsSelector(), request.getKeysList(),
                ShardScope.forWrite(collection, request.hasShardKeySelector(), request.getShardKeySelector())));
    }

    @Override
    public void clearPayload(ClearPayloadPoints request, StreamObserver<PointsOperationResponse> observer) {
        write(request.getCollectionName(), request.getWait(), observer,
                collection -> writes.clearPayload(collection, request.getPoints(),
                        ShardScope.forWrite(collection, request.hasShardKeySelector(), request.getShardKeySelector())));
    }

    @Override
    public void updateVectors(UpdatePointVectors request, StreamObserver<PointsOperationResponse> observer) {
        write(request.getCollectionName(), request.getWait(), observer, collection -> vectors.update(collection,
                request.getPointsList(), request.hasUpdateFilter() ? request.getUpdateFilter() : null,
                ShardScope.forWrite(collection, request.hasShardKeySelector(), request.getShardKeySelector())));
    }

    @Override
    public void deleteVectors(DeletePointVectors request, StreamObserver<PointsOperationResponse> observer) {
        write(request.getCollectionName(), request.getWait(), observer, collection -> vectors.delete(collection,
                request.getPointsSelector(), request.getVectors(), request.hasVectors(),
                ShardScope.forWrite(collection, request.hasShardKeySelector(), request.getShardKeySelector())));
    }

    /** Qdrant's update batch: see {@link BatchUpdates}; one result per operation, in order. */
    @Override
    public void updateBatch(UpdateBatchPoints request, StreamObserver<UpdateBatchResponse> observer) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> {
            StoredCollection collection = catalog.resolve(request.getCollectionName());
            UpdateBatchResponse.Builder response = UpdateBatchResponse.newBuilder();
            for (PointsUpdateOperation operation : request.getOperationsList()) {
                response.addResult(applied(request.getWait(), () -> batch.write(collection, operation).run()));
            }
            return response.setTime(Rpc.since(start)).build();
        });
    }

    private void write(String collectionName, boolean wait, StreamObserver<PointsOperationResponse> observer,
            Consumer<StoredCollection> write) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> {
            StoredCollection collection = catalog.resolve(collectionName);
            return PointsOperationResponse.newBuilder().setResult(applied(wait, () -> write.accept(collection)))
                    .setTime(Rpc.since(start)).build();
        });
    }

    /**
     * Runs one write operation. A failure met while applying it reaches only a caller that waits; Qdrant answers
     * {@code Acknowledged} to one that does not before applying (see {@link ApplyFailure}).
     */
    private UpdateResult applied(boolean wait, Runnable write) {
        try {
            write.run();
        } catch (ApplyFailure failure) {
            if (wait) {
                throw failure.status();
            }
        }
        return result(wait);
    }

    @Override
    public void get(GetPoints request, StreamObserver<GetResponse> observer) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> {
            StoredCollection collection = catalog.resolve(request.getCollectionName());
            ShardScope scope = ShardScope.forRead(collection, request.hasShardKeySelector(),
                    request.getShardKeySelector());
            GetResponse.Builder response = GetResponse.newBuilder();
            Set<PointKey> keys = new LinkedHashSet<>();
            for (PointId id : request.getIdsList()) {
                keys.add(PointKey.of(id));
            }
            for (PointKey key : keys) {
                StoredPoint p = collection.points().get(key);
                if (p != null && scope.contains(p)) {
                    response.addResult(PointCodec.toRetrieved(p,
                            request.hasWithPayload() ? request.getWithPayload() : null, true,
                            request.hasWithVectors() ? request.getWithVectors() : null));
                }
            }
            return response.setTime(Rpc.since(start)).build();
        });
    }

    @Override
    public void count(CountPoints request, StreamObserver<CountResponse> observer) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> {
            StoredCollection collection = catalog.resolve(request.getCollectionName());
            ShardScope scope = ShardScope.forRead(collection, request.hasShardKeySelector(),
                    request.getShardKeySelector());
            long count = request.hasFilter() || scope.keys() != null
                    ? collection.points().values().stream().filter(scope::contains)
                            .filter(request.hasFilter() ? PointFilter.of(request.getFilter()) : p -> true).count()
                    : collection.points().size();
            return CountResponse.newBuilder().setResult(CountResult.newBuilder().setCount(count))
                    .setTime(Rpc.since(start)).build();
        });
    }

    @Override
    public void scroll(ScrollPoints request, StreamObserver<ScrollResponse> observer) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> {
            StoredCollection collection = catalog.resolve(request.getCollectionName());
            if (request.hasOrderBy()) {
                throw StandInErrors.unsupported("scroll order_by");
            }
            if (request.hasLimit() && request.getLimit() < 1) {
                throw StandInErrors.invalid("Validation error in body: [limit: value 0 invalid, must be 1 or larger]");
            }
            int limit = request.hasLimit() ? request.getLimit() : DEFAULT_LIMIT;
            ShardScope scope = ShardScope.forRead(collection, request.hasShardKeySelector(),
                    request.getShardKeySelector());
            Predicate<StoredPoint> filter = request.hasFilter()
                    ? PointFilter.of(request.getFilter()).and(scope::contains) : scope::contains;
            Map<PointKey, StoredPoint> from = request.hasOffset()
                    ? collection.points().tailMap(PointKey.of(request.getOffset()), true)
                    : collection.points();
            ScrollResponse.Builder response = ScrollResponse.newBuilder();
            int taken = 0;
            for (StoredPoint p : from.values()) {
                if (!filter.test(p)) {
                    continue;
                }
                if (taken == limit) {
                    response.setNextPageOffset(p.key().toPointId());
                    break;
                }
                Status.Code unreadable = faults.unreadable(collection.name(), p.key());
                if (unreadable != null) {
                    throw Status.fromCode(unreadable).withDescription("injected: point " + p.key() + " of "
                            + collection.name() + " cannot be read").asRuntimeException();
                }
                response.addResult(PointCodec.toRetrieved(p,
                        request.hasWithPayload() ? request.getWithPayload() : null, true,
                        request.hasWithVectors() ? request.getWithVectors() : null));
                taken++;
            }
            return response.setTime(Rpc.since(start)).build();
        });
    }

    @Override
    public void query(QueryPoints request, StreamObserver<QueryResponse> observer) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> {
            StoredCollection collection = catalog.resolve(request.getCollectionName());
            if (request.getPrefetchCount() > 0 || request.hasLookupFrom()) {
                throw StandInErrors.unsupported("prefetch / lookup_from in query");
            }
            if (!request.hasQuery() || !request.getQuery().hasNearest()) {
                throw StandInErrors.unsupported("query variants other than `nearest`");
            }
            ShardScope scope = ShardScope.forRead(collection, request.hasShardKeySelector(),
                    request.getShardKeySelector());
            String using = request.hasUsing() ? request.getUsing() : "";
            refuseMultivector(collection, using);
            var input = request.getQuery().getNearest();
            float[] dense = null;
            StoredPoint.SparseVec sparse = null;
            PointKey exclude = null;
            switch (input.getVariantCase()) {
                case DENSE -> dense = PointCodec.toArray(input.getDense().getDataList());
                case SPARSE -> sparse = PointCodec.sparseOf(input.getSparse());
                case ID -> {
                    exclude = PointKey.of(input.getId());
                    StoredPoint p = collection.points().get(exclude);
                    if (p == null) {
                        throw StandInErrors.invalid("Not found: No point with id " + exclude + " found");
                    }
                    dense = p.dense().containsKey(using) ? PointCodec.toArray(p.values(using)) : null;
                    sparse = dense == null ? p.sparse().get(using) : null;
                    if (dense == null && sparse == null) {
                        throw StandInErrors.invalid("Wrong input: Not existing vector name error: " + using);
                    }
                }
                default -> throw StandInErrors.unsupported("nearest " + input.getVariantCase() + " input");
            }
            collection.quantized().useNoise(faults.quantizationNoise(collection.name()));
            List<VectorSearch.Hit> hits = VectorSearch.search(collection, new VectorSearch.Request(using, dense,
                    sparse, request.hasFilter() ? PointFilter.of(request.getFilter()).and(scope::contains)
                            : scope::contains,
                    request.hasLimit() ? (int) request.getLimit() : DEFAULT_LIMIT,
                    request.hasOffset() ? (int) request.getOffset() : 0, request.getParams(),
                    request.hasScoreThreshold() ? request.getScoreThreshold() : null, exclude));
            QueryResponse.Builder response = QueryResponse.newBuilder();
            hits.forEach(h -> response.addResult(PointCodec.toScored(h.point(), h.score(),
                    request.hasWithPayload() ? request.getWithPayload() : null,
                    request.hasWithVectors() ? request.getWithVectors() : null)));
            return response.setTime(Rpc.since(start)).build();
        });
    }

    @Override
    public void search(SearchPoints request, StreamObserver<SearchResponse> observer) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> {
            StoredCollection collection = catalog.resolve(request.getCollectionName());
            ShardScope scope = ShardScope.forRead(collection, request.hasShardKeySelector(),
                    request.getShardKeySelector());
            refuseMultivector(collection, request.hasVectorName() ? request.getVectorName() : "");
            float[] values = PointCodec.toArray(request.getVectorList());
            StoredPoint.SparseVec sparse = request.hasSparseIndices()
                    ? new StoredPoint.SparseVec(request.getSparseIndices().getDataList().stream()
                            .mapToInt(Integer::intValue).toArray(), values)
                    : null;
            collection.quantized().useNoise(faults.quantizationNoise(collection.name()));
            List<VectorSearch.Hit> hits = VectorSearch.search(collection, new VectorSearch.Request(
                    request.hasVectorName() ? request.getVectorName() : "", sparse == null ? values : null, sparse,
                    request.hasFilter() ? PointFilter.of(request.getFilter()).and(scope::contains)
                            : scope::contains, (int) request.getLimit(),
                    request.hasOffset() ? (int) request.getOffset() : 0, request.getParams(),
                    request.hasScoreThreshold() ? request.getScoreThreshold() : null, null));
            SearchResponse.Builder response = SearchResponse.newBuilder();
            hits.forEach(h -> response.addResult(PointCodec.toScored(h.point(), h.score(),
                    request.hasWithPayload() ? request.getWithPayload() : null,
                    request.hasWithVectors() ? request.getWithVectors() : null)));
            return response.setTime(Rpc.since(start)).build();
        });
    }

    @Override
    public void createFieldIndex(CreateFieldIndexCollection request, StreamObserver<PointsOperationResponse> observer) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> {
            StoredCollection collection = catalog.resolve(request.getCollectionName());
            if (!request.hasFieldType()) {
                throw StandInErrors.invalid("Wrong input: field_type is required to create index on `"
                        + request.getFieldName() + "`");
            }
            collection.createIndex(request.getFieldName(), schemaType(request.getFieldType()));
            return done(request.getWait(), start);
        });
    }

    @Override
    public void deleteFieldIndex(DeleteFieldIndexCollection request, StreamObserver<PointsOperationResponse> observer) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> {
            catalog.resolve(request.getCollectionName()).deleteIndex(request.getFieldName());
            return done(request.getWait(), start);
        });
    }

    /** Search by a multivector (MaxSim over rows) is not modelled. */
    private static void refuseMultivector(StoredCollection collection, String using) {
        var params = collection.denseVectors().get(using);
        if (params != null && params.hasMultivectorConfig()) {
            throw StandInErrors.unsupported("search by the multivector `" + using + "`");
        }
    }

    private static PayloadSchemaType schemaType(io.qdrant.client.grpc.Points.FieldType type) {
        return switch (type) {
            case FieldTypeKeyword -> PayloadSchemaType.Keyword;
            case FieldTypeInteger -> PayloadSchemaType.Integer;
            case FieldTypeFloat -> PayloadSchemaType.Float;
            case FieldTypeGeo -> PayloadSchemaType.Geo;
            case FieldTypeText -> PayloadSchemaType.Text;
            case FieldTypeBool -> PayloadSchemaType.Bool;
            case FieldTypeDatetime -> PayloadSchemaType.Datetime;
            case FieldTypeUuid -> PayloadSchemaType.Uuid;
            case UNRECOGNIZED -> throw StandInErrors.invalid("Wrong input: unknown field type");
        };
    }

    private UpdateResult result(boolean wait) {
        return UpdateResult.newBuilder().setOperationId(operationIds.incrementAndGet())
                .setStatus(wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged).build();
    }

    private PointsOperationResponse done(boolean wait, long start) {
        return PointsOperationResponse.newBuilder().setResult(result(wait)).setTime(Rpc.since(start)).build();
    }
}
