package io.apex.migrator.qdrant.standin;

import io.qdrant.client.grpc.Points.PointsSelector;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Applies a change to the points a selector names, as Qdrant's by-id and by-filter point writes do (set, overwrite,
 * delete and clear payload, update and delete vectors; lib/shard/src/update/payload.rs and vectors.rs).
 *
 * <p>By ids, Qdrant works through the ids in chunks of 32: it changes the stored points of a chunk, then fails with
 * NOT_FOUND ("No point with id 7 found", check_unprocessed_points) if any id of that chunk is not stored; points
 * changed before the failure stay changed and later chunks are not touched. By filter, only stored points match, so
 * nothing is missing. Each point changes atomically; a point that stopped matching the filter between the scan and
 * its change is left as it is.
 */
final class SelectedPoints {

    /** Qdrant's PAYLOAD_OP_BATCH_SIZE and VECTOR_OP_BATCH_SIZE. */
    static final int CHUNK = 32;

    private SelectedPoints() {
    }

    /** Changes the selected points within {@code scope}: a point stored under another shard key is not there. */
    static void change(StoredCollection collection, PointsSelector selector, ShardScope scope,
            UnaryOperator<StoredPoint> change) {
        switch (selector.getPointsSelectorOneOfCase()) {
            case POINTS -> changeByIds(collection,
                    selector.getPoints().getIdsList().stream().map(PointKey::of).toList(), scope, change);
            case FILTER -> changeByFilter(collection, PointFilter.of(selector.getFilter()).and(scope::contains),
                    change);
            case POINTSSELECTORONEOF_NOT_SET -> throw notSet();
        }
    }

    static void changeByIds(StoredCollection collection, List<PointKey> keys, ShardScope scope,
            UnaryOperator<StoredPoint> change) {
        for (int from = 0; from < keys.size(); from += CHUNK) {
            PointKey missing = null;
            for (PointKey key : keys.subList(from, Math.min(keys.size(), from + CHUNK))) {
                StoredPoint stored = collection.points().get(key);
                boolean inScope = stored != null && scope.contains(stored);
                if ((!inScope || !collection.update(key, change)) && missing == null) {
                    missing = key;
                }
            }
            if (missing != null) {
                throw new ApplyFailure(StandInErrors.pointNotFound(missing));
            }
        }
    }

    static void changeByFilter(StoredCollection collection, Predicate<StoredPoint> filter,
            UnaryOperator<StoredPoint> change) {
        List<PointKey> matching = matching(collection, filter);
        for (PointKey key : matching) {
            collection.update(key, p -> filter.test(p) ? change.apply(p) : p);
        }
    }

    static List<PointKey> matching(StoredCollection collection, Predicate<StoredPoint> filter) {
        return collection.points().values().stream().filter(filter).map(StoredPoint::key).toList();
    }

    static RuntimeException notSet() {
        return StandInErrors.invalid("Wrong input: points selector is not set");
    }
}
