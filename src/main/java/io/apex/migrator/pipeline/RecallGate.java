package io.apex.migrator.pipeline;

import io.apex.migrator.api.PointRange;
import io.apex.migrator.qdrant.CollectionProvisioner;
import io.apex.migrator.qdrant.CollectionSpec;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.StoredVectors;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.QuantizationConfig;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The recall gate of a quantized target: source points, sampled across the planned ranges, are the queries;
 * each is searched on the target twice, with the target's quantized index (the search readers will get) and
 * exactly, the query point itself excluded; recall@10 is the share of the exact top 10 the quantized search
 * also returns, per quantized vector. The cutover needs every vector at the threshold or above: the command's
 * {@code recallThreshold}, else the target spec's {@code migration.recall_threshold}, else
 * {@code apex.pipeline.verify.recall-threshold}. A quantized target is
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

    /** recall@10 of one quantized vector: {@code found} of the {@code expected} exact neighbours, over its queries. */
    public record VectorRecall(int queries, long found, long expected) {

        public double recall() {
            return expected == 0 ? 0 : found / (double) expected;
        }
    }

    /**
     * What the gate measured.
     *
     * @param quantizedVectors the target's quantized dense vectors ("" for the unnamed one); empty: not quantized
     * @param perVector recall@10 of each quantized vector (empty when not measured)
     * @param notMeasured why a quantized target's recall was not measured (its source has too few points to
     *                    compare), else null
     */
    public record Result(Set<String> quantizedVectors, Map<String, VectorRecall> perVector, double threshold,
            String notMeasured) {

        public Result {
            perVector = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(perVector));
        }

        /** Whether recall@10 was measured (only a quantized target's is). */
        public boolean measured() {
            return !quantizedVectors.isEmpty() && notMeasured == null;
        }

        public int queries() {
            return perVector.values().stream().mapToInt(VectorRecall::queries).sum();
        }

        /** The worst vector's recall@10 (1 when nothing was measured). */
        public double recall() {
            return perVector.values().stream().mapToDouble(VectorRecall::recall).min().orElse(1.0);
        }

        /** The quantized vectors below the threshold, e.g. {@code vector `image` 0.7600 over 50 queries}. */
        public List<String> belowThreshold() {
            List<String> below = new ArrayList<>();
            perVector.forEach((name, r) -> {
                if (r.recall() < threshold) {
                    below.add(VectorShapes.label(name) + String.format(java.util.Locale.ROOT, " %.4f over %d queries",
                            r.recall(), r.queries()));
                }
            });
            return below;
        }

        public boolean passed() {
            return !measured() || belowThreshold().isEmpty();
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
            m.put("queries", queries());
            m.put("k", K);
            m.put("recallAt10", round(recall()));
            Map<String, Object> each = new LinkedHashMap<>();
            perVector.forEach((name, r) -> each.put(name, Map.of("queries", r.queries(), "recallAt10",
                    round(r.recall()), "passed", r.recall() >= threshold)));
            m.put("perVector", each);
            m.put("threshold", threshold);
            m.put("passed", passed());
            return m;
        }

        private static double round(double recall) {
            return Math.round(recall * 10_000) / 10_000.0;
        }
    }

    /** Measures recall@10 of the target against exact search, with the configured threshold. */
    public Result measure(String source, String target, List<PointRange> ranges) {
        return measure(source, target, ranges, null);
    }

    /**
     * Measures recall@10 of each quantized vector of the target against exact search (nothing to measure when it is
     * not quantized). The threshold: {@code commandThreshold} when set, else the target spec's, else the configured.
     */
    public Result measure(String source, String target, List<PointRange> ranges, Double commandThreshold) {
        Set<String> quantized = quantizedVectors(gateway.collectionInfo(target).getConfig());
        double threshold = commandThreshold != null ? commandThreshold
                : provisioner.specs().byCollection(target).map(CollectionSpec::migration)
                        .map(CollectionSpec.MigrationSpec::recallThreshold).orElse(config.verify().recallThreshold());
        if (quantized.isEmpty()) {
            return new Result(quantized, Map.of(), threshold, null);
        }
        long sourcePoints = gateway.count(source);
        if (sourcePoints < 2) {
            // one point has no neighbour: there is no top 10 to compare, for any quantization
            return new Result(quantized, Map.of(), threshold, "not measured: source " + source + " has "
                    + (sourcePoints == 0 ? "no points" : "one point, which has no neighbours"));
        }
        RecallProbe probe = new RecallProbe(gateway);
        List<RetrievedPoint> sample = probe.sample(source, ranges, config.verify().recallSample());
        Map<String, VectorRecall> perVector = new LinkedHashMap<>();
        Set<String> unmeasured = new TreeSet<>();
        for (String name : quantized) {
            RecallProbe.VectorRecall r = probe.measure(target, name, sample, K);
            if (r.queries() == 0 || r.expected() == 0) {
                unmeasured.add(name);
            } else {
                perVector.put(name, new VectorRecall(r.queries(), r.found(), r.expected()));
            }
        }
        if (!unmeasured.isEmpty()) {
            // every quantized vector is checked: one the gate could not measure refuses the cutover
            throw new PipelineException.CutoverRefused("recall@10 of the quantized target " + target
                    + " could not be measured although source " + source + " has " + sourcePoints + " points: "
                    + unmeasurable(unmeasured, sample, perVector.isEmpty() && sample.isEmpty())
                    + "; the alias is left unchanged");
        }
        return new Result(quantized, perVector, threshold, null);
    }

    /** Why a non-empty source gave the gate nothing to measure for {@code unmeasured}. */
    private String unmeasurable(Set<String> unmeasured, List<RetrievedPoint> sample, boolean nothingSampled) {
        if (config.verify().recallSample() <= 0) {
            return "apex.pipeline.verify.recall-sample is " + config.verify().recallSample();
        }
        if (nothingSampled) {
            return "no point was sampled from the planned ranges";
        }
        List<String> names = unmeasured.stream().map(n -> n.isEmpty() ? "(unnamed)" : "`" + n + "`").toList();
        boolean noneHasIt = sample.stream().noneMatch(p -> unmeasured.stream().anyMatch(n -> {
            StoredVectors.Vector v = StoredVectors.of(p.getVectors()).get(n);
            return v != null && v.dense();
        }));
        if (noneHasIt) {
            return "none of the " + sample.size() + " sampled source points has a dense vector " + names
                    + " to query the target's quantized index with";
        }
        return "the exact searches of the quantized vectors " + names + " found no neighbour in the target";
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
