package io.apex.migrator.qdrant.standin;

import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.UpdateMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Qdrant's point and payload writes on one collection: upsert (with its update modes and update filter), delete,
 * and set / overwrite / delete / clear payload. Validation errors are thrown before anything is stored; failures
 * Qdrant only meets while applying (a missing point id) are {@link ApplyFailure}s.
 */
final class PointWrites {

    private final Faults faults;

    PointWrites(Faults faults) {
        this.faults = faults;
    }

    /**
     * Qdrant's upsert (src/common/update.rs do_upsert_points, lib/shard/src/update/points/upsert.rs
     * retain_conditional_upsert_points): the whole batch is validated before any point is stored, then each point,
     * by mode:
     * <ul>
     * <li>{@code Upsert} (the default, and any unknown value): new points are inserted; an existing point is replaced
     * whole, or, with an {@code update_filter}, only if it matches the filter (else it keeps its state).</li>
     * <li>{@code InsertOnly}: new points are inserted; existing points keep their state. The filter is not used.</li>
     * <li>{@code UpdateOnly}: existing points (matching the filter, if one is given) are replaced; ids that are not
     * stored are skipped, without an error.</li>
     * </ul>
     * A point given twice counts once, its last version, as in Qdrant (which keys the batch by id). Each point's
     * check and write are one atomic step, so an insert-only copy never overwrites a concurrent newer write.
     *
     * @param updateFilter null when the request has none
     */
    void upsert(StoredCollection collection, List<PointStruct> points, Filter updateFilter, UpdateMode mode,
            ShardScope scope) {
        io.qdrant.client.grpc.Collections.ShardKey shardKey = scope.upsertKey();
        double sigma = faults.perturbSigma(collection.name());
        Map<PointKey, StoredPoint> byId = new LinkedHashMap<>();
        for (PointStruct point : points) {
            if (point.hasId() && faults.corrupts(collection.name(), PointKey.of(point.getId()))) {
                point = point.toBuilder().putPayload("corrupted", Value.newBuilder().setBoolValue(true).build())
                        .build();
            }
            StoredPoint stored = PointCodec.toStored(point, collection, sigma, faults.random(), shardKey);
            byId.remove(stored.key());
            byId.put(stored.key(), stored);
        }
        if (mode != UpdateMode.UpdateOnly) {
            for (PointKey key : byId.keySet()) {
                StoredPoint old = collection.points().get(key);
                if (old != null && !scope.contains(old)) {
                    throw StandInErrors.unsupported("one point id under two shard keys (point " + key
                            + " is stored under " + ShardScope.text(old.shardKey()) + ")");
                }
            }
        }
        Predicate<StoredPoint> filter = updateFilter == null ? p -> true : PointFilter.of(updateFilter);
        switch (mode) {
            case InsertOnly -> byId.values().forEach(collection::putIfAbsent);
            case UpdateOnly -> byId.values().forEach(p -> collection.update(p.key(),
                    old -> scope.contains(old) && filter.test(old) ? p : old));
            case Upsert, UNRECOGNIZED -> {
                if (updateFilter == null) {
                    byId.values().forEach(collection::put);
                } else {
                    byId.values().forEach(p -> collection.putUnless(p, filter));
                }
            }
        }
    }

    /** Qdrant's delete: ids that are not stored are skipped without an error (delete_points checks none). */
    void delete(StoredCollection collection, PointsSelector selector, ShardScope scope) {
        switch (selector.getPointsSelectorOneOfCase()) {
            case POINTS -> selector.getPoints().getIdsList().stream().map(PointKey::of).toList().forEach(key -> {
                StoredPoint stored = collection.points().get(key);
                if (stored != null && scope.contains(stored)) {
                    collection.remove(key);
                }
            });
            case FILTER -> SelectedPoints.matching(collection,
                    PointFilter.of(selector.getFilter()).and(scope::contains)).forEach(collection::remove);
            case POINTSSELECTORONEOF_NOT_SET -> throw SelectedPoints.notSet();
        }
    }

    /** Set payload: the given keys are added to (or replace those of) each selected point's payload. */
    void setPayload(StoredCollection collection, PointsSelector selector, Map<String, Value> payload,
            boolean nestedKey, ShardScope scope) {
        if (nestedKey) {
            throw StandInErrors.unsupported("set payload at a nested key");
        }
        SelectedPoints.change(collection, selector, scope, p -> {
            Map<String, Value> merged = new LinkedHashMap<>(p.payload());
            merged.putAll(payload);
            return p.withPayload(merged);
        });
    }

    /** Overwrite payload: each selected point's payload becomes exactly the given one. */
    void overwritePayload(StoredCollection collection, PointsSelector selector, Map<String, Value> payload,
            ShardScope scope) {
        SelectedPoints.change(collection, selector, scope, p -> p.withPayload(payload));
    }

    /**
     * Delete payload: the given top-level keys are removed from each selected point's payload (keys it lacks are
     * ignored). Qdrant also takes nested paths ({@code a.b}, {@code a[].b}); the stand-in refuses them.
     */
    void deletePayload(StoredCollection collection, PointsSelector selector, List<String> keys, ShardScope scope) {
        for (String key : keys) {
            if (key.contains(".") || key.contains("[")) {
                throw StandInErrors.unsupported("delete payload at a nested path (" + key + ")");
            }
        }
        SelectedPoints.change(collection, selector, scope, p -> {
            Map<String, Value> kept = new LinkedHashMap<>(p.payload());
            keys.forEach(kept::remove);
            return p.withPayload(kept);
        });
    }

    /** Clear payload: each selected point's payload becomes empty; its vectors stay. */
    void clearPayload(StoredCollection collection, PointsSelector selector, ShardScope scope) {
        SelectedPoints.change(collection, selector, scope, p -> p.withPayload(Map.of()));
    }
}
