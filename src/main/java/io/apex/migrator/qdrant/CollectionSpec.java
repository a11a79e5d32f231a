package io.apex.migrator.qdrant;

import static io.apex.migrator.yaml.InvalidYamlValueException.check;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One versioned Qdrant collection as code, read from {@code collections/<collection>.yaml}. The collection is
 * named {@code <name>_v<version>} unless {@code collection} says otherwise; its alias (the name readers use) is
 * {@code name} unless {@code alias} says otherwise.
 *
 * @param name logical name, e.g. {@code documents}
 * @param version version of the logical collection, >= 1
 * @param collection the physical collection name; null in YAML means {@code <name>_v<version>}
 * @param alias the alias readers use; null in YAML means {@code name}
 * @param description free text for humans
 * @param vectors the one unnamed dense vector per point
 * @param sparseVectors optional named sparse vectors (e.g. for hybrid search)
 * @param hnsw HNSW index parameters
 * @param quantization scalar quantization, or empty for none
 * @param optimizers optimizer settings applied at creation
 * @param payloadIndexes payload field to index type, in the order they are created
 * @param migration what the data migration needs to know about this collection
 */
@RegisterForReflection
public record CollectionSpec(@JsonProperty(required = true) String name, @JsonProperty(required = true) int version, String collection, String alias, String description,
        @JsonProperty(required = true) VectorSpec vectors, Map<String, SparseVectorSpec> sparseVectors,
        @JsonProperty(required = true) HnswSpec hnsw,
        Optional<QuantizationSpec> quantization, OptimizersSpec optimizers,
        @JsonProperty(required = true) Map<String, PayloadIndexType> payloadIndexes, MigrationSpec migration) {

    /** Qdrant allows more, but these names are safe in URLs, file names, metrics and aliases everywhere. */
    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,254}");
    private static final Pattern FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\[\\]-]*");

    public CollectionSpec {
        check(name != null, "name", "is required");
        check(NAME.matcher(name).matches(), "name", "'" + name + "' is not a valid collection name "
                + "(a letter, then letters, digits, '_' or '-', at most 255 characters)");
        check(version >= 1, "version", "must be >= 1, got " + version);
        collection = collection == null ? name + "_v" + version : collection;
        check(NAME.matcher(collection).matches(), "collection", "'" + collection + "' is not a valid collection "
                + "name (a letter, then letters, digits, '_' or '-', at most 255 characters)");
        alias = alias == null ? name : alias;
        check(NAME.matcher(alias).matches(), "alias", "'" + alias + "' is not a valid alias name");
        check(!alias.equals(collection), "alias", "must differ from the collection name '" + collection + "'");
        description = description == null ? "" : description;
        check(vectors != null, "vectors", "is required (size and distance)");
        sparseVectors = sparseVectors == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(sparseVectors));
        sparseVectors.keySet().forEach(k -> check(FIELD.matcher(k).matches(), "sparse_vectors",
                "'" + k + "' is not a valid vector name"));
        check(hnsw != null, "hnsw", "is required (m and ef_construct)");
        quantization = quantization == null ? Optional.empty() : quantization;
        optimizers = optimizers == null ? OptimizersSpec.DEFAULTS : optimizers;
        check(payloadIndexes != null, "payload_indexes", "is required (an empty map if none)");
        for (Map.Entry<String, PayloadIndexType> e : payloadIndexes.entrySet()) {
            check(FIELD.matcher(e.getKey()).matches(), "payload_indexes",
                    "'" + e.getKey() + "' is not a valid payload field name");
            check(e.getValue() != null, "payload_indexes", "'" + e.getKey() + "' needs a type");
        }
        // keep the file's order: indexes are created and reported in it
        payloadIndexes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(payloadIndexes));
        migration = migration == null ? MigrationSpec.DEFAULTS : migration;
    }

    /** The one dense vector per point. */
    @RegisterForReflection
    public record VectorSpec(@JsonProperty(required = true) long size,
            @JsonProperty(required = true) Distance distance, Optional<Boolean> onDisk) {

        /** Qdrant's upper bound for a dense vector's dimension. */
        static final long MAX_SIZE = 65_536;

        public VectorSpec {
            check(size >= 1 && size <= MAX_SIZE, "size", "must be in 1.." + MAX_SIZE + ", got " + size);
            check(distance != null, "distance", "is required (cosine, dot, euclid or manhattan)");
            onDisk = onDisk == null ? Optional.empty() : onDisk;
        }
    }

    /** Vector distance functions. */
    public enum Distance {
        COSINE, DOT, EUCLID, MANHATTAN;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A named sparse vector; {@code modifier: idf} for BM25-like scoring. */
    @RegisterForReflection
    public record SparseVectorSpec(Optional<String> modifier) {

        public SparseVectorSpec {
            modifier = modifier == null ? Optional.empty() : modifier;
            modifier.ifPresent(m -> check(m.equals("idf") || m.equals("none"), "modifier",
                    "must be idf or none, got '" + m + "'"));
        }
    }

    /** HNSW index parameters (the seed: m=16, ef_construct=64, matching PostgreSQL's pgvector indexes). */
    @RegisterForReflection
    public record HnswSpec(@JsonProperty(required = true) int m,
            @JsonProperty(required = true) int efConstruct, Optional<Long> fullScanThreshold, Optional<Boolean> onDisk) {

        public HnswSpec {
            check(m >= 0 && m <= 512, "m", "must be in 0..512 (0 disables the graph), got " + m);
            check(efConstruct >= 4 && efConstruct <= 4096, "ef_construct", "must be in 4..4096, got " + efConstruct);
            fullScanThreshold = fullScanThreshold == null ? Optional.empty() : fullScanThreshold;
            onDisk = onDisk == null ? Optional.empty() : onDisk;
        }
    }

    /** Quantization; Qdrant's scalar quantization is the one kind specs use. */
    @RegisterForReflection
    public record QuantizationSpec(ScalarSpec scalar) {

        public QuantizationSpec {
            check(scalar != null, "scalar", "is required (type, quantile, always_ram)");
        }
    }

    /** Scalar quantization: int8 only; quantile in 0.5..1.0 as Qdrant accepts it. */
    @RegisterForReflection
    public record ScalarSpec(String type, @JsonProperty(required = true) double quantile, boolean alwaysRam) {

        public ScalarSpec {
            type = type == null ? "int8" : type.toLowerCase(Locale.ROOT);
            check(type.equals("int8"), "type", "scalar quantization supports int8 only, got '" + type + "'");
            check(quantile >= 0.5 && quantile <= 1.0, "quantile", "must be in 0.5..1.0, got " + quantile);
        }
    }

    /** Optimizer settings applied at creation; absent ones keep Qdrant's defaults. */
    @RegisterForReflection
    public record OptimizersSpec(Optional<Long> defaultSegmentNumber, Optional<Long> indexingThreshold,
            Optional<Long> memmapThreshold, Optional<Double> deletedThreshold, Optional<Long> flushIntervalSec) {

        static final OptimizersSpec DEFAULTS = new OptimizersSpec(null, null, null, null, null);

        public OptimizersSpec {
            defaultSegmentNumber = nonNegative(defaultSegmentNumber, "default_segment_number");
            indexingThreshold = nonNegative(indexingThreshold, "indexing_threshold");
            memmapThreshold = nonNegative(memmapThreshold, "memmap_threshold");
            deletedThreshold = deletedThreshold == null ? Optional.empty() : deletedThreshold;
            deletedThreshold.ifPresent(d -> check(d >= 0 && d <= 1, "deleted_threshold", "must be in 0..1"));
            flushIntervalSec = nonNegative(flushIntervalSec, "flush_interval_sec");
        }

        private static Optional<Long> nonNegative(Optional<Long> value, String field) {
            Optional<Long> v = value == null ? Optional.empty() : value;
            v.ifPresent(n -> check(n >= 0, field, "must be >= 0, got " + n));
            return v;
        }
    }

    /**
     * What the data migration needs: the payload field holding a point's last change (for catching up writes made
     * during a copy) and the recall@10 a quantized copy must reach before cutover.
     */
    @RegisterForReflection
    public record MigrationSpec(Optional<String> updatedAtField, Double recallThreshold) {

        /** The seed's expectation for INT8: under 3 % accuracy loss. */
        public static final double DEFAULT_RECALL_THRESHOLD = 0.97;
        static final MigrationSpec DEFAULTS = new MigrationSpec(null, null);

        public MigrationSpec {
            updatedAtField = updatedAtField == null ? Optional.empty() : updatedAtField;
            updatedAtField.ifPresent(f -> check(FIELD.matcher(f).matches(), "updated_at_field",
                    "'" + f + "' is not a valid payload field name"));
            // boxed so that "absent" (the default) differs from an explicit 0, which is refused
            recallThreshold = recallThreshold == null ? DEFAULT_RECALL_THRESHOLD : recallThreshold;
            check(recallThreshold > 0 && recallThreshold <= 1, "recall_threshold",
                    "must be in (0, 1], got " + recallThreshold);
        }
    }

    /** The logical name with its version, e.g. {@code documents v2}. */
    public String label() {
        return name + " v" + version;
    }
}
