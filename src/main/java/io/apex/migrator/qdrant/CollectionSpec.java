package io.apex.migrator.qdrant;

import static io.apex.migrator.yaml.InvalidYamlValueException.check;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.LinkedHashMap;
import java.util.List;
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
 * @param vectors the one unnamed dense vector per point; null when {@code namedVectors} describes them
 * @param namedVectors named dense vectors (several per point), instead of {@code vectors}
 * @param sparseVectors optional named sparse vectors (e.g. for hybrid search)
 * @param hnsw HNSW index parameters
 * @param quantization scalar, product or binary quantization, or empty for none
 * @param optimizers optimizer settings applied at creation
 * @param onDiskPayload whether payload lives on disk (Qdrant's default: true)
 * @param shardNumber shards (per shard key under custom sharding); Qdrant's default: 1
 * @param replicationFactor replicas of each shard; Qdrant's default: 1
 * @param writeConsistencyFactor replicas that must acknowledge a write; Qdrant's default: 1
 * @param shardingMethod {@code auto} (by point id, the default) or {@code custom} (by shard key)
 * @param shardKeys the shard keys a custom-sharded collection gets after its creation
 * @param strictMode Qdrant's strict-mode settings, by their proto field names
 * @param payloadIndexes payload field to index type, in the order they are created
 * @param migration what the data migration needs to know about this collection
 */
@RegisterForReflection
public record CollectionSpec(@JsonProperty(required = true) String name, @JsonProperty(required = true) int version, String collection, String alias, String description,
        VectorSpec vectors, Map<String, VectorSpec> namedVectors, Map<String, SparseVectorSpec> sparseVectors,
        @JsonProperty(required = true) HnswSpec hnsw,
        Optional<QuantizationSpec> quantization, OptimizersSpec optimizers, Optional<Boolean> onDiskPayload,
        Optional<Integer> shardNumber, Optional<Integer> replicationFactor, Optional<Integer> writeConsistencyFactor,
        ShardingMethod shardingMethod, List<Object> shardKeys, StrictModeSpec strictMode,
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
        namedVectors = namedVectors == null ? Map.of() : unmodifiable(namedVectors);
        check(vectors != null || !namedVectors.isEmpty(), "vectors",
                "is required (size and distance), or named_vectors for several vectors per point");
        check(vectors == null || namedVectors.isEmpty(), "named_vectors",
                "cannot be combined with vectors (the unnamed vector): use one form");
        namedVectors.forEach((k, v) -> {
            check(FIELD.matcher(k).matches(), "named_vectors", "'" + k + "' is not a valid vector name");
            check(v != null, "named_vectors", "'" + k + "' needs size and distance");
        });
        sparseVectors = sparseVectors == null ? Map.of() : unmodifiable(sparseVectors);
        sparseVectors.keySet().forEach(k -> check(FIELD.matcher(k).matches(), "sparse_vectors",
                "'" + k + "' is not a valid vector name"));
        for (String k : sparseVectors.keySet()) {
            check(!namedVectors.containsKey(k), "sparse_vectors", "'" + k + "' is also a dense vector's name");
        }
        check(hnsw != null, "hnsw", "is required (m and ef_construct)");
        quantization = quantization == null ? Optional.empty() : quantization;
        optimizers = optimizers == null ? OptimizersSpec.DEFAULTS : optimizers;
        onDiskPayload = onDiskPayload == null ? Optional.empty() : onDiskPayload;
        shardNumber = positive(shardNumber, "shard_number");
        replicationFactor = positive(replicationFactor, "replication_factor");
        writeConsistencyFactor = positive(writeConsistencyFactor, "write_consistency_factor");
        shardingMethod = shardingMethod == null ? ShardingMethod.AUTO : shardingMethod;
        shardKeys = shardKeys == null ? List.of() : List.copyOf(shardKeys);
        for (Object key : shardKeys) {
            check(key instanceof String s ? !s.isBlank() : key instanceof Integer || key instanceof Long, "shard_keys",
                    "'" + key + "' is neither a keyword nor a non-negative integer");
            check(!(key instanceof Number n) || n.longValue() >= 0, "shard_keys", "'" + key + "' is negative");
        }
        check(shardKeys.size() == new java.util.HashSet<>(shardKeys).size(), "shard_keys", "has duplicates");
        check(shardKeys.isEmpty() || shardingMethod == ShardingMethod.CUSTOM, "shard_keys",
                "need sharding_method: custom");
        strictMode = strictMode == null ? StrictModeSpec.NONE : strictMode;
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

    /** The dense vectors by name; the unnamed vector of the {@code vectors} form is named {@code ""}. */
    public Map<String, VectorSpec> denseVectors() {
        return vectors != null ? Map.of("", vectors) : namedVectors;
    }

    /** Whether any quantization (the collection's or a vector's own) is configured. */
    public boolean quantized() {
        return quantization.isPresent() || denseVectors().values().stream().anyMatch(v -> v.quantization().isPresent());
    }

    private static <V> Map<String, V> unmodifiable(Map<String, V> map) {
        // keep the file's order: vectors are reported in it
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    private static Optional<Integer> positive(Optional<Integer> value, String field) {
        Optional<Integer> v = value == null ? Optional.empty() : value;
        v.ifPresent(n -> check(n >= 1, field, "must be >= 1, got " + n));
        return v;
    }

    /**
     * A dense vector: size and distance, and optionally its storage datatype, on-disk storage, its own HNSW and
     * quantization (overriding the collection's) and a multivector config (late-interaction models, e.g. ColBERT).
     */
    @RegisterForReflection
    public record VectorSpec(@JsonProperty(required = true) long size,
            @JsonProperty(required = true) Distance distance, Optional<Boolean> onDisk, Optional<Datatype> datatype,
            Optional<HnswOverrides> hnsw, Optional<QuantizationSpec> quantization,
            Optional<MultivectorSpec> multivector) {

        /** Qdrant's upper bound for a dense vector's dimension. */
        static final long MAX_SIZE = 65_536;

        public VectorSpec {
            check(size >= 1 && size <= MAX_SIZE, "size", "must be in 1.." + MAX_SIZE + ", got " + size);
            check(distance != null, "distance", "is required (cosine, dot, euclid or manhattan)");
            onDisk = onDisk == null ? Optional.empty() : onDisk;
            datatype = datatype == null ? Optional.empty() : datatype;
            hnsw = hnsw == null ? Optional.empty() : hnsw;
            quantization = quantization == null ? Optional.empty() : quantization;
            multivector = multivector == null ? Optional.empty() : multivector;
        }

        /** The unnamed form's vector as older specs wrote it. */
        public VectorSpec(long size, Distance distance, Optional<Boolean> onDisk) {
            this(size, distance, onDisk, null, null, null, null);
        }
    }

    /** How a dense vector's components are stored; Qdrant's default is float32. */
    public enum Datatype {
        FLOAT32, FLOAT16, UINT8;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Several vectors per point, compared by {@code max_sim} (the one comparator Qdrant has). */
    @RegisterForReflection
    public record MultivectorSpec(String comparator) {

        public MultivectorSpec {
            comparator = comparator == null ? "max_sim" : comparator;
            check(comparator.equals("max_sim"), "comparator", "must be max_sim, got '" + comparator + "'");
        }
    }

    /** Collection sharding: by point id (auto) or by the shard key each write names (custom). */
    public enum ShardingMethod {
        AUTO, CUSTOM;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Vector distance functions. */
    public enum Distance {
        COSINE, DOT, EUCLID, MANHATTAN;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A named sparse vector; {@code modifier: idf} for BM25-like scoring; {@code index} its inverted index. */
    @RegisterForReflection
    public record SparseVectorSpec(Optional<String> modifier, Optional<SparseIndexSpec> index) {

        public SparseVectorSpec {
            modifier = modifier == null ? Optional.empty() : modifier;
            modifier.ifPresent(m -> check(m.equals("idf") || m.equals("none"), "modifier",
                    "must be idf or none, got '" + m + "'"));
            index = index == null ? Optional.empty() : index;
        }
    }

    /** A sparse vector's index: on disk or in RAM, its full-scan threshold and the datatype of its weights. */
    @RegisterForReflection
    public record SparseIndexSpec(Optional<Boolean> onDisk, Optional<Long> fullScanThreshold,
            Optional<Datatype> datatype) {

        public SparseIndexSpec {
            onDisk = onDisk == null ? Optional.empty() : onDisk;
            fullScanThreshold = fullScanThreshold == null ? Optional.empty() : fullScanThreshold;
            fullScanThreshold.ifPresent(n -> check(n >= 0, "full_scan_threshold", "must be >= 0, got " + n));
            datatype = datatype == null ? Optional.empty() : datatype;
        }
    }

    /** HNSW index parameters (the seed: m=16, ef_construct=64, matching PostgreSQL's pgvector indexes). */
    @RegisterForReflection
    public record HnswSpec(@JsonProperty(required = true) int m,
            @JsonProperty(required = true) int efConstruct, Optional<Long> fullScanThreshold, Optional<Boolean> onDisk,
            Optional<Integer> payloadM) {

        public HnswSpec {
            checkM(m, "m");
            check(efConstruct >= 4 && efConstruct <= 4096, "ef_construct", "must be in 4..4096, got " + efConstruct);
            fullScanThreshold = fullScanThreshold == null ? Optional.empty() : fullScanThreshold;
            onDisk = onDisk == null ? Optional.empty() : onDisk;
            payloadM = payloadM == null ? Optional.empty() : payloadM;
            payloadM.ifPresent(p -> checkM(p, "payload_m"));
        }

        public HnswSpec(int m, int efConstruct, Optional<Long> fullScanThreshold, Optional<Boolean> onDisk) {
            this(m, efConstruct, fullScanThreshold, onDisk, null);
        }

        static void checkM(int m, String field) {
            check(m >= 0 && m <= 512, field, "must be in 0..512 (0 disables the graph), got " + m);
        }
    }

    /** A vector's own HNSW parameters; what is absent is the collection's. */
    @RegisterForReflection
    public record HnswOverrides(Optional<Integer> m, Optional<Integer> efConstruct, Optional<Long> fullScanThreshold,
            Optional<Boolean> onDisk, Optional<Integer> payloadM) {

        public HnswOverrides {
            m = m == null ? Optional.empty() : m;
            m.ifPresent(v -> HnswSpec.checkM(v, "m"));
            efConstruct = efConstruct == null ? Optional.empty() : efConstruct;
            efConstruct.ifPresent(e -> check(e >= 4 && e <= 4096, "ef_construct", "must be in 4..4096, got " + e));
            fullScanThreshold = fullScanThreshold == null ? Optional.empty() : fullScanThreshold;
            onDisk = onDisk == null ? Optional.empty() : onDisk;
            payloadM = payloadM == null ? Optional.empty() : payloadM;
            payloadM.ifPresent(p -> HnswSpec.checkM(p, "payload_m"));
        }
    }

    /** Quantization: exactly one of scalar (int8), product (compression ratio) and binary. */
    @RegisterForReflection
    public record QuantizationSpec(ScalarSpec scalar, ProductSpec product, BinarySpec binary) {

        public QuantizationSpec {
            int kinds = (scalar != null ? 1 : 0) + (product != null ? 1 : 0) + (binary != null ? 1 : 0);
            check(kinds == 1, kinds == 0 ? "scalar" : "quantization", kinds == 0
                    ? "is required (type, quantile, always_ram), or product or binary instead"
                    : "give exactly one of scalar, product and binary");
        }

        public QuantizationSpec(ScalarSpec scalar) {
            this(scalar, null, null);
        }
    }

    /** Product quantization: compression ratio x4..x64 (Qdrant's default none: it is required). */
    @RegisterForReflection
    public record ProductSpec(@JsonProperty(required = true) String compression, Optional<Boolean> alwaysRam) {

        static final List<String> RATIOS = List.of("x4", "x8", "x16", "x32", "x64");

        public ProductSpec {
            compression = compression == null ? null : compression.toLowerCase(Locale.ROOT);
            check(RATIOS.contains(compression), "compression", "must be one of " + String.join(", ", RATIOS)
                    + ", got '" + compression + "'");
            alwaysRam = alwaysRam == null ? Optional.empty() : alwaysRam;
        }
    }

    /** Binary quantization: one bit (default), two bits or one and a half bits per dimension. */
    @RegisterForReflection
    public record BinarySpec(Optional<Boolean> alwaysRam, Optional<String> encoding, Optional<String> queryEncoding) {

        static final List<String> ENCODINGS = List.of("one_bit", "two_bits", "one_and_half_bits");
        static final List<String> QUERY_ENCODINGS = List.of("default", "binary", "scalar4bits", "scalar8bits");

        public BinarySpec {
            alwaysRam = alwaysRam == null ? Optional.empty() : alwaysRam;
            encoding = encoding == null ? Optional.empty() : encoding;
            encoding.ifPresent(e -> check(ENCODINGS.contains(e), "encoding", "must be one of "
                    + String.join(", ", ENCODINGS) + ", got '" + e + "'"));
            queryEncoding = queryEncoding == null ? Optional.empty() : queryEncoding;
            queryEncoding.ifPresent(e -> check(QUERY_ENCODINGS.contains(e), "query_encoding", "must be one of "
                    + String.join(", ", QUERY_ENCODINGS) + ", got '" + e + "'"));
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
