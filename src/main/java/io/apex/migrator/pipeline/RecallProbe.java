package io.apex.migrator.pipeline;

import io.apex.migrator.api.PointRange;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.ScrollPage;
import io.apex.migrator.qdrant.StoredVectors;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.HasIdCondition;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.Query;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchParams;
import io.qdrant.client.grpc.Points.VectorInput;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * recall@k of a collection's default search (its index, quantized or not) against exact search: each sampled point
 * is a query, the point itself excluded; recall is the share of the exact top k the default search also returns,
 * summed over the queries. Shared by the recall gate (before a cutover) and {@code qdrant recall} / the recall
 * watch (after it).
 */
public final class RecallProbe {

    private final QdrantGateway gateway;

    public RecallProbe(QdrantGateway gateway) {
        this.gateway = gateway;
    }

    /** What one vector's queries found: {@code found} of the {@code expected} exact neighbours. */
    public record VectorRecall(String vector, int queries, long found, long expected) {

        /** Found / expected; 1 when the exact searches found no neighbour at all. */
        public double recall() {
            return expected == 0 ? 1.0 : found / (double) expected;
        }
    }

    /** Up to {@code size} points of {@code collection} with their vectors, taken evenly from the start of the ranges. */
    public List<RetrievedPoint> sample(String collection, List<PointRange> ranges, int size) {
        List<RetrievedPoint> sample = new ArrayList<>(size);
        if (ranges.isEmpty() || size <= 0) {
            return sample;
        }
        int picks = Math.min(size, ranges.size());
        int perRange = (size + picks - 1) / picks;
        for (int i = 0; i < picks && sample.size() < size; i++) {
            PointRange range = ranges.get((int) ((long) i * ranges.size() / picks));
            ScrollPage page = gateway.scroll(collection, range.start().toPointId(), perRange, true, false);
            for (RetrievedPoint p : page.points()) {
                if (sample.size() < size) {
                    sample.add(p);
                }
            }
        }
        return sample;
    }

    /**
     * Queries {@code collection}'s dense vector {@code vector} ("" for the unnamed one) with each sampled point that
     * has it; points without it are skipped (not counted as queries).
     */
    public VectorRecall measure(String collection, String vector, List<RetrievedPoint> sample, int k) {
        long found = 0;
        long expected = 0;
        int queries = 0;
        for (RetrievedPoint p : sample) {
            StoredVectors.Vector v = StoredVectors.of(p.getVectors()).get(vector);
            if (v == null || !v.dense()) {
                continue;
            }
            Set<PointId> exact = ids(search(collection, vector, v.values(), p.getId(), k, true));
            Set<PointId> approximate = ids(search(collection, vector, v.values(), p.getId(), k, false));
            approximate.retainAll(exact);
            found += approximate.size();
            expected += exact.size();
            queries++;
        }
        return new VectorRecall(vector, queries, found, expected);
    }

    private List<ScoredPoint> search(String collection, String name, float[] vector, PointId self, int k,
            boolean exact) {
        DenseVector.Builder dense = DenseVector.newBuilder();
        for (float x : vector) {
            dense.addData(x);
        }
        QueryPoints.Builder request = QueryPoints.newBuilder().setCollectionName(collection)
                .setQuery(Query.newBuilder().setNearest(VectorInput.newBuilder().setDense(dense)))
                .setLimit(k)
                .setFilter(Filter.newBuilder().addMustNot(Condition.newBuilder()
                        .setHasId(HasIdCondition.newBuilder().addHasId(self))));
        if (!name.isEmpty()) {
            request.setUsing(name);
        }
        if (exact) {
            request.setParams(SearchParams.newBuilder().setExact(true));
        }
        return gateway.query(request.build());
    }

    private static Set<PointId> ids(List<ScoredPoint> hits) {
        Set<PointId> ids = new HashSet<>();
        hits.forEach(h -> ids.add(h.getId()));
        return ids;
    }
}
