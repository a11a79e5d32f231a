package io.apex.migrator.qdrant;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.qdrant.client.grpc.Collections;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares an existing collection with its spec, field by field: every dense vector (its presence, size, distance,
 * datatype, on_disk, own HNSW and quantization, multivector config), every sparse vector (presence, modifier,
 * index), HNSW, quantization, optimizers, on_disk_payload, shard number, replication and write consistency factors,
 * sharding method and shard keys, strict mode, and payload indexes (missing or of another type). A field the spec
 * leaves out keeps Qdrant's default and is not compared, except where the default is part of the collection's
 * shape (datatype float32, no multivector, modifier none, auto sharding, no quantization). Extra payload indexes are
 * not drift; extra vectors are.
 */
final class DriftDetector {

    private DriftDetector() {
    }

    /**
     * @param shardKeys the collection's shard keys as {@link SpecRequests#label} writes them (read only for a
     *         custom-sharded spec)
     */
    static List<Drift> compare(CollectionSpec spec, boolean quantization, Collections.CollectionInfo info,
            List<String> shardKeys) {
        List<Drift> drifts = new ArrayList<>();
        Collections.CreateCollection want = SpecRequests.create(spec, quantization);
        Collections.CollectionConfig have = info.getConfig();
        Collections.CollectionParams params = have.getParams();
        vectors(drifts, want.getVectorsConfig(), params.getVectorsConfig());
        setFields(drifts, "hnsw", want.getHnswConfig(), have.getHnswConfig());
        same(drifts, "quantization", describe(want.hasQuantizationConfig() ? want.getQuantizationConfig() : null),
                describe(have.hasQuantizationConfig() ? have.getQuantizationConfig() : null));
        setFields(drifts, "optimizers", want.getOptimizersConfig(), have.getOptimizerConfig());
        sparse(drifts, want.getSparseVectorsConfig(), params.getSparseVectorsConfig());
        if (want.hasOnDiskPayload()) {
            same(drifts, "on_disk_payload", want.getOnDiskPayload(), params.getOnDiskPayload());
        }
        if (want.hasShardNumber()) {
            same(drifts, "shard_number", want.getShardNumber(), params.getShardNumber());
        }
        if (want.hasReplicationFactor()) {
            same(drifts, "replication_factor", want.getReplicationFactor(),
                    params.hasReplicationFactor() ? params.getReplicationFactor() : null);
        }
        if (want.hasWriteConsistencyFactor()) {
            same(drifts, "write_consistency_factor", want.getWriteConsistencyFactor(),
                    params.hasWriteConsistencyFactor() ? params.getWriteConsistencyFactor() : null);
        }
        same(drifts, "sharding_method", spec.shardingMethod().label(), params.hasShardingMethod()
                ? params.getShardingMethod().name().toLowerCase(Locale.ROOT) : "auto");
        if (spec.shardingMethod() == CollectionSpec.ShardingMethod.CUSTOM) {
            for (Object key : spec.shardKeys()) {
                if (!shardKeys.contains(key.toString())) {
                    drifts.add(new Drift("shard_keys." + key, "present", "missing"));
                }
            }
        }
        spec.strictMode().settings().keySet().forEach(name -> same(drifts, "strict_mode." + name,
                spec.strictMode().expected(name), StrictModeSpec.valueOf(have.getStrictModeConfig(), name)));
        payloadIndexes(drifts, spec, info.getPayloadSchemaMap());
        return drifts;
    }

    private static void vectors(List<Drift> drifts, Collections.VectorsConfig want, Collections.VectorsConfig have) {
        if (want.hasParams()) {
            if (have.hasParams()) {
                vector(drifts, "vectors", want.getParams(), have.getParams());
            } else {
                drifts.add(new Drift("vectors", "one unnamed vector of size " + want.getParams().getSize(),
                        have.hasParamsMap() ? "named vectors " + have.getParamsMap().getMapMap().keySet()
                                : "no vectors config"));
            }
            return;
        }
        Map<String, Collections.VectorParams> wanted = want.getParamsMap().getMapMap();
        if (!have.hasParamsMap()) {
            drifts.add(new Drift("named_vectors", "named vectors " + wanted.keySet(),
                    have.hasParams() ? "one unnamed vector" : "no vectors config"));
            return;
        }
        Map<String, Collections.VectorParams> present = have.getParamsMap().getMapMap();
        wanted.forEach((name, params) -> {
            if (present.containsKey(name)) {
                vector(drifts, "named_vectors." + name, params, present.get(name));
            } else {
                drifts.add(new Drift("named_vectors." + name, "present", "missing"));
            }
        });
        present.keySet().stream().filter(name -> !wanted.containsKey(name)).sorted()
                .forEach(name -> drifts.add(new Drift("named_vectors." + name, "absent", "present")));
    }

    private static void vector(List<Drift> drifts, String prefix, Collections.VectorParams want,
            Collections.VectorParams have) {
        same(drifts, prefix + ".size", want.getSize(), have.getSize());
        same(drifts, prefix + ".distance", label(want.getDistance()), label(have.getDistance()));
        same(drifts, prefix + ".datatype", datatype(want.hasDatatype(), want.getDatatype()),
                datatype(have.hasDatatype(), have.getDatatype()));
        if (want.hasOnDisk()) {
            same(drifts, prefix + ".on_disk", want.getOnDisk(), have.hasOnDisk() && have.getOnDisk());
        }
        if (want.hasHnswConfig()) {
            setFields(drifts, prefix + ".hnsw", want.getHnswConfig(), have.getHnswConfig());
        }
        same(drifts, prefix + ".quantization", describe(want.hasQuantizationConfig() ? want.getQuantizationConfig()
                : null), describe(have.hasQuantizationConfig() ? have.getQuantizationConfig() : null));
        same(drifts, prefix + ".multivector", want.hasMultivectorConfig() ? "max_sim" : "none",
                have.hasMultivectorConfig() ? "max_sim" : "none");
    }

