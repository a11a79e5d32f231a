package io.apex.migrator.qdrant.standin;

import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Common.PointId;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Points.CountPoints;
import io.qdrant.client.grpc.Points.CountResponse;
import io.qdrant.client.grpc.Points.CountResult;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeleteFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.GetResponse;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsOperationResponse;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.SetPayloadPoints;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.QueryResponse;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.SearchResponse;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.PointsGrpc;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/** Qdrant's Points service over a {@link Catalog}: writes, reads, scroll, count and search. */
final class PointsService extends PointsGrpc.PointsImplBase {

    private static final int DEFAULT_LIMIT = 10;

    private final Catalog catalog;
    private final Faults faults;
    private final AtomicLong operationIds = new AtomicLong();

    PointsService(Catalog catalog, Faults faults) {
        this.catalog = catalog;
        this.faults = faults;
    }

    @Override
    public void upsert(UpsertPoints request, StreamObserver<PointsOperationResponse> observer) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> {
            if (request.hasUpdateFilter()) {
                throw StandInErrors.unsupported("conditional upsert (update_filter)");
            }
            StoredCollection collection = catalog.resolve(request.getCollectionName());
            double sigma = faults.perturbSigma(collection.name());
            // Validate the whole batch before storing any of it: a bad point fails the request, nothing written.
            List<StoredPoint> points = new ArrayList<>(request.getPointsCount());
            for (PointStruct point : request.getPointsList()) {
                if (faults.corrupts(collection.name(), PointKey.of(point.getId()))) {
                    point = point.toBuilder().putPayload("corrupted",
                            io.qdrant.client.grpc.JsonWithInt.Value.newBuilder().setBoolValue(true).build()).build();
                }
                points.add(PointCodec.toStored(point, collection, sigma, faults.random()));
            }
            points.forEach(collection::put);
            return done(request.getWait(), start);
        });
    }

    @Override
    public void delete(DeletePoints request, StreamObserver<PointsOperationResponse> observer) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> {
            StoredCollection collection = catalog.resolve(request.getCollectionName());
            switch (request.getPoints().getPointsSelectorOneOfCase()) {
                case POINTS -> request.getPoints().getPoints().getIdsList().stream()
                        .map(PointKey::of).toList().forEach(collection::remove);
                case FILTER -> {
                    Predicate<StoredPoint> filter = PointFilter.of(request.getPoints().getFilter());
                    collection.points().values().stream().filter(filter).map(StoredPoint::key).toList()
                            .forEach(collection::remove);
                }
                case POINTSSELECTORONEOF_NOT_SET -> throw StandInErrors.invalid("Wrong input: points selector is not set");
            }
            return done(request.getWait(), start);
        });
    }

    /** Qdrant's set payload: the given keys are added to (or replace those of) each selected point's payload. */
    @Override
    public void setPayload(SetPayloadPoints request, StreamObserver<PointsOperationResponse> observer) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> {
            changePayload(request, false);
            return done(request.getWait(), start);
        });
    }

    /** Qdrant's overwrite payload: each selected point's payload becomes exactly the given one. */
    @Override
    public void overwritePayload(SetPayloadPoints request, StreamObserver<PointsOperationResponse> observer) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> {
            changePayload(request, true);
            return done(request.getWait(), start);
        });
    }

    private void changePayload(SetPayloadPoints request, boolean overwrite) {
        if (request.hasKey()) {
            throw StandInErrors.unsupported("set payload at a nested key");
        }
        StoredCollection collection = catalog.resolve(request.getCollectionName());
        for (StoredPoint p : selected(collection, request.getPointsSelector())) {
            Map<String, io.qdrant.client.grpc.JsonWithInt.Value> payload = overwrite ? new java.util.LinkedHashMap<>()
                    : new java.util.LinkedHashMap<>(p.payload());
            payload.putAll(request.getPayloadMap());
            collection.put(new StoredPoint(p.key(), payload, p.dense(), p.sparse()));
        }
    }

    /** The stored points a selector names (ids that are not stored are skipped, as in Qdrant). */
    private static List<StoredPoint> selected(StoredCollection collection, PointsSelector selector) {
        return switch (selector.getPointsSelectorOneOfCase()) {
            case POINTS -> selector.getPoints().getIdsList().stream().map(PointKey::of)
                    .map(k -> collection.points().get(k)).filter(java.util.Objects::nonNull).toList();
            case FILTER -> collection.points().values().stream().filter(PointFilter.of(selector.getFilter())).toList();
            case POINTSSELECTORONEOF_NOT_SET -> throw StandInErrors.invalid("Wrong input: points selector is not set");
        };
    }

    @Override
    public void get(GetPoints request, StreamObserver<GetResponse> observer) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> {
            StoredCollection collection = catalog.resolve(request.getCollectionName());
            GetResponse.Builder response = GetResponse.newBuilder();
            Set<PointKey> keys = new LinkedHashSet<>();
            for (PointId id : request.getIdsList()) {
                keys.add(PointKey.of(id));
            }
            for (PointKey key : keys) {
                StoredPoint p = collection.points().get(key);
                if (p != null) {
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
            long count = request.hasFilter()
                    ? collection.points().values().stream().filter(PointFilter.of(request.getFilter())).count()
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
            Predicate<StoredPoint> filter = request.hasFilter() ? PointFilter.of(request.getFilter()) : p -> true;
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
            String using = request.hasUsing() ? request.getUsing() : "";
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
                    sparse, request.hasFilter() ? PointFilter.of(request.getFilter()) : p -> true,
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
            float[] values = PointCodec.toArray(request.getVectorList());
            StoredPoint.SparseVec sparse = request.hasSparseIndices()
                    ? new StoredPoint.SparseVec(request.getSparseIndices().getDataList().stream()
                            .mapToInt(Integer::intValue).toArray(), values)
                    : null;
            collection.quantized().useNoise(faults.quantizationNoise(collection.name()));
            List<VectorSearch.Hit> hits = VectorSearch.search(collection, new VectorSearch.Request(
                    request.hasVectorName() ? request.getVectorName() : "", sparse == null ? values : null, sparse,
                    request.hasFilter() ? PointFilter.of(request.getFilter()) : p -> true, (int) request.getLimit(),
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

    private PointsOperationResponse done(boolean wait, long start) {
        return PointsOperationResponse.newBuilder()
                .setResult(UpdateResult.newBuilder().setOperationId(operationIds.incrementAndGet())
                        .setStatus(wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged))
                .setTime(Rpc.since(start)).build();
    }
}
