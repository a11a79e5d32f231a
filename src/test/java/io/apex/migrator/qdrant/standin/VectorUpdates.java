package io.apex.migrator.qdrant.standin;

import io.apex.migrator.qdrant.standin.PointCodec.NamedVectors;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.PointVectors;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.VectorsSelector;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Qdrant's writes of some of a point's vectors: update vectors and delete vectors (lib/shard/src/update/vectors.rs). */
final class VectorUpdates {

    private final Faults faults;

    VectorUpdates(Faults faults) {
        this.faults = faults;
    }

    /**
     * Update vectors: each given point gets the given vectors, replacing those of the same name; its other vectors
     * and its payload are kept. Several entries for one id are merged (a later vector of a name wins). With an
     * {@code update_filter}, stored points that do not match it keep their state. An id that is not stored fails
     * the request NOT_FOUND ("No point with id 7 found"), with or without a filter, once the other points of its
     * chunk of 32 are updated (see {@link SelectedPoints}). Every vector is validated before any is stored.
     *
     * @param updateFilter null when the request has none
     */
    void update(StoredCollection collection, List<PointVectors> points, Filter updateFilter, ShardScope scope) {
        double sigma = faults.perturbSigma(collection.name());
        Map<PointKey, NamedVectors> byId = new LinkedHashMap<>();
        for (PointVectors point : points) {
            if (!point.hasId()) {
                throw StandInErrors.invalid("id is expected");
            }
            if (!point.hasVectors()) {
                throw StandInErrors.invalid("vectors is expected");
            }
            NamedVectors given = PointCodec.toStored(PointCodec.given(point.getVectors()), collection, sigma,
                    faults.random());
            byId.merge(PointKey.of(point.getId()), given, VectorUpdates::merge);
        }
        Predicate<StoredPoint> filter = updateFilter == null ? p -> true : PointFilter.of(updateFilter);
        SelectedPoints.changeByIds(collection, List.copyOf(byId.keySet()), scope, p -> {
            if (!filter.test(p)) {
                return p;
            }
            NamedVectors merged = merge(new NamedVectors(p.dense(), p.sparse()), byId.get(p.key()));
            return p.withVectors(merged.dense(), merged.sparse());
        });
    }

    /**
     * Delete vectors: the named vectors are removed from each selected point (names it lacks are ignored); its other
     * vectors and its payload are kept. By ids, a missing id fails NOT_FOUND as in {@link #update}. A name the
     * collection does not configure is INVALID_ARGUMENT.
     */
    void delete(StoredCollection collection, PointsSelector selector, VectorsSelector vectors, boolean hasVectors,
            ShardScope scope) {
        if (!hasVectors) {
            throw StandInErrors.invalid("vectors is expected");
        }
        List<String> names = vectors.getNamesList();
        for (String name : names) {
            if (!collection.denseVectors().containsKey(name) && !collection.sparseVectors().contains(name)) {
                throw StandInErrors.invalid("Wrong input: Not existing vector name error: " + name);
            }
            if (collection.denseVectors().get(name) != null
                    && collection.denseVectors().get(name).hasMultivectorConfig()) {
                throw StandInErrors.unsupported("deleting the multivector `" + name + "`");
            }
        }
        SelectedPoints.change(collection, selector, scope, p -> {
            Map<String, DenseVector> dense = new HashMap<>(p.dense());
            Map<String, StoredPoint.SparseVec> sparse = new HashMap<>(p.sparse());
            names.forEach(dense::remove);
            names.forEach(sparse::remove);
            return p.withVectors(dense, sparse);
        });
    }

    private static NamedVectors merge(NamedVectors base, NamedVectors update) {
        Map<String, DenseVector> dense = new HashMap<>(base.dense());
        Map<String, StoredPoint.SparseVec> sparse = new HashMap<>(base.sparse());
        dense.putAll(update.dense());
        sparse.putAll(update.sparse());
        return new NamedVectors(dense, sparse);
    }
}
