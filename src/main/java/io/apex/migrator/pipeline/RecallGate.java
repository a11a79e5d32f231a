package io.apex.migrator.pipeline;

import io.apex.migrator.api.PointRange;
import io.apex.migrator.qdrant.CollectionProvisioner;
import io.apex.migrator.qdrant.CollectionSpec;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.ScrollPage;
import io.apex.migrator.qdrant.StoredVectors;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.QuantizationConfig;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The recall gate of a quantized target: source points, sampled across the planned ranges, are the queries;
 * each is searched on the target twice, with the target's quantized index (the search readers will get) and
 * exactly, the query point itself excluded; recall@10 is the share of the exact top 10 the quantized search
 * also returns, averaged. The cutover needs at least the threshold: the target spec's
 * {@code migration.recall_threshold}, else {@code apex.pipeline.verify.recall-threshold}.
 */
@ApplicationScoped
public class RecallGate {

    static final int K = 10;

    private final QdrantGateway gateway;
    private final CollectionProvisioner provisioner;
    private final PipelineConfig config;

    @Inject
    public RecallGate(QdrantGateway gateway, CollectionProvisioner provisioner, PipelineConfig config) {
        this.gateway = gateway;
        this.provisioner = provisioner;
        this.config = config;
    }

    /**
     * What the gate measured.
     *
     * @param quantizedVectors the target's quantized dense vectors ("" for the unnamed one); empty: not quantized
     */
    public record Result(Set<String> quantizedVectors, int queries, double recall, double threshold) {
        public boolean passed() {
            return quantizedVectors.isEmpty() || recall >= threshold;
        }

        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            if (quantizedVectors.isEmpty()) {
                m.put("checked", false);
                m.put("why", "target not quantized");
                return m;
            }
            m.put("checked", true);
            m.put("vectors", List.copyOf(quantizedVectors));
            m.put("queries", queries);
            m.put("k", K);
            m.put("recallAt10", Math.round(recall * 10_000) / 10_000.0);
            m.put("threshold", threshold);
            m.put("passed", passed());
            return m;
        }
    }

    /** Measures recall@10 of the target against exact search (nothing to measure when it is not quantized). */
    public Result measure(String source, String target, List<PointRange> ranges) {
        Set<String> quantized = quantizedVectors(gateway.collectionInfo(target).getConfig());
        double threshold = provisioner.specs().byCollection(target).map(CollectionSpec::migration)
                .map(CollectionSpec.MigrationSpec::recallThreshold).orElse(config.verify().recallThreshold());
        if (quantized.isEmpty()) {
            return new Result(quantized, 0, 1.0, threshold);
        }
        List<RetrievedPoint> sample = sample(source, ranges, config.verify().recallSample());
        long found = 0;
        long expected = 0;
        int queries = 0;
        for (String name : quantized) {
            for (RetrievedPoint p : sample) {
                StoredVectors.Vector v = StoredVectors.of(p.getVectors()).get(name);
                if (v == null || !v.dense()) {
                    continue;
                }
                Set<PointId> exact = ids(search(target, name, v.values(), p.getId(), true));
                Set<PointId> approximate = ids(search(target, name, v.values(), p.getId(), false));
                approximate.retainAll(exact);
                found += approximate.size();
                expected += exact.size();
                queries++;
            }
        }
        return new Result(quantized, queries, expected == 0 ? 1.0 : found / (double) expected, threshold);
    }

    /** Up to {@code size} source points, taken evenly from the start of the planned ranges. */
    private List<RetrievedPoint> sample(String source, List<PointRange> ranges, int size) {
        List<RetrievedPoint> sample = new ArrayList<>(size);
        if (ranges.isEmpty() || size <= 0) {
            return sample;
        }
        int picks = Math.min(size, ranges.size());
        int perRange = (size + picks - 1) / picks;
        for (int i = 0; i < picks && sample.size() < size; i++) {
            PointRange range = ranges.get((int) ((long) i * ranges.size() / picks));
            ScrollPage page = gateway.scroll(source, range.start().toPointId(), perRange, true, false);
            for (RetrievedPoint p : page.points()) {
                if (sample.size() < size) {
                    sample.add(p);
                }
            }
        }
        return sample;
    }

    private List<ScoredPoint> search(String target, String name, float[] vector, PointId self, boolean exact) {
        DenseVector.Builder dense = DenseVector.newBuilder();
        for (float x : vector) {
            dense.addData(x);
        }
        QueryPoints.Builder request = QueryPoints.newBuilder().setCollectionName(target)
                .setQuery(Query.newBuilder().setNearest(VectorInput.newBuilder().setDense(dense)))
                .setLimit(K)
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

    static Set<String> quantizedVectors(CollectionConfig config) {
        boolean collectionWide = isOn(config.hasQuantizationConfig() ? config.getQuantizationConfig() : null);
        Set<String> names = new TreeSet<>();
        VectorsConfig vectors = config.getParams().getVectorsConfig();
        if (vectors.hasParams()) {
            if (quantized(vectors.getParams(), collectionWide)) {
                names.add("");
            }
        } else if (vectors.hasParamsMap()) {
            vectors.getParamsMap().getMapMap().forEach((name, params) -> {
                if (quantized(params, collectionWide)) {
                    names.add(name);
                }
            });
        }
        return names;
    }

    private static boolean quantized(VectorParams params, boolean collectionWide) {
        return params.hasQuantizationConfig() ? isOn(params.getQuantizationConfig()) : collectionWide;
    }

    private static boolean isOn(QuantizationConfig q) {
        return q != null && (q.hasScalar() || q.hasProduct() || q.hasBinary());
    }
}