    private static void sparse(List<Drift> drifts, Collections.SparseVectorConfig want,
            Collections.SparseVectorConfig have) {
        want.getMapMap().forEach((name, params) -> {
            Collections.SparseVectorParams present = have.getMapMap().get(name);
            if (present == null) {
                drifts.add(new Drift("sparse_vectors." + name, "present", "missing"));
                return;
            }
            same(drifts, "sparse_vectors." + name + ".modifier", modifier(params), modifier(present));
            if (params.hasIndex()) {
                setFields(drifts, "sparse_vectors." + name + ".index", params.getIndex(), present.getIndex());
            }
        });
        have.getMapMap().keySet().stream().filter(name -> !want.getMapMap().containsKey(name)).sorted()
                .forEach(name -> drifts.add(new Drift("sparse_vectors." + name, "absent", "present")));
    }

    private static void payloadIndexes(List<Drift> drifts, CollectionSpec spec,
            Map<String, Collections.PayloadSchemaInfo> indexes) {
        spec.payloadIndexes().forEach((field, type) -> {
            Collections.PayloadSchemaInfo actual = indexes.get(field);
            if (actual == null) {
                drifts.add(new Drift("payload_indexes." + field, type.label() + " index", "no index"));
            } else if (actual.getDataType() != type.schemaType()) {
                drifts.add(new Drift("payload_indexes." + field, type.label() + " index",
                        PayloadIndexType.labelOf(actual.getDataType()) + " index"));
            }
        });
    }

    /** Every field {@code want} sets, against the same field of {@code have} ({@code unset} when it has none). */
    private static void setFields(List<Drift> drifts, String prefix, Message want, Message have) {
        for (Map.Entry<FieldDescriptor, Object> field : want.getAllFields().entrySet()) {
            FieldDescriptor onHave = have.getDescriptorForType().findFieldByName(field.getKey().getName());
            Object actual = onHave != null && have.hasField(onHave) ? have.getField(onHave) : null;
            same(drifts, prefix + "." + field.getKey().getName(), value(field.getValue()),
                    actual == null ? null : value(actual));
        }
    }

    /** Quantization as reports show it, e.g. {@code int8 quantile=0.99 always_ram=true}; null is {@code none}. */
    static String describe(Collections.QuantizationConfig q) {
        if (q == null) {
            return "none";
        }
        return switch (q.getQuantizationCase()) {
            case SCALAR -> q.getScalar().getType().name().toLowerCase(Locale.ROOT) + " quantile="
                    + (q.getScalar().hasQuantile() ? round(q.getScalar().getQuantile()) : "default")
                    + " always_ram=" + (q.getScalar().hasAlwaysRam() && q.getScalar().getAlwaysRam());
            case PRODUCT -> "product compression=" + q.getProduct().getCompression()
                    + " always_ram=" + (q.getProduct().hasAlwaysRam() && q.getProduct().getAlwaysRam());
            case BINARY -> "binary encoding=" + SpecRequests.ENCODINGS.entrySet().stream()
                    .filter(e -> e.getValue() == q.getBinary().getEncoding()).map(Map.Entry::getKey).findFirst()
                    .orElse("one_bit")
                    + " query_encoding=" + (q.getBinary().hasQueryEncoding()
                            ? q.getBinary().getQueryEncoding().getSetting().name().toLowerCase(Locale.ROOT) : "default")
                    + " always_ram=" + (q.getBinary().hasAlwaysRam() && q.getBinary().getAlwaysRam());
            case QUANTIZATION_NOT_SET -> "none";
            default -> q.getQuantizationCase().name().toLowerCase(Locale.ROOT);
        };
    }

    /** The collection-level quantization of {@code config}, described. */
    static String describe(Collections.CollectionConfig config) {
        return describe(config.hasQuantizationConfig() ? config.getQuantizationConfig() : null);
    }

    /** A vector's shape as reports show it, e.g. {@code 512 dot float16 multivector}. */
    static String describe(Collections.VectorParams v) {
        return v.getSize() + " " + label(v.getDistance())
                + (v.hasDatatype() && v.getDatatype() != Collections.Datatype.Default
                        ? " " + datatype(true, v.getDatatype()) : "")
                + (v.hasMultivectorConfig() ? " multivector" : "");
    }

    private static String label(Collections.Distance distance) {
        return distance.name().toLowerCase(Locale.ROOT);
    }

    private static String datatype(boolean set, Collections.Datatype datatype) {
        return !set || datatype == Collections.Datatype.Default ? "float32" : datatype.name().toLowerCase(Locale.ROOT);
    }

    private static String modifier(Collections.SparseVectorParams params) {
        return params.hasModifier() ? params.getModifier().name().toLowerCase(Locale.ROOT) : "none";
    }

    private static String value(Object value) {
        if (value instanceof EnumValueDescriptor e) {
            return e.getName().toLowerCase(Locale.ROOT);
        }
        if (value instanceof Float f) {
            return round(f);
        }
        if (value instanceof Double d) {
            return round(d);
        }
        return String.valueOf(value);
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
