package io.apex.migrator.qdrant;

import io.qdrant.client.grpc.Collections;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares an existing collection with its spec, field by field: vectors (size, distance), HNSW (m,
 * ef_construct), quantization, sparse vectors and payload indexes (missing or of another type). Extra payload
 * indexes and optimizer settings are not drift: they do not change what the collection holds or how it is
 * searched in a way the spec promises.
 */
final class DriftDetector {

    private DriftDetector() {
    }

    static List<Drift> compare(CollectionSpec spec, boolean quantization, Collections.CollectionInfo info) {
        List<Drift> drifts = new ArrayList<>();
        Collections.CollectionConfig config = info.getConfig();
        Collections.VectorsConfig vectors = config.getParams().getVectorsConfig();
        if (vectors.hasParams()) {
            Collections.VectorParams params = vectors.getParams();
            same(drifts, "vectors.size", spec.vectors().size(), params.getSize());
            same(drifts, "vectors.distance", spec.vectors().distance().label(),
                    params.getDistance().name().toLowerCase(Locale.ROOT));
        } else {
            drifts.add(new Drift("vectors", "one unnamed vector of size " + spec.vectors().size(),
                    vectors.hasParamsMap() ? "named vectors " + vectors.getParamsMap().getMapMap().keySet()
                            : "no vectors config"));
        }
        Collections.HnswConfigDiff hnsw = config.getHnswConfig();
        same(drifts, "hnsw.m", spec.hnsw().m(), hnsw.hasM() ? hnsw.getM() : null);
        same(drifts, "hnsw.ef_construct", spec.hnsw().efConstruct(), hnsw.hasEfConstruct() ? hnsw.getEfConstruct()
                : null);
        String expectedQuantization = quantization ? spec.quantization().map(q -> describe(q.scalar()))
                .orElse("none") : "none";
        same(drifts, "quantization", expectedQuantization, describe(config));
        for (String name : spec.sparseVectors().keySet()) {
            if (!config.getParams().getSparseVectorsConfig().getMapMap().containsKey(name)) {
                drifts.add(new Drift("sparse_vectors." + name, "present", "missing"));
            }
        }
        Map<String, Collections.PayloadSchemaInfo> indexes = info.getPayloadSchemaMap();
        spec.payloadIndexes().forEach((field, type) -> {
            Collections.PayloadSchemaInfo actual = indexes.get(field);
            if (actual == null) {
                drifts.add(new Drift("payload_indexes." + field, type.label() + " index", "no index"));
            } else if (actual.getDataType() != type.schemaType()) {
                drifts.add(new Drift("payload_indexes." + field, type.label() + " index",
                        PayloadIndexType.labelOf(actual.getDataType()) + " index"));
            }
        });
        return drifts;
    }

    /** Quantization as reports show it, e.g. {@code int8 quantile=0.99 always_ram=true}. */
    static String describe(CollectionSpec.ScalarSpec scalar) {
        return "int8 quantile=" + round(scalar.quantile()) + " always_ram=" + scalar.alwaysRam();
    }

    static String describe(Collections.CollectionConfig config) {
        if (!config.hasQuantizationConfig()) {
            return "none";
        }
        Collections.QuantizationConfig q = config.getQuantizationConfig();
        return switch (q.getQuantizationCase()) {
            case SCALAR -> q.getScalar().getType().name().toLowerCase(Locale.ROOT) + " quantile="
                    + (q.getScalar().hasQuantile() ? round(q.getScalar().getQuantile()) : "default")
                    + " always_ram=" + (q.getScalar().hasAlwaysRam() && q.getScalar().getAlwaysRam());
            case PRODUCT -> "product";
            case BINARY -> "binary";
            case QUANTIZATION_NOT_SET -> "none";
            default -> q.getQuantizationCase().name().toLowerCase(Locale.ROOT);
        };
    }

    /** Qdrant stores the quantile as float: 0.99 comes back as 0.99000001; compare and print rounded. */
    private static String round(double value) {
        return java.math.BigDecimal.valueOf(Math.round(value * 10_000) / 10_000.0).stripTrailingZeros()
                .toPlainString();
    }

    private static void same(List<Drift> drifts, String field, Object expected, Object actual) {
        String e = String.valueOf(expected);
        String a = actual == null ? "unset" : String.valueOf(actual);
        if (!e.equals(a)) {
            drifts.add(new Drift(field, e, a));
        }
    }
}
