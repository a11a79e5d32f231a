package io.apex.migrator.pipeline;

import io.apex.migrator.api.PointRange;
import io.apex.migrator.qdrant.CollectionProvisioner;
import io.apex.migrator.qdrant.CollectionSpec;
import io.apex.migrator.qdrant.QdrantGateway;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.QuantizationConfig;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
 * {@code migration.recall_threshold}, else {@code apex.pipeline.verify.recall-threshold}. A quantized target is
 * never passed silently: with fewer than two source points there is nothing to compare and the result says it was
 * not measured and why; otherwise a gate that ends up with no query to ask (or no neighbour to find) refuses the
 * cutover, naming the cause.
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
     * @param notMeasured why a quantized target's recall was not measured (its source has too few points to
     *                    compare), else null
     */
    public record Result(Set<String> quantizedVectors, int queries, double recall, double threshold,
            String notMeasured) {

        static Result measured(Set<String> quantizedVectors, int queries, double recall, double threshold) {
            return new Result(quantizedVectors, queries, recall, threshold, null);
        }

        /** Whether recall@10 was measured (only a quantized target's is). */
        public boolean measured() {
            return !quantizedVectors.isEmpty() && notMeasured == null;
        }

        public boolean passed() {
            return !measured() || recall >= threshold;
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
            m.put("measured", measured());
            if (!measured()) {
                m.put("reason", notMeasured);
                m.put("threshold", threshold);
                m.put("passed", passed());
                return m;
            }
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
            return Result.measured(quantized, 0, 1.0, threshold);
        }
        long sourcePoints = gateway.count(source);
        if (sourcePoints < 2) {
            // one point has no neighbour: there is no top 10 to compare, for any quantization
            return new Result(quantized, 0, 1.0, threshold, "not measured: source " + source + " has "
                    + (sourcePoints == 0 ? "no points" : "one point, which has no neighbours"));
        }
        RecallProbe probe = new RecallProbe(gateway);
        List<RetrievedPoint> sample = probe.sample(source, ranges, config.verify().recallSample());
        long found = 0;
        long expected = 0;
        int queries = 0;
        for (String name : quantized) {
            RecallProbe.VectorRecall r = probe.measure(target, name, sample, K);
            found += r.found();
            expected += r.expected();
            queries += r.queries();
        }
        if (queries == 0 || expected == 0) {
            throw new PipelineException.CutoverRefused("recall@10 of the quantized target " + target
                    + " could not be measured although source " + source + " has " + sourcePoints + " points: "
                    + unmeasurable(quantized, sample, queries) + "; the alias is left unchanged");
        }
        return Result.measured(quantized, queries, found / (double) expected, threshold);
    }

    /** Why a non-empty source gave the gate nothing to measure. */
    private String unmeasurable(Set<String> quantized, List<RetrievedPoint> sample, int queries) {
        if (config.verify().recallSample() <= 0) {
            return "apex.pipeline.verify.recall-sample is " + config.verify().recallSample();
        }
        if (sample.isEmpty()) {
            return "no point was sampled from the planned ranges";
        }
        if (queries == 0) {
            return "none of the " + sample.size() + " sampled source points has a dense vector "
                    + quantized.stream().map(n -> n.isEmpty() ? "(unnamed)" : "`" + n + "`").toList()
                    + " to query the target's quantized index with";
        }
        return "the exact searches of " + queries + " queries found no neighbour in the target";
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
